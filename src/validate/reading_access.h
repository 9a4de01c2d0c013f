#pragma once
// Typed views of a reading's values, for the rules: a value that is absent or unparseable is
// nullopt, so that rules about unread fields skip cleanly.

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/reading.h"

namespace carescan::validate {

std::optional<std::string> text_of(const core::PageReading& reading, const std::string& field);
std::optional<core::Date> date_of(const core::PageReading& reading, const std::string& field);
std::optional<core::Money> money_of(const core::PageReading& reading, const std::string& field);
std::optional<std::string> cell_text(const core::ReadLine& line, const std::string& cell);
std::optional<core::Date> cell_date(const core::ReadLine& line, const std::string& cell);
std::optional<core::Money> cell_money(const core::ReadLine& line, const std::string& cell);

// "lines[3].amount": how findings and the claim name a table cell.
std::string line_field(size_t index, const std::string& cell);

// The care dates that were read, with the index of their line.
struct CareDate {
  size_t line = 0;
  core::Date date;
};
std::vector<CareDate> care_dates(const core::PageReading& reading);

}  // namespace carescan::validate
