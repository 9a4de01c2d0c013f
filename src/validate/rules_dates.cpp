// Rules about dates: real, not in the future, in order, and deposited in time.
#include <algorithm>

#include "validate/reading_access.h"
#include "validate/rules.h"

namespace carescan::validate {
namespace {

constexpr const char* kDateFields[] = {"birth_date", "signature_date"};

}  // namespace

// The reader normalises dates to ISO; a value that is not one is a misread calendar date
// (31/02, month 13) that slipped through, never to be passed on.
void date_real(const RuleInput& in, Findings& out) {
  for (const char* field : kDateFields) {
    auto text = text_of(in.reading, field);
    if (text && !core::parse_iso_date(*text)) {
      out.push_back({"date_real",
                     core::Severity::kError,
                     {field},
                     std::string(field) + " is not a real calendar date"});
    }
  }
  for (size_t i = 0; i < in.reading.lines.size(); ++i) {
    auto text = cell_text(in.reading.lines[i], "date");
    if (text && !core::parse_iso_date(*text)) {
      out.push_back({"date_real",
                     core::Severity::kError,
                     {line_field(i, "date")},
                     "care date of row " + std::to_string(i + 1) + " is not a real date"});
    }
  }
}

void care_date_not_future(const RuleInput& in, Findings& out) {
  for (const auto& care : care_dates(in.reading)) {
    if (care.date <= in.today) continue;
    out.push_back(
        {"care_date_not_future",
         core::Severity::kError,
         {line_field(care.line, "date")},
         "care date " + care.date.iso() + " is after the day of receipt " + in.today.iso()});
  }
}

void signature_date_not_future(const RuleInput& in, Findings& out) {
  auto signed_on = date_of(in.reading, "signature_date");
  if (!signed_on || *signed_on <= in.today) return;
  out.push_back(
      {"signature_date_not_future",
       core::Severity::kError,
       {"signature_date"},
       "signature date " + signed_on->iso() + " is after the day of receipt " + in.today.iso()});
}

// The student signs once the providers have filled their rows.
void signature_after_care(const RuleInput& in, Findings& out) {
  auto signed_on = date_of(in.reading, "signature_date");
  if (!signed_on) return;
  for (const auto& care : care_dates(in.reading)) {
    if (care.date <= *signed_on) continue;
    out.push_back(
        {"signature_after_care",
         core::Severity::kError,
         {"signature_date", line_field(care.line, "date")},
         "signature date " + signed_on->iso() + " is before the care date " + care.date.iso()});
  }
}

// Deposit within N days of the first act (CNOPS communiqué); late sheets are flagged for a
// reviewer to decide, never silently dropped.
void deposit_deadline(const RuleInput& in, Findings& out) {
  auto dates = care_dates(in.reading);
  if (dates.empty()) return;
  auto first = std::min_element(dates.begin(), dates.end(),
                                [](const auto& a, const auto& b) { return a.date < b.date; });
  const long elapsed = in.today.days_since_epoch() - first->date.days_since_epoch();
  const int deadline = in.config.validation.deposit_deadline_days;
  if (elapsed <= deadline) return;
  out.push_back({"deposit_deadline",
                 core::Severity::kError,
                 {line_field(first->line, "date")},
                 "received " + std::to_string(elapsed) + " days after the first act " +
                     first->date.iso() + "; the deadline is " + std::to_string(deadline) +
                     " days"});
}

}  // namespace carescan::validate
