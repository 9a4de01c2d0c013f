#pragma once
// A calendar date as written on a care sheet (day/month/year), validated against the calendar.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace carescan::core {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy flags the 0 of the generated comparison.
  auto operator<=>(const Date&) const = default;

  // "2025-03-12"
  [[nodiscard]] std::string iso() const;
  // "12/03/2025", as a person writes it on the sheet.
  [[nodiscard]] std::string french() const;
  // Days since 1970-01-01; lets rules compare and subtract dates.
  [[nodiscard]] long days_since_epoch() const;
  [[nodiscard]] Date plus_days(long days) const;

  static Date from_days_since_epoch(long days);
};

[[nodiscard]] bool is_real_date(int year, int month, int day);
[[nodiscard]] int days_in_month(int year, int month);

// Accepts "dd/mm/yyyy", "dd/mm/yy", "dd-mm-yyyy", "dd.mm.yyyy" and the 8 digits of a comb
// field "ddmmyyyy". Two-digit years are read as 20yy when that is not after `pivot_year`,
// else 19yy. Returns nothing for text that is not a real calendar date.
[[nodiscard]] std::optional<Date> parse_date(std::string_view text, int pivot_year = 2069);
[[nodiscard]] std::optional<Date> parse_iso_date(std::string_view text);

// Whole years between birth and `on`.
[[nodiscard]] int age_on(const Date& birth, const Date& on);

}  // namespace carescan::core
