#include "extract/comb_decode.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/date.h"

namespace carescan::extract {
namespace {

// An uninked cell may still have held a character too faint to keep: possible, very unlikely.
constexpr double kFaint = 1e-4;
constexpr double kFloor = 1e-6;
// Readings of an unusual shape (a CIN of 7 digits, an INPE cut short) stay possible, but a usual
// one of nearly the same probability wins.
constexpr double kUnusual = 0.02;

enum class Slot { kBlank, kDigit, kNonZero, kLetter };

// Per cell, the probability of each of the 37 outcomes: '0'-'9', 'A'-'Z', blank.
struct CellTable {
  std::array<double, 37> p{};  // index: digit d -> d, letter L -> 10 + (L - 'A'), blank -> 36
};

int index_of(const std::string& text) {
  if (text.empty()) return 36;
  const char c = text.front();
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return 10 + (c - 'A');
  return -1;
}

std::string text_of(int index) {
  if (index == 36) return "";
  if (index < 10) return std::string(1, static_cast<char>('0' + index));
  return std::string(1, static_cast<char>('A' + index - 10));
}

CellTable table_of(const CellGuess& guess) {
  CellTable t;
  if (!guess.inked) {
    t.p.fill(kFaint / 36);
    t.p[36] = 1.0 - kFaint;
    return t;
  }
  t.p.fill(kFloor);
  for (const auto& alt : guess.alternatives) {
    const int i = index_of(alt.text);
    if (i >= 0) t.p[i] = std::max(kFloor, alt.probability);
  }
  double sum = 0;
  for (double v : t.p) sum += v;
  for (double& v : t.p) v /= sum;
  return t;
}

std::pair<int, int> range_of(Slot slot) {
  switch (slot) {
    case Slot::kBlank:
      return {36, 37};
    case Slot::kDigit:
      return {0, 10};
    case Slot::kNonZero:
      return {1, 10};
    case Slot::kLetter:
      break;
  }
  return {10, 36};
}

// Capitals and digits written alike (the domain's O/0, I/1, S/5, B/8, Z/2, G/6): a cell's
// belief in one counts for the other's kind where the grammar allows only that kind. A stroke
// in a CIN's letter slot that the classifier calls 1 is a letter, not ink that fits no reading.
constexpr std::array<std::pair<char, char>, 6> kLookAlikes = {
    {{'O', '0'}, {'I', '1'}, {'S', '5'}, {'B', '8'}, {'Z', '2'}, {'G', '6'}}};

// Probability of outcome `c` in a slot of `slot`'s kind, with its look-alike's folded in when
// every structure gives the cell that kind (`forced`): where a cell may be a letter in one
// structure and a digit in another, the look-alike is what tells the structures apart. In a
// digit slot a letter's belief goes to its one look-alike (an S-shaped digit is a 5). In a
// letter slot the fold only says how much of the cell's belief is a letter's: a 0-shaped letter
// may be an O, a Q, a D or a C, a 1-shaped one an I, an L or a U, so slot_outcome shares the
// digits' belief among the letters by their own beliefs.
double in_slot(const CellTable& cell, int c, Slot slot, bool forced) {
  double p = cell.p[static_cast<std::size_t>(c)];
  if (!forced) return p;
  for (const auto& [letter, digit] : kLookAlikes) {
    // The indices of CellTable::p, without building a string per pair on this hot path.
    const int l = 10 + (letter - 'A');
    const int d = digit - '0';
    if (slot == Slot::kLetter && c == l) p += cell.p[static_cast<std::size_t>(d)];
    if ((slot == Slot::kDigit || slot == Slot::kNonZero) && c == d) {
      p += cell.p[static_cast<std::size_t>(l)];
    }
  }
  return p;
}

// A cell's likeliest outcome in its slot, its probability, and the slot's whole probability.
struct SlotOutcome {
  int arg = 0;
  double p = 0;
  double sum = 0;
};

SlotOutcome slot_outcome(const CellTable& cell, Slot slot, bool forced) {
  const auto [lo, hi] = range_of(slot);
  SlotOutcome out{lo, -1, 0};
  double own = 0;
  const bool shared = forced && slot == Slot::kLetter;
  for (int c = lo; c < hi; ++c) {
    const double folded = in_slot(cell, c, slot, forced);
    const double p = shared ? cell.p[static_cast<std::size_t>(c)] : folded;
    own += cell.p[static_cast<std::size_t>(c)];
    out.sum += folded;
    if (p > out.p) {
      out.arg = c;
      out.p = p;
    }
  }
  if (shared && own > 0) out.p *= out.sum / own;
  return out;
}

struct Structure {
  std::vector<Slot> slots;
  double prior = 1.0;
};

CombDecoding decode_structures(const std::vector<CellTable>& cells,
                               const std::vector<Structure>& structures) {
  CombDecoding best;
  double best_score = -1;
  double total = 0;
  const auto letter = [](Slot k) { return k == Slot::kLetter; };
  std::vector<bool> forced(cells.size(), true);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    for (const auto& s : structures) {
      if (s.slots[i] == Slot::kBlank || letter(s.slots[i]) != letter(structures.front().slots[i])) {
        forced[i] = false;
      }
    }
  }
  for (const auto& s : structures) {
    double score = s.prior;
    double mass = s.prior;
    std::vector<std::string> chars;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const SlotOutcome o = slot_outcome(cells[i], s.slots[i], forced[i]);
      score *= o.p;
      mass *= o.sum;
      chars.push_back(text_of(o.arg));
    }
    total += mass;
    if (score > best_score) {
      best_score = score;
      best.cells = std::move(chars);
    }
  }
  // best / total: the reading's share of the valid readings; total (<= 1): how much of the
  // classifier's belief the grammar's readings hold.
  best.confidence = total > 0 ? best_score / total * std::min(1.0, total) : 0;
  return best;
}

