#pragma once
// A claim: one care-sheet page as read and validated, with the status that routes it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/date.h"
#include "core/reading.h"

namespace carescan::claim {

enum class Status { kAccepted, kNeedsReview, kRejected };
[[nodiscard]] std::string_view to_string(Status status);

// Where the page came from.
struct DocumentRef {
  std::string sha256;  // of the submitted file, lower-case hex
  int page = 1;        // 1-based
  std::string channel = "cli";
  std::optional<std::string> office;
  std::string received_at;  // ISO 8601 timestamp
};

struct Decision {
  Status status = Status::kNeedsReview;
  std::vector<std::string> reasons;  // why not accepted, for the reviewer; no personal data
};

struct Claim {
  std::string claim_id;
  DocumentRef document;
  core::PageReading reading;
  std::vector<core::Finding> findings;
  Decision decision;
};

// The key fields: the claim goes straight through only when each is read confidently.
// Their thresholds come from config (claims.accept_min_confidence, with the fitted ones of
// claims.thresholds in place); a threshold above 1 (core::kNeverAccept) always sends the page
// to a reviewer.
[[nodiscard]] Decision decide_status(const core::PageReading& reading,
                                     const std::vector<core::Finding>& findings,
                                     const core::ClaimsConfig& config);

// Validates `reading` as received on `today` and decides its status. A page that is not a care
// sheet is rejected with a `care_sheet` finding; one that could not be registered goes to review.
[[nodiscard]] Claim build_claim(DocumentRef document, core::PageReading reading,
                                const core::Config& config, const core::Date& today);

// First 32 hex digits of sha256("<document sha256>:<page>"): the same page read twice gets
// the same id, which later serves as the delivery idempotency key.
[[nodiscard]] std::string make_claim_id(std::string_view document_sha256, int page);

}  // namespace carescan::claim
