// Rules about who the claim is for and whether they declared it: name, CIN, signature, age.
#include <algorithm>

#include "core/cin.h"
#include "validate/reading_access.h"
#include "validate/rules.h"

namespace carescan::validate {
namespace {

// The student writes these; without them the claim cannot be paid (domain file, "Who and why").
constexpr const char* kRequired[] = {"insured_name", "cin", "signature_date", "total_amount"};

}  // namespace

void required_fields_present(const RuleInput& in, Findings& out) {
  for (const char* field : kRequired) {
    if (text_of(in.reading, field)) continue;
    out.push_back({"required_fields_present",
                   core::Severity::kError,
                   {field},
                   std::string("required field ") + field + " is blank or could not be read"});
  }
}

void cin_format(const RuleInput& in, Findings& out) {
  auto cin = text_of(in.reading, "cin");
  if (!cin || core::classify_cin(core::normalize_cin(*cin)) != core::CinShape::kInvalid) return;
  out.push_back({"cin_format",
                 core::Severity::kError,
                 {"cin"},
                 "CIN is not capital letters followed by digits, at most 8 characters"});
}

// No check digit or official pattern is published: other letter-digit shapes are possible.
void cin_unusual_shape(const RuleInput& in, Findings& out) {
  auto cin = text_of(in.reading, "cin");
  if (!cin || core::classify_cin(core::normalize_cin(*cin)) != core::CinShape::kUnusual) return;
  out.push_back({"cin_unusual_shape",
                 core::Severity::kWarning,
                 {"cin"},
                 "CIN has an unusual shape (usually 1-2 letters then 5-6 digits); check it"});
}

void signature_present(const RuleInput& in, Findings& out) {
  auto it = in.reading.fields.find("insured_signature");
  if (it == in.reading.fields.end() || !it->second.value) return;
  if (*it->second.value == "true") return;  // `boolean` only says the field is a yes/no one
  out.push_back({"signature_present",
                 core::Severity::kError,
                 {"insured_signature"},
                 "the insured's signature box is empty"});
}

// AMO Étudiants covers students up to 30: checked on the first care date, or on the
// signature date for a sheet whose rows carry no readable date.
void age_limit(const RuleInput& in, Findings& out) {
  auto birth = date_of(in.reading, "birth_date");
  if (!birth) return;
  std::optional<core::Date> on;
  std::string on_field;
  for (const auto& care : care_dates(in.reading)) {
    if (!on || care.date < *on) {
      on = care.date;
      on_field = line_field(care.line, "date");
    }
  }
  if (!on) {
    on = date_of(in.reading, "signature_date");
    on_field = "signature_date";
  }
  if (!on) return;
  const int age = core::age_on(*birth, *on);
  const int limit = in.config.validation.max_age_years;
  if (age > limit) {
    out.push_back({"age_limit",
                   core::Severity::kError,
                   {"birth_date", on_field},
                   "insured is " + std::to_string(age) + " on the care date, older than the " +
                       std::to_string(limit) + "-year limit"});
  } else if (age < 0) {
    out.push_back({"age_limit",
                   core::Severity::kError,
                   {"birth_date", on_field},
                   "birth date is after the care date"});
  }
}

}  // namespace carescan::validate
