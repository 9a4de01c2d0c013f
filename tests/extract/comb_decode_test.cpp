#include "extract/comb_decode.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using carescan::extract::CellGuess;
using carescan::extract::CombGrammar;
using carescan::extract::decode_comb;

// An inked cell the classifier reads as `best` at `p`, with the rest spread over `others`.
CellGuess cell(const std::string& best, double p, const std::vector<std::string>& others = {}) {
  CellGuess g;
  g.inked = true;
  g.alternatives.push_back({best, p});
  for (const auto& o : others) {
    g.alternatives.push_back({o, (1 - p) / static_cast<double>(others.size())});
  }
  return g;
}

CellGuess blank() {
  return {};
}

std::string joined(const std::vector<std::string>& cells) {
  std::string out;
  for (const auto& c : cells) out += c;
  return out;
}

TEST(CombDecode, DateTakesTheBestRealDate) {
  // 31/02/2025 is the classifier's favourite, but February has no 31st: the second choice of
  // the day's first digit (1) makes 11/02/2025, a real date.
  std::vector<CellGuess> cells = {cell("3", 0.6, {"1"}),  cell("1", 0.9, {"7"}),
                                  cell("0", 0.95, {"6"}), cell("2", 0.9, {"7"}),
                                  cell("2", 0.95, {"7"}), cell("0", 0.95, {"6"}),
                                  cell("2", 0.9, {"7"}),  cell("5", 0.9, {"6"})};
  const auto decoded = decode_comb(cells, CombGrammar::kDate);
  EXPECT_EQ(joined(decoded.cells), "11022025");
  // A date that needed the runner-up of a cell is less sure than one that did not.
  cells[0] = cell("1", 0.9, {"3"});
  const auto clean = decode_comb(cells, CombGrammar::kDate);
  EXPECT_EQ(joined(clean.cells), "11022025");
  EXPECT_GT(clean.confidence, decoded.confidence);
}

TEST(CombDecode, DateMonthAboveTwelveIsNotRead) {
  // Month "19": the 9 is more probably a 0 misread than a month nineteen.
  const std::vector<CellGuess> cells = {
      cell("0", 0.9, {"6"}), cell("5", 0.9, {"6"}), cell("1", 0.9, {"7"}), cell("9", 0.55, {"0"}),
      cell("2", 0.9, {"7"}), cell("0", 0.9, {"6"}), cell("2", 0.9, {"7"}), cell("4", 0.9, {"9"})};
  EXPECT_EQ(joined(decode_comb(cells, CombGrammar::kDate).cells), "05102024");
}

TEST(CombDecode, CinLettersThenDigits) {
  // The second cell looks most like a 8 but a lone letter followed by seven digits is not a CIN
  // shape; "B" then six digits is.
  std::vector<CellGuess> cells = {
      cell("B", 0.9, {"8"}), cell("8", 0.5, {"B"}), cell("1", 0.9, {"I"}), cell("2", 0.9, {"Z"}),
      cell("3", 0.9, {"8"}), cell("4", 0.9, {"A"}), cell("5", 0.9, {"S"}), cell("6", 0.9, {"G"})};
  EXPECT_EQ(joined(decode_comb(cells, CombGrammar::kCin).cells), "BB123456");
  // A first cell read as a digit still becomes a letter: a CIN starts with one.
  cells[0] = cell("8", 0.7, {"B"});
  EXPECT_EQ(joined(decode_comb(cells, CombGrammar::kCin).cells), "BB123456");
}

TEST(CombDecode, CinFirstCellWrittenLikeItsDigitLookAlikeIsAsSureAsTheLetter) {
  // An I is a vertical stroke, which the classifier alone calls 1; in the CIN's first cell,
  // always a letter, that stroke is an I, as sure as an I it calls I.
  std::vector<CellGuess> cells = {
      cell("1", 0.9, {"I"}), cell("4", 0.9, {"A"}), cell("0", 0.9, {"O"}), cell("1", 0.9, {"7"}),
      cell("2", 0.9, {"Z"}), cell("3", 0.9, {"8"}), cell("7", 0.9, {"T"}), blank()};
  const auto stroke = decode_comb(cells, CombGrammar::kCin);
  EXPECT_EQ(joined(stroke.cells), "I401237");
  cells[0] = cell("I", 0.9, {"1"});
  const auto letter = decode_comb(cells, CombGrammar::kCin);
  EXPECT_EQ(joined(letter.cells), "I401237");
  EXPECT_NEAR(stroke.confidence, letter.confidence, 0.05);
  // The second cell may hold a letter or a digit: there the look-alike is what tells them apart,
  // and a stroke called 1 stays a 1.
  cells[1] = cell("1", 0.9, {"I"});
  EXPECT_EQ(joined(decode_comb(cells, CombGrammar::kCin).cells), "I101237");
}

