#include "claim/claim.h"

#include <cstdio>

#include "core/digest.h"
#include "validate/validate.h"

namespace carescan::claim {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::kAccepted:
      return "accepted";
    case Status::kNeedsReview:
      return "needs_review";
    case Status::kRejected:
      return "rejected";
  }
  return "needs_review";
}

std::string make_claim_id(std::string_view document_sha256, int page) {
  return core::sha256_hex(std::string(document_sha256) + ":" + std::to_string(page)).substr(0, 32);
}

Decision decide_status(const core::PageReading& reading, const std::vector<core::Finding>& findings,
                       const core::ClaimsConfig& config) {
  Decision out;
  if (reading.form_type.empty() && !reading.read_failed) {
    out.status = Status::kRejected;
    out.reasons.push_back("not a care sheet");
    return out;
  }
  if (!reading.reject_reason.empty()) out.reasons.push_back("page could not be read reliably");
  for (const auto& [field, threshold] : config.accept_min_confidence) {
    auto it = reading.fields.find(field);
    if (it == reading.fields.end() || !it->second.value) {
      out.reasons.push_back(field + " not read");
    } else if (it->second.source == core::Source::kReviewer) {
      // A person typed or confirmed it: no recogniser threshold applies, not even "never".
      continue;
    } else if (it->second.confidence < threshold) {
      char buf[128];
      if (threshold > 1) {
        // The fit found no confidence at which this field's readings met the target precision.
        std::snprintf(buf, sizeof buf,
                      "%s read with confidence %.2f; no threshold meets the target precision",
                      field.c_str(), it->second.confidence);
      } else {
        std::snprintf(buf, sizeof buf, "%s read with confidence %.2f < %.2f", field.c_str(),
                      it->second.confidence, threshold);
      }
      out.reasons.emplace_back(buf);
    }
  }
  for (const auto& f : findings) {
    if (f.severity == core::Severity::kError) out.reasons.push_back("rule " + f.rule);
  }
  out.status = out.reasons.empty() ? Status::kAccepted : Status::kNeedsReview;
  return out;
}

Claim build_claim(DocumentRef document, core::PageReading reading, const core::Config& config,
                  const core::Date& today) {
  Claim claim;
  claim.claim_id = make_claim_id(document.sha256, document.page);
  if (reading.form_type.empty() && !reading.read_failed) {
    claim.findings.push_back(
        {"care_sheet", core::Severity::kError, {}, "not a care sheet: " + reading.reject_reason});
  } else {
    if (!reading.reject_reason.empty()) {
      claim.findings.push_back({"page_readable",
                                core::Severity::kError,
                                {},
                                "page could not be read reliably: " + reading.reject_reason});
    }
    auto rules = validate::validate_reading(reading, config, today);
    claim.findings.insert(claim.findings.end(), rules.begin(), rules.end());
  }
  claim.decision = decide_status(reading, claim.findings, config.claims);
  claim.document = std::move(document);
  claim.reading = std::move(reading);
  return claim;
}

}  // namespace carescan::claim
