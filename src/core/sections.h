#pragma once
// How a care sheet's amounts add up: each section's total box sums the rows of its table, and
// the declared total sums the section totals plus the rows of the table that has no total box.

#include <array>
#include <string_view>

namespace carescan::core {

struct SheetSection {
  std::string_view total;  // the section's total box
  std::string_view table;  // the rows it sums
};

inline constexpr std::array<SheetSection, 3> kSheetSections = {
    {{"medical_total", "medical_acts"},
     {"pharmacy_total", "pharmacy_items"},
     {"dental_total", "dental_acts"}}};
// `other_acts` has no total box and adds straight into the declared total (docs/truth-format.md).
inline constexpr std::string_view kUnsectionedTable = "other_acts";
inline constexpr std::string_view kDeclaredTotal = "total_amount";

}  // namespace carescan::core
