#include "extract/arithmetic.h"

#include <optional>

#include "core/money.h"
#include "core/sections.h"

namespace carescan::extract {
namespace {

std::optional<core::Money> money(const core::ReadField& field) {
  if (!field.value) return std::nullopt;
  return core::parse_money(*field.value);
}

// The amounts of a table's rows: their sum, and the cells that make it. nullopt when a row
// with something read has no amount read.
struct Rows {
  core::Money sum;
  std::vector<core::ReadField*> cells;
};

std::optional<Rows> rows_of(std::vector<core::ReadLine>& lines, std::string_view table) {
  Rows out;
  for (auto& line : lines) {
    if (line.table != table) continue;
    const auto it = line.cells.find("amount");
    if (it == line.cells.end()) return std::nullopt;
    const auto amount = money(it->second);
    if (!amount) return std::nullopt;
    out.sum += *amount;
    out.cells.push_back(&it->second);
  }
  return out;
}

void mark(const std::vector<core::ReadField*>& cells) {
  for (auto* cell : cells) cell->corroborated = true;
}

}  // namespace

void corroborate_sums(std::map<std::string, core::ReadField>& fields,
                      std::vector<core::ReadLine>& lines) {
  core::Money sections;
  std::vector<core::ReadField*> parts;
  bool known = true;
  bool anything = false;
  for (const auto& section : core::kSheetSections) {
    const auto rows = rows_of(lines, section.table);
    const auto it = fields.find(std::string(section.total));
    core::ReadField* total = it == fields.end() ? nullptr : &it->second;
    const auto written = total == nullptr ? std::nullopt : money(*total);
    if (written && rows && !rows->cells.empty() && rows->sum == *written) {
      mark(rows->cells);
      total->corroborated = true;
    }
    if (written) {
      sections += *written;
      parts.push_back(total);
      anything = true;
    } else if (total != nullptr && total->value) {
      known = false;  // written, but not as an amount
    } else if (rows) {
      sections += rows->sum;
      parts.insert(parts.end(), rows->cells.begin(), rows->cells.end());
      anything = anything || !rows->cells.empty();
    } else {
      known = false;
    }
  }
  const auto other = rows_of(lines, core::kUnsectionedTable);
  const auto declared_it = fields.find(std::string(core::kDeclaredTotal));
  if (!known || !other || declared_it == fields.end()) return;
  const auto declared = money(declared_it->second);
  sections += other->sum;
  parts.insert(parts.end(), other->cells.begin(), other->cells.end());
  anything = anything || !other->cells.empty();
  if (!declared || !anything || sections != *declared) return;
  declared_it->second.corroborated = true;
  mark(parts);
}

}  // namespace carescan::extract
