#include "core/money.h"

#include <cctype>
#include <cstdio>

namespace carescan::core {

std::string Money::decimal() const {
  const bool negative = centimes < 0;
  const std::int64_t abs = negative ? -centimes : centimes;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", negative ? "-" : "",
                static_cast<long long>(abs / 100), static_cast<long long>(abs % 100));
  return buf;
}

std::string Money::french(bool group_thousands) const {
  const bool negative = centimes < 0;
  const std::int64_t abs = negative ? -centimes : centimes;
  std::string whole = std::to_string(abs / 100);
  if (group_thousands) {
    for (int pos = static_cast<int>(whole.size()) - 3; pos > 0; pos -= 3) {
      whole.insert(static_cast<size_t>(pos), 1, ' ');
    }
  }
  char cents[8];
  std::snprintf(cents, sizeof cents, "%02lld", static_cast<long long>(abs % 100));
  return (negative ? "-" : "") + whole + "," + cents;
}

std::optional<Money> parse_money(std::string_view text) {
  std::string whole;
  std::string fraction;
  bool seen_separator = false;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      (seen_separator ? fraction : whole).push_back(c);
    } else if (c == ',' || c == '.') {
      if (seen_separator) return std::nullopt;
      seen_separator = true;
    } else if (c == ' ') {
      if (seen_separator) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (whole.empty() || whole.size() > 12 || fraction.size() > 2) return std::nullopt;
  if (seen_separator && fraction.empty()) return std::nullopt;
  std::int64_t cents = std::stoll(whole) * 100;
  if (fraction.size() == 1) cents += static_cast<std::int64_t>(fraction[0] - '0') * 10;
  if (fraction.size() == 2) cents += std::stoi(fraction);
  return Money{cents};
}

}  // namespace carescan::core
