#pragma once
// Constrained decoding of a comb: the field's grammar picks the most probable valid reading from
// each cell's classifier alternatives (a CIN's letters then digits, a real calendar date, an
// amount's right-aligned whole part), with the probability that this reading is the right one.

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "recognize/recognizer.h"

namespace carescan::extract {

enum class CombGrammar {
  kDigits,  // every cell a digit (INPE, ALD code, prise-en-charge number), left-aligned
  kCin,     // 1-2 capitals then digits, left-aligned; 5-6 digits is the usual shape
  kDate,    // dd mm yyyy, a real calendar date
  kAmount,  // whole dirhams right-aligned before the separator, two centime digits after
};

// What the classifier made of one cell. A cell without ink holds nothing; an inked one holds
// one of `alternatives` (probabilities over the classes; "" = no character).
struct CellGuess {
  bool inked = false;
  std::vector<recognize::Alternative> alternatives;
};

struct CombDecoding {
  std::vector<std::string> cells;  // per cell: one character or ""
  // Probability of this reading among all readings the grammar allows, times the probability
  // that the ink holds a valid reading at all: low when the best valid reading is a stretch.
  double confidence = 0;
};

struct DecodeLimits {
  int year_min = 1900;  // dates outside these years are not readings of a care sheet
  int year_max = 2099;
  // Where the date is expected, as a soft prior: a reading outside [from, to] keeps
  // `outside_weight` of its probability (none given: no prior).
  std::optional<core::Date> expected_from;
  std::optional<core::Date> expected_to;
  double outside_weight = 1;
};

CombDecoding decode_comb(const std::vector<CellGuess>& cells, CombGrammar grammar,
                         const DecodeLimits& limits = {});

}  // namespace carescan::extract
