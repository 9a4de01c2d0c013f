#pragma once
// Money as integer centimes of a dirham: never floating point.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carescan::core {

struct Money {
  std::int64_t centimes = 0;

  auto operator<=>(const Money&) const = default;
  Money operator+(Money other) const { return Money{centimes + other.centimes}; }
  Money& operator+=(Money other) {
    centimes += other.centimes;
    return *this;
  }

  // "1250.00": the claim contract's form.
  [[nodiscard]] std::string decimal() const;
  // "1 250,00": how a person writes it on the sheet.
  [[nodiscard]] std::string french(bool group_thousands = true) const;

  static Money from_dirhams(std::int64_t dirhams, int centimes = 0) {
    return Money{dirhams * 100 + centimes};
  }
};

// Accepts "1 250,00", "1250,5", "350", "1250.00" (one decimal separator, at most two decimals,
// spaces as thousands separators). Returns nothing for anything else.
[[nodiscard]] std::optional<Money> parse_money(std::string_view text);

}  // namespace carescan::core
