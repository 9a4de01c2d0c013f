#include "extract/arithmetic.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/money.h"
#include "core/sections.h"
#include "extract/normalize.h"

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
  std::vector<const core::ReadLine*> lines;  // each cell's row
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
    out.lines.push_back(&line);
  }
  return out;
}

void mark(const std::vector<core::ReadField*>& cells) {
  for (auto* cell : cells) cell->corroborated = true;
}

// An amount in a sum: +1 for a part, -1 for the total the parts make.
struct Term {
  core::ReadField* field = nullptr;
  std::int64_t sign = 1;
  std::int64_t centimes = 0;
  bool fixed = false;  // taken as read: a key field, or a total its own rows confirm
};

// What the sum is off by, in centimes: 0 when the parts make the total.
std::int64_t balance_of(const std::vector<Term>& terms) {
  std::int64_t balance = 0;
  for (const auto& t : terms) balance += t.sign * t.centimes;
  return balance;
}

struct Choice {
  std::size_t term = 0;
  std::size_t other = 0;
};

struct Mend {
  std::vector<Choice> choices;
  double log_odds = 0;
};

// Other readings tried per amount (those within the mend's log-odds), and how much likelier the
// chosen change must be than the next one that also makes the sum right (log-odds): two fits
// alike are a guess.
constexpr std::size_t kOthersTried = 8;
const double kClearlyLikelier = std::log(3.0);
// At most this many amounts change together: a total and both rows that lost their commas.
constexpr std::size_t kMostChanged = 3;

std::optional<std::int64_t> centimes_of(const std::string& value) {
  const auto m = core::parse_money(value);
  if (!m) return std::nullopt;
  return m->centimes;
}

// Every change of up to kMostChanged terms to another reading that balances the sum (deltas in
// centimes), ranked by log-odds.
std::vector<Mend> balancing(const std::vector<Term>& terms, std::int64_t balance,
                            double max_log_odds) {
  struct Option {
    std::size_t term;
    std::size_t other;
    std::int64_t delta;
    double log_odds;
  };
  std::vector<Option> options;
  for (std::size_t t = 0; t < terms.size(); ++t) {
    if (terms[t].fixed) continue;
    const auto& others = terms[t].field->others;
    for (std::size_t o = 0; o < std::min(kOthersTried, others.size()); ++o) {
      // Readings weighed for the sum's sake (FieldExtractor::weigh_others) join the others by
      // their odds, so a likely one may sit below a few unlikely guesses.
      if (others[o].log_odds < -max_log_odds) break;
      const auto c = centimes_of(others[o].value);
      if (!c) continue;
      options.push_back({t, o, terms[t].sign * (*c - terms[t].centimes), others[o].log_odds});
    }
  }
  // Depth-first over options in order, each term changed at most once.
  std::vector<Mend> out;
  Mend current;
  std::vector<bool> used(terms.size(), false);
  const auto search = [&](const auto& self, std::size_t from, std::int64_t left) -> void {
    for (std::size_t i = from; i < options.size(); ++i) {
      const Option& o = options[i];
      if (used[o.term]) continue;
      used[o.term] = true;
      current.choices.push_back({o.term, o.other});
      current.log_odds += o.log_odds;
      if (left + o.delta == 0) out.push_back(current);
      if (current.choices.size() < kMostChanged) self(self, i + 1, left + o.delta);
      current.log_odds -= o.log_odds;
      current.choices.pop_back();
      used[o.term] = false;
    }
  };
  search(search, 0, balance);
  std::sort(out.begin(), out.end(),
            [](const Mend& x, const Mend& y) { return x.log_odds > y.log_odds; });
  return out;
}

// Takes `other` as the field's value, `share` being the mend's probability; the value it
// replaces becomes one of its others.
void take(core::ReadField& field, std::size_t other, double share) {
  const core::OtherValue chosen = field.others[other];
  core::OtherValue previous{*field.value, field.raw.value_or(*field.value), 0};
  field.others.erase(field.others.begin() + static_cast<long>(other));
  for (auto& o : field.others) o.log_odds -= chosen.log_odds;
  previous.log_odds = -chosen.log_odds;
  field.others.insert(field.others.begin(), previous);
  field.value = chosen.value;
  field.raw = chosen.raw;
  field.mended = true;
  field.confidence = share;
}

void mend(const std::vector<Term>& terms, double max_log_odds) {
  const std::int64_t balance = balance_of(terms);
  if (balance == 0) return;
  const auto mends = balancing(terms, balance, max_log_odds);
  if (mends.empty() || mends.front().log_odds < -max_log_odds) return;
  if (mends.size() > 1 && mends.front().log_odds - mends[1].log_odds < kClearlyLikelier) return;
  // The mend's share against every balancing mend and the readings as read (the writer's own
  // wrong sum, odds 1): a raw figure that calibration maps to how often mends are right.
  double odds = 1;
  for (const auto& m : mends) odds += std::exp(m.log_odds);
  const double share = std::exp(mends.front().log_odds) / odds;
  for (const auto& c : mends.front().choices) take(*terms[c.term].field, c.other, share);
}

std::optional<std::string> with_lost_comma(const std::string& text) {
  if (text.size() < 3 || text.find_first_not_of("0123456789") != std::string::npos) return {};
  return text.substr(0, text.size() - 2) + "," + text.substr(text.size() - 2);
}

const double kLostComma = std::log(0.5);

// A section whose total is written as an amount and whose rows are read, some of them.
struct SectionSum {
  core::ReadField* total = nullptr;
  std::int64_t written = 0;  // the total, in centimes
  Rows rows;
};

