#include "validate/reading_access.h"

namespace carescan::validate {
namespace {

std::optional<std::string> value_of(const std::map<std::string, core::ReadField>& fields,
                                    const std::string& id) {
  auto it = fields.find(id);
  if (it == fields.end() || !it->second.value || it->second.value->empty()) return std::nullopt;
  return it->second.value;
}

std::optional<core::Date> as_date(const std::optional<std::string>& text) {
  return text ? core::parse_iso_date(*text) : std::nullopt;
}

std::optional<core::Money> as_money(const std::optional<std::string>& text) {
  return text ? core::parse_money(*text) : std::nullopt;
}

}  // namespace

std::optional<std::string> text_of(const core::PageReading& reading, const std::string& field) {
  return value_of(reading.fields, field);
}
std::optional<core::Date> date_of(const core::PageReading& reading, const std::string& field) {
  return as_date(text_of(reading, field));
}
std::optional<core::Money> money_of(const core::PageReading& reading, const std::string& field) {
  return as_money(text_of(reading, field));
}
std::optional<std::string> cell_text(const core::ReadLine& line, const std::string& cell) {
  return value_of(line.cells, cell);
}
std::optional<core::Date> cell_date(const core::ReadLine& line, const std::string& cell) {
  return as_date(cell_text(line, cell));
}
std::optional<core::Money> cell_money(const core::ReadLine& line, const std::string& cell) {
  return as_money(cell_text(line, cell));
}

std::string line_field(size_t index, const std::string& cell) {
  return "lines[" + std::to_string(index) + "]." + cell;
}

std::vector<CareDate> care_dates(const core::PageReading& reading) {
  std::vector<CareDate> out;
  for (size_t i = 0; i < reading.lines.size(); ++i) {
    if (auto d = cell_date(reading.lines[i], "date")) out.push_back({i, *d});
  }
  return out;
}

}  // namespace carescan::validate