TEST(CombDecode, CinFirstCellShapedLikeADigitIsTheLetterItsOwnBeliefFavours) {
  // A Q or a D written round is a 0 to the classifier, and a 0 looks like an O too: the
  // digit's belief says "a letter", not which one. Among the letters the cell's own belief
  // decides, and the reading stays as sure as the digit's belief makes it.
  CellGuess round;
  round.inked = true;
  round.alternatives = {{"0", 0.8}, {"Q", 0.14}, {"O", 0.06}};
  std::vector<CellGuess> cells = {round,
                                  cell("A", 0.9, {"4"}),
                                  cell("1", 0.9, {"7"}),
                                  cell("1", 0.9, {"7"}),
                                  cell("5", 0.9, {"6"}),
                                  cell("2", 0.9, {"7"}),
                                  cell("7", 0.9, {"1"}),
                                  cell("6", 0.9, {"5"})};
  const auto decoded = decode_comb(cells, CombGrammar::kCin);
  EXPECT_EQ(joined(decoded.cells), "QA115276");
  // As sure as a Q the classifier saw as a letter: a Q at 0.7 against an O.
  cells[0] = cell("Q", 0.7, {"O"});
  EXPECT_NEAR(decoded.confidence, decode_comb(cells, CombGrammar::kCin).confidence, 0.03);
}

TEST(CombDecode, CinWithOneLetterLeavesTheLastCellBlank) {
  const std::vector<CellGuess> cells = {
      cell("K", 0.9, {"X"}), cell("4", 0.9, {"A"}), cell("0", 0.9, {"O"}), cell("1", 0.9, {"I"}),
      cell("2", 0.9, {"Z"}), cell("3", 0.9, {"8"}), cell("7", 0.9, {"T"}), blank()};
  const auto decoded = decode_comb(cells, CombGrammar::kCin);
  EXPECT_EQ(joined(decoded.cells), "K401237");
  EXPECT_EQ(decoded.cells.back(), "");
  EXPECT_GT(decoded.confidence, 0.3);
}

TEST(CombDecode, AmountIsRightAlignedWithoutALeadingZero) {
  // 9 cells: whole part right-aligned before the two centimes. A leading "0" of a several-digit
  // whole part is read as its look-alike "6".
  const std::vector<CellGuess> cells = {blank(),
                                        blank(),
                                        blank(),
                                        blank(),
                                        cell("0", 0.5, {"6"}),
                                        cell("2", 0.9, {"7"}),
                                        cell("0", 0.9, {"6"}),
                                        cell("5", 0.9, {"6"}),
                                        cell("0", 0.9, {"6"})};
  const auto decoded = decode_comb(cells, CombGrammar::kAmount);
  EXPECT_EQ(joined(decoded.cells), "62050");
  EXPECT_EQ(decoded.cells[0], "");
}

TEST(CombDecode, NoiseInACellLowersTheConfidence) {
  std::vector<CellGuess> cells(9, cell("7", 0.95, {"1"}));
  const auto clean = decode_comb(cells, CombGrammar::kDigits);
  EXPECT_EQ(joined(clean.cells), "777777777");
  // The classifier thinks the fifth cell holds no character: the INPE still has 9 digits, but
  // the reading is a guess there.
  cells[4] = cell("", 0.8, {"1"});
  const auto noisy = decode_comb(cells, CombGrammar::kDigits);
  EXPECT_EQ(joined(noisy.cells), "777717777");
  EXPECT_LT(noisy.confidence, clean.confidence * 0.5);
}

}  // namespace

namespace {

// 16/09/2026 written; the classifier hesitates on the year's third digit (8 at 0.55, 2 at 0.45).
std::vector<CellGuess> signed_in_2086_or_2026() {
  return {cell("1", 0.95, {"7"}), cell("6", 0.95, {"0"}), cell("0", 0.95, {"6"}),
          cell("9", 0.95, {"4"}), cell("2", 0.95, {"7"}), cell("0", 0.95, {"6"}),
          cell("8", 0.55, {"2"}), cell("6", 0.95, {"0"})};
}

}  // namespace

TEST(CombDecode, DateWindowTipsAnUnsureDigitTowardTheExpectedDates) {
  const auto cells = signed_in_2086_or_2026();
  EXPECT_EQ(joined(decode_comb(cells, CombGrammar::kDate).cells), "16092086");
  carescan::extract::DecodeLimits limits;
  limits.expected_from = carescan::core::Date{2026, 9, 8};
  limits.expected_to = carescan::core::Date{2026, 11, 7};
  limits.outside_weight = 0.1;
  const auto windowed = decode_comb(cells, CombGrammar::kDate, limits);
  EXPECT_EQ(joined(windowed.cells), "16092026");
  EXPECT_GT(windowed.confidence, 0.5);
}

TEST(CombDecode, DateWindowNeverOverrulesClearInk) {
  auto cells = signed_in_2086_or_2026();
  cells[6] = cell("8", 0.99, {"2"});  // clearly 2086: the validator is the one to say it is wrong
  carescan::extract::DecodeLimits limits;
  limits.expected_from = carescan::core::Date{2026, 9, 8};
  limits.expected_to = carescan::core::Date{2026, 11, 7};
  limits.outside_weight = 0.1;
  EXPECT_EQ(joined(decode_comb(cells, CombGrammar::kDate, limits).cells), "16092086");
}
