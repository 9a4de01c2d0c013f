#pragma once
// A reviewer's corrections to a stored claim-v1 document: applied to its JSON, with the
// validation rules re-run on the result, so that the page and the server judge the same way.

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/reading.h"
#include "store/store.h"

namespace carescan::service {

// Target -> new value; the target is a field id ("total_amount") or a table cell
// ("lines[3].amount"), as the findings name them. nullopt: the reviewer blanked the field.
using Corrections = std::map<std::string, std::optional<std::string>>;

// What a claim-v1 document says was read, back as the reader's value type.
[[nodiscard]] core::PageReading reading_of(const Poco::JSON::Object::Ptr& claim);

// The field as the reviewer typed it, in the contract's form when it parses as its kind
// ("7,10" -> "7.10", "12/03/2025" -> "2025-03-12", "be 12345" -> "BE12345"); else unchanged, so
// that the rules report it rather than the reviewer's text being lost.
[[nodiscard]] std::string normalise_entry(const std::string& target, const std::string& text);

struct Edit {
  Poco::JSON::Object::Ptr claim;           // a copy with the corrections and fresh findings
  std::vector<store::AuditEntry> changes;  // only the targets whose value really changed
};

// Applies `corrections` (a BadTarget for a target the claim does not have) and re-runs the
// validation rules as of the claim's day of receipt (config.claims.today when pinned).
// Corrected fields get source "reviewer" and confidence 1.
[[nodiscard]] Edit apply_corrections(const Poco::JSON::Object::Ptr& claim,
                                     const Corrections& corrections, const core::Config& config);

class BadTarget : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Why a claim waits for review, as short keys a queue can filter on: "low_confidence",
// "not_read", "unreadable", and the names of the rules that failed with an error.
[[nodiscard]] std::vector<std::string> review_reason_keys(const Poco::JSON::Object::Ptr& claim);

// Fields a reviewer must look at: named by a finding, not read, or read below the lowest
// confidence that config.claims.accept_min_confidence accepts for a key field.
[[nodiscard]] bool is_flagged(const Poco::JSON::Object::Ptr& claim, const std::string& target,
                              const core::ClaimsConfig& config);

}  // namespace carescan::service
