#pragma once
// The validation rules, one function each; the rule name in every finding is the function's.

#include <vector>

#include "core/config.h"
#include "core/date.h"
#include "core/reading.h"

namespace carescan::validate {

struct RuleInput {
  const core::PageReading& reading;
  const core::Config& config;
  core::Date today;
};

using Findings = std::vector<core::Finding>;

// Identity and declaration (rules_identity.cpp).
void required_fields_present(const RuleInput& in, Findings& out);
void cin_format(const RuleInput& in, Findings& out);
void cin_unusual_shape(const RuleInput& in, Findings& out);
void signature_present(const RuleInput& in, Findings& out);
void age_limit(const RuleInput& in, Findings& out);

// Dates (rules_dates.cpp).
void date_real(const RuleInput& in, Findings& out);
void care_date_not_future(const RuleInput& in, Findings& out);
void signature_date_not_future(const RuleInput& in, Findings& out);
void signature_after_care(const RuleInput& in, Findings& out);
void deposit_deadline(const RuleInput& in, Findings& out);

// Money (rules_amounts.cpp).
void amount_readable(const RuleInput& in, Findings& out);
void section_total_matches_lines(const RuleInput& in, Findings& out);
void declared_total_matches_sections(const RuleInput& in, Findings& out);
void amount_plausible(const RuleInput& in, Findings& out);
void amount_matches_tariff(const RuleInput& in, Findings& out);

}  // namespace carescan::validate
