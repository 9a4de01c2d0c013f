// Rules about money: readable, adding up section by section, plausible, near the tariff.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/sections.h"
#include "validate/reading_access.h"
#include "validate/rules.h"

namespace carescan::validate {
namespace {

using core::kSheetSections;
using core::kUnsectionedTable;
constexpr const char* kMoneyFields[] = {"total_amount", "medical_total", "pharmacy_total",
                                        "dental_total"};

struct RowSum {
  core::Money sum;
  size_t rows = 0;
  bool complete = true;  // false when a row's amount was not read: the sum is unknown
  std::vector<std::string> fields;
};

// A row in which nothing at all was read carries no amount to add: counting it as "unknown"
// would only switch the sum checks off.
bool nothing_read(const core::ReadLine& line) {
  return std::none_of(line.cells.begin(), line.cells.end(),
                      [](const auto& cell) { return cell.second.value.has_value(); });
}

RowSum sum_rows(const core::PageReading& reading, const std::string& table) {
  RowSum out;
  for (size_t i = 0; i < reading.lines.size(); ++i) {
    if (reading.lines[i].table != table || nothing_read(reading.lines[i])) continue;
    ++out.rows;
    out.fields.push_back(line_field(i, "amount"));
    if (auto amount = cell_money(reading.lines[i], "amount")) {
      out.sum += *amount;
    } else {
      out.complete = false;
    }
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::optional<long long> tariff_of(const core::ValidationConfig& cfg, const std::string& code) {
  for (const auto& [letter, centimes] : cfg.key_letter_centimes) {
    if (upper(letter) == upper(code)) return centimes;
  }
  return std::nullopt;
}

}  // namespace

void amount_readable(const RuleInput& in, Findings& out) {
  for (const char* field : kMoneyFields) {
    auto text = text_of(in.reading, field);
    if (text && !core::parse_money(*text)) {
      out.push_back({"amount_readable",
                     core::Severity::kError,
                     {field},
                     std::string(field) + " is not an amount in dirhams"});
    }
  }
  for (size_t i = 0; i < in.reading.lines.size(); ++i) {
    auto text = cell_text(in.reading.lines[i], "amount");
    if (text && !core::parse_money(*text)) {
      out.push_back({"amount_readable",
                     core::Severity::kError,
                     {line_field(i, "amount")},
                     "amount of row " + std::to_string(i + 1) + " is not an amount in dirhams"});
    }
  }
}

void section_total_matches_lines(const RuleInput& in, Findings& out) {
  for (const auto& section : kSheetSections) {
    auto total = money_of(in.reading, std::string(section.total));
    if (!total) continue;
    const RowSum rows = sum_rows(in.reading, std::string(section.table));
    if (!rows.complete || rows.sum == *total) continue;
    std::vector<std::string> fields{std::string(section.total)};
    fields.insert(fields.end(), rows.fields.begin(), rows.fields.end());
    out.push_back({"section_total_matches_lines", core::Severity::kError, fields,
                   std::string(section.total) + " " + total->decimal() + " differs from the sum " +
                       rows.sum.decimal() + " of its " + std::to_string(rows.rows) + " rows"});
  }
}

// Declared total = the section totals (their rows' sum where the box was left blank) + the
// rows of the table without a total box.
void declared_total_matches_sections(const RuleInput& in, Findings& out) {
  auto declared = money_of(in.reading, "total_amount");
  if (!declared) return;
  core::Money sum;
  bool anything = false;
  std::vector<std::string> fields{"total_amount"};
  for (const auto& section : kSheetSections) {
    if (auto total = money_of(in.reading, std::string(section.total))) {
      sum += *total;
      anything = true;
      fields.emplace_back(section.total);
      continue;
    }
    const RowSum rows = sum_rows(in.reading, std::string(section.table));
    if (!rows.complete) return;
    sum += rows.sum;
    anything = anything || rows.rows > 0;
    fields.insert(fields.end(), rows.fields.begin(), rows.fields.end());
  }
  const RowSum other = sum_rows(in.reading, std::string(kUnsectionedTable));
  if (!other.complete) return;
  sum += other.sum;
  anything = anything || other.rows > 0;
  fields.insert(fields.end(), other.fields.begin(), other.fields.end());
  if (!anything || sum == *declared) return;
  out.push_back({"declared_total_matches_sections", core::Severity::kError, fields,
                 "declared total " + declared->decimal() + " differs from the sum " +
                     sum.decimal() + " of the sections"});
}

// Above the configured ceiling a sheet needs a prise en charge: with its number read, only a
// warning; without, an error. Single rows outside their table's typical range only warn.
void amount_plausible(const RuleInput& in, Findings& out) {
  const auto& cfg = in.config.validation;
  if (auto total = money_of(in.reading, "total_amount");
      total && total->centimes > cfg.implausible_total_centimes) {
    const bool covered = text_of(in.reading, "pec_number").has_value();
    out.push_back(
        {"amount_plausible",
         covered ? core::Severity::kWarning : core::Severity::kError,
         {"total_amount"},
         "declared total " + total->decimal() + " is above " +
             core::Money{cfg.implausible_total_centimes}.decimal() +
             (covered ? " (a prise en charge number is given)" : " without a prise en charge")});
  }
  for (size_t i = 0; i < in.reading.lines.size(); ++i) {
    const auto& line = in.reading.lines[i];
    auto range = cfg.line_amount_ranges.find(line.table);
    auto amount = cell_money(line, "amount");
    if (range == cfg.line_amount_ranges.end() || !amount) continue;
    if (amount->centimes >= range->second.min_centimes &&
        amount->centimes <= range->second.max_centimes) {
      continue;
    }
    out.push_back({"amount_plausible",
                   core::Severity::kWarning,
                   {line_field(i, "amount")},
                   "amount " + amount->decimal() + " of row " + std::to_string(i + 1) +
                       " is outside the usual range for " + line.table});
  }
}

// Fees are free (domain file), so a row far from coefficient x key-letter value only warns.
void amount_matches_tariff(const RuleInput& in, Findings& out) {
  const auto& cfg = in.config.validation;
  for (size_t i = 0; i < in.reading.lines.size(); ++i) {
    const auto& line = in.reading.lines[i];
    auto code = cell_text(line, "code");
    auto coefficient = cell_text(line, "coefficient");
    auto amount = cell_money(line, "amount");
    if (!code || !amount) continue;
    auto tariff = tariff_of(cfg, *code);
    if (!tariff) continue;
    double units = 1;
    if (coefficient) {
      char* end = nullptr;
      units = std::strtod(coefficient->c_str(), &end);
      if (end == coefficient->c_str() || *end != '\0' || units <= 0) continue;
    }
    const double expected = units * static_cast<double>(*tariff);
    const double gap = std::abs(static_cast<double>(amount->centimes) - expected);
    if (gap <= cfg.tariff_tolerance * expected) continue;
    out.push_back({"amount_matches_tariff",
                   core::Severity::kWarning,
                   {line_field(i, "amount"), line_field(i, "code")},
                   "amount " + amount->decimal() + " of row " + std::to_string(i + 1) +
                       " is far from the tariff " + core::Money{std::llround(expected)}.decimal()});
  }
}

}  // namespace carescan::validate
