#pragma once
// A claim in the claim-v1 contract (shared/contracts/claim-v1.schema.json).

#include <Poco/JSON/Object.h>

#include <string>

#include "claim/claim.h"

namespace carescan::claim {

inline constexpr const char* kClaimSchema = "carescan.claim/v1";

// Every field the contract names is present (value null when not read), plus the form's own
// extras (sex, doctor_inpe, ...). A rejected page is not a care sheet, yet the contract's
// `form_type` only knows the three sheets: it then holds the generic "ambulatoire" as a
// placeholder, and the extra properties `care_sheet: false` and `reject_reason` say why;
// consumers look at `status` first.
[[nodiscard]] Poco::JSON::Object::Ptr to_json(const Claim& claim);

// One line of JSON Lines, no trailing newline.
[[nodiscard]] std::string to_json_line(const Claim& claim);

}  // namespace carescan::claim
