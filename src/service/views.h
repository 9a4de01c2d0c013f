#pragma once
// The API's JSON for stored documents, pages and claims, and the time format it uses.

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "core/config.h"
#include "core/date.h"
#include "store/store.h"

namespace carescan::service {

// ISO 8601 UTC with milliseconds: "2025-03-20T09:00:00.000Z".
[[nodiscard]] std::string iso_time(store::Time t);
// Accepts "2025-03-20", "2025-03-20T09:00:00Z" and offsets; nullopt when it is none of these.
[[nodiscard]] std::optional<store::Time> parse_time(const std::string& text);
[[nodiscard]] store::Time now_ms();
// The day the date rules count from: the day of receipt, unless the config pins one.
[[nodiscard]] core::Date day_of_receipt(const core::Config& config, store::Time received);

[[nodiscard]] std::string document_location(store::Id id);
[[nodiscard]] std::string claim_location(const std::string& claim_id);

// The document with its pages (each with its transitions) and claims (status and findings).
Poco::JSON::Object::Ptr document_view(store::Store& store, const store::Document& doc,
                                      const std::string& office_code);
// A listing row: no reading, only where the claim is.
Poco::JSON::Object::Ptr claim_summary(const store::Claim& claim);
// The stored claim-v1 JSON, with a `tracking` object (state, version, document, delivery).
Poco::JSON::Object::Ptr claim_view(store::Store& store, const store::Claim& claim);

}  // namespace carescan::service