std::vector<Structure> digit_structures(std::size_t n) {
  std::vector<Structure> out;
  for (std::size_t k = 1; k <= n; ++k) {
    Structure s;
    s.slots.assign(n, Slot::kBlank);
    std::fill(s.slots.begin(), s.slots.begin() + static_cast<long>(k), Slot::kDigit);
    s.prior = k == n ? 1.0 : kUnusual;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Structure> cin_structures(std::size_t n) {
  std::vector<Structure> out;
  for (std::size_t letters = 1; letters <= 2 && letters < n; ++letters) {
    for (std::size_t digits = 1; letters + digits <= n; ++digits) {
      Structure s;
      s.slots.assign(n, Slot::kBlank);
      for (std::size_t i = 0; i < letters + digits; ++i) {
        s.slots[i] = i < letters ? Slot::kLetter : Slot::kDigit;
      }
      s.prior = digits == 5 || digits == 6 ? 1.0 : kUnusual;
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::vector<Structure> amount_structures(std::size_t n) {
  std::vector<Structure> out;
  if (n < 3) return digit_structures(n);
  for (std::size_t whole = 1; whole + 2 <= n; ++whole) {
    Structure s;
    s.slots.assign(n, Slot::kDigit);
    const std::size_t first = n - 2 - whole;
    for (std::size_t i = 0; i < first; ++i) s.slots[i] = Slot::kBlank;
    // A whole part of several digits does not start with 0.
    if (whole > 1) s.slots[first] = Slot::kNonZero;
    out.push_back(std::move(s));
  }
  return out;
}

// The top `k` digits of a cell, most probable first.
std::vector<int> top_digits(const CellTable& cell, std::size_t k) {
  std::vector<int> digits(10);
  for (int d = 0; d < 10; ++d) digits[d] = d;
  std::sort(digits.begin(), digits.end(), [&](int a, int b) { return cell.p[a] > cell.p[b]; });
  digits.resize(k);
  return digits;
}

double prior(const DecodeLimits& limits, const core::Date& date) {
  const bool early = limits.expected_from && date < *limits.expected_from;
  const bool late = limits.expected_to && date > *limits.expected_to;
  return early || late ? limits.outside_weight : 1.0;
}

CombDecoding decode_date(const std::vector<CellTable>& cells, const DecodeLimits& limits) {
  CombDecoding best;
  if (cells.size() != 8) return decode_structures(cells, digit_structures(cells.size()));
  // Four candidates per cell cover what a classifier confuses a handwritten digit with; the
  // dates they make are all weighed, the best valid one kept.
  constexpr std::size_t kTop = 4;
  std::array<std::vector<int>, 8> top;
  for (std::size_t i = 0; i < 8; ++i) top[i] = top_digits(cells[i], kTop);
  double best_score = -1;
  double total = 0;  // weighed by the prior
  double valid = 0;  // as read: how much of the ink's probability any valid date holds
  std::array<int, 8> chosen{};
  for (int d0 : top[0]) {
    for (int d1 : top[1]) {
      const int day = d0 * 10 + d1;
      if (day < 1 || day > 31) continue;
      for (int m0 : top[2]) {
        for (int m1 : top[3]) {
          const int month = m0 * 10 + m1;
          if (month < 1 || month > 12) continue;
          const double dm = cells[0].p[d0] * cells[1].p[d1] * cells[2].p[m0] * cells[3].p[m1];
          for (int y0 : top[4]) {
            for (int y1 : top[5]) {
              for (int y2 : top[6]) {
                for (int y3 : top[7]) {
                  const int year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
                  if (year < limits.year_min || year > limits.year_max ||
                      !core::is_real_date(year, month, day)) {
                    continue;
                  }
                  const double read =
                      dm * cells[4].p[y0] * cells[5].p[y1] * cells[6].p[y2] * cells[7].p[y3];
                  const double p = read * prior(limits, {year, month, day});
                  valid += read;
                  total += p;
                  if (p > best_score) {
                    best_score = p;
                    chosen = {d0, d1, m0, m1, y0, y1, y2, y3};
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  if (best_score <= 0) return decode_structures(cells, digit_structures(cells.size()));
  for (int d : chosen) best.cells.push_back(text_of(d));
  best.confidence = best_score / total * std::min(1.0, valid);
  return best;
}

}  // namespace

CombDecoding decode_comb(const std::vector<CellGuess>& cells, CombGrammar grammar,
                         const DecodeLimits& limits) {
  std::vector<CellTable> tables;
  tables.reserve(cells.size());
  for (const auto& cell : cells) tables.push_back(table_of(cell));
  if (tables.empty()) return {};
  switch (grammar) {
    case CombGrammar::kCin:
      return decode_structures(tables, cin_structures(tables.size()));
    case CombGrammar::kDate:
      return decode_date(tables, limits);
    case CombGrammar::kAmount:
      return decode_structures(tables, amount_structures(tables.size()));
    case CombGrammar::kDigits:
      break;
  }
  return decode_structures(tables, digit_structures(tables.size()));
}

}  // namespace carescan::extract
