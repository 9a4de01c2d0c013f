#include "core/date.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <vector>

namespace carescan::core {
namespace {

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Howard Hinnant's civil-from-days algorithm, exact for the proleptic Gregorian calendar.
long days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::vector<std::string> digit_groups(std::string_view text) {
  std::vector<std::string> groups;
  std::string current;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      current.push_back(c);
    } else if (c == '/' || c == '-' || c == '.' || c == ' ') {
      if (!current.empty()) groups.push_back(current);
      current.clear();
    } else {
      return {};
    }
  }
  if (!current.empty()) groups.push_back(current);
  return groups;
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap(year) ? 29 : kDays[static_cast<size_t>(month - 1)];
}

bool is_real_date(int year, int month, int day) {
  return year >= 1900 && year <= 2199 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::french() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", day, month, year);
  return buf;
}

long Date::days_since_epoch() const {
  return days_from_civil(year, month, day);
}

Date Date::from_days_since_epoch(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return Date{y, m, d};
}

Date Date::plus_days(long days) const {
  return from_days_since_epoch(days_since_epoch() + days);
}

std::optional<Date> parse_date(std::string_view text, int pivot_year) {
  auto groups = digit_groups(text);
  if (groups.size() == 1 && groups[0].size() == 8) {
    const std::string s = groups[0];
    groups = {s.substr(0, 2), s.substr(2, 2), s.substr(4, 4)};
  }
  if (groups.size() != 3 || groups[0].size() > 2 || groups[1].size() > 2) return std::nullopt;
  if (groups[2].size() != 2 && groups[2].size() != 4) return std::nullopt;
  const int day = std::stoi(groups[0]);
  const int month = std::stoi(groups[1]);
  int year = std::stoi(groups[2]);
  if (groups[2].size() == 2) {
    const int century = 2000 + year <= pivot_year ? 2000 : 1900;
    year += century;
  }
  if (!is_real_date(year, month, day)) return std::nullopt;
  return Date{year, month, day};
}

std::optional<Date> parse_iso_date(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  char tail = 0;
  const std::string s(text);
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
    return std::nullopt;
  }
  if (!is_real_date(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

int age_on(const Date& birth, const Date& on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

}  // namespace carescan::core
