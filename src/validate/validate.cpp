#include "validate/validate.h"

#include "validate/rules.h"

namespace carescan::validate {

std::vector<core::Finding> validate_reading(const core::PageReading& reading,
                                            const core::Config& config, const core::Date& today) {
  using Rule = void (*)(const RuleInput&, Findings&);
  static constexpr Rule kRules[] = {
      required_fields_present,
      cin_format,
      cin_unusual_shape,
      signature_present,
      age_limit,
      date_real,
      care_date_not_future,
      signature_date_not_future,
      signature_after_care,
      deposit_deadline,
      amount_readable,
      section_total_matches_lines,
      declared_total_matches_sections,
      amount_plausible,
      amount_matches_tariff,
  };
  const RuleInput in{reading, config, today};
  Findings out;
  for (Rule rule : kRules) rule(in, out);
  return out;
}

}  // namespace carescan::validate