std::optional<SectionSum> section_sum(std::map<std::string, core::ReadField>& fields,
                                      std::vector<core::ReadLine>& lines,
                                      const core::SheetSection& section) {
  const auto it = fields.find(std::string(section.total));
  if (it == fields.end() || !it->second.value) return std::nullopt;
  const auto written = centimes_of(*it->second.value);
  auto rows = rows_of(lines, section.table);
  if (!written || !rows || rows->cells.empty()) return std::nullopt;
  return SectionSum{&it->second, *written, std::move(*rows)};
}

// The declared total's sum: the section totals (a section without one: its rows) and the rows of
// the table without a total box, against the declared total. The declared total is a key field,
// whose confidence is its own reading's; a section total that its rows confirm stays too.
// nullopt when a part is unread or not an amount.
std::optional<std::vector<Term>> declared_terms(std::map<std::string, core::ReadField>& fields,
                                                std::vector<core::ReadLine>& lines) {
  const auto declared_it = fields.find(std::string(core::kDeclaredTotal));
  if (declared_it == fields.end() || !declared_it->second.value) return std::nullopt;
  const auto declared = centimes_of(*declared_it->second.value);
  const auto other = rows_of(lines, core::kUnsectionedTable);
  if (!declared || !other) return std::nullopt;
  std::vector<Term> terms{{&declared_it->second, -1, *declared, true}};
  for (const auto& section : core::kSheetSections) {
    const auto rows = rows_of(lines, section.table);
    const auto it = fields.find(std::string(section.total));
    if (it != fields.end() && it->second.value) {
      const auto total = centimes_of(*it->second.value);
      if (!total) return std::nullopt;
      const bool confirmed = rows && !rows->cells.empty() && rows->sum.centimes == *total;
      terms.push_back({&it->second, 1, *total, confirmed});
    } else if (rows) {
      for (auto* cell : rows->cells) terms.push_back({cell, 1, *centimes_of(*cell->value)});
    } else {
      return std::nullopt;
    }
  }
  for (auto* cell : other->cells) terms.push_back({cell, 1, *centimes_of(*cell->value)});
  return terms;
}

}  // namespace

std::vector<core::OtherValue> amount_others(const recognize::Recognition& reading) {
  std::vector<core::OtherValue> out;
  const auto chosen = std::find_if(reading.readings.begin(), reading.readings.end(),
                                   [&reading](const auto& r) { return r.text == reading.text; });
  if (chosen == reading.readings.end() || chosen->probability <= 0) return out;
  const auto value = normalize(ValueKind::kMoney, reading.text).value;
  const auto add = [&](const std::string& text, double log_odds) {
    const Normalized other = normalize(ValueKind::kMoney, text);
    if (!other.valid || !other.value || other.value == value) return;
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&other](const auto& o) { return o.value == *other.value; });
    if (!seen) out.push_back({*other.value, text, log_odds});
  };
  for (const auto& r : reading.readings) {
    if (r.probability <= 0) continue;
    const double log_odds = std::log(r.probability / chosen->probability);
    add(r.text, log_odds);
    if (const auto comma = with_lost_comma(r.text)) add(*comma, log_odds + kLostComma);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.log_odds > b.log_odds; });
  return out;
}

void mend_sums(std::map<std::string, core::ReadField>& fields, std::vector<core::ReadLine>& lines,
               double max_log_odds) {
  if (max_log_odds <= 0) return;
  for (const auto& section : core::kSheetSections) {
    const auto sum = section_sum(fields, lines, section);
    if (!sum) continue;
    std::vector<Term> terms{{sum->total, -1, sum->written}};
    for (auto* cell : sum->rows.cells) terms.push_back({cell, 1, *centimes_of(*cell->value)});
    mend(terms, max_log_odds);
  }
  if (const auto declared = declared_terms(fields, lines)) mend(*declared, max_log_odds);
}

std::vector<ImpliedAmount> implied_amounts(std::map<std::string, core::ReadField>& fields,
                                           std::vector<core::ReadLine>& lines) {
  std::vector<ImpliedAmount> out;
  for (const auto& section : core::kSheetSections) {
    const auto sum = section_sum(fields, lines, section);
    if (!sum || sum->rows.sum.centimes == sum->written) continue;
    const auto& rows = sum->rows;
    for (std::size_t i = 0; i < rows.cells.size(); ++i) {
      const std::int64_t implied =
          sum->written - (rows.sum.centimes - *centimes_of(*rows.cells[i]->value));
      if (implied > 0) out.push_back({rows.cells[i], rows.lines[i], section.total, implied});
    }
    out.push_back({sum->total, nullptr, section.total, rows.sum.centimes});
  }
  const auto declared = declared_terms(fields, lines);
  if (!declared) return out;
  const std::int64_t balance = balance_of(*declared);
  if (balance == 0) return out;
  for (auto& line : lines) {
    if (line.table != core::kUnsectionedTable) continue;
    auto& cell = line.cells.at("amount");  // declared_terms found every row's amount
    const std::int64_t implied = *centimes_of(*cell.value) - balance;
    if (implied > 0) out.push_back({&cell, &line, core::kDeclaredTotal, implied});
  }
  return out;
}

void corroborate_sums(std::map<std::string, core::ReadField>& fields,
                      std::vector<core::ReadLine>& lines) {
  for (const auto& section : core::kSheetSections) {
    const auto sum = section_sum(fields, lines, section);
    if (sum && sum->rows.sum.centimes == sum->written) {
      mark(sum->rows.cells);
      sum->total->corroborated = true;
    }
  }
  // The declared total, and every part of its sum, when the sum holds and has a part at all.
  const auto declared = declared_terms(fields, lines);
  if (!declared || declared->size() < 2 || balance_of(*declared) != 0) return;
  for (const auto& term : *declared) term.field->corroborated = true;
}

}  // namespace carescan::extract
