#include "extract/arithmetic.h"

#include <gtest/gtest.h>

#include <cmath>

namespace carescan::extract {
namespace {

core::ReadField amount(const char* value) {
  core::ReadField f;
  if (value != nullptr) f.value = value;
  return f;
}

core::ReadLine row(const char* table, const char* value) {
  core::ReadLine line;
  line.table = table;
  line.cells["amount"] = amount(value);
  line.cells["date"] = amount("2025-03-12");
  return line;
}

struct Sheet {
  std::map<std::string, core::ReadField> fields;
  std::vector<core::ReadLine> lines;
};

// An ambulatory sheet: two medical acts (150 + 80), one drug (42.50), section totals and the
// declared total as written.
Sheet ambulatory(const char* medical_total, const char* pharmacy_total, const char* declared) {
  Sheet s;
  s.lines = {row("medical_acts", "150.00"), row("medical_acts", "80.00"),
             row("pharmacy_items", "42.50")};
  s.fields["medical_total"] = amount(medical_total);
  s.fields["pharmacy_total"] = amount(pharmacy_total);
  s.fields["total_amount"] = amount(declared);
  return s;
}

TEST(ImpliedAmounts, EachAmountOfASectionThatIsOffAndItsTotal) {
  // Medical rows 150 + 86 against a written 230: the first row should be 144, the second 80,
  // the total 236. The pharmacy adds up and says nothing; nothing read is changed.
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[1].cells["amount"] = amount("86.00");
  const auto implied = implied_amounts(s.fields, s.lines);
  ASSERT_EQ(implied.size(), 3U);
  EXPECT_EQ(implied[0].row, &s.lines[0]);
  EXPECT_EQ(implied[0].centimes, 14400);
  EXPECT_EQ(implied[1].row, &s.lines[1]);
  EXPECT_EQ(implied[1].centimes, 8000);
  EXPECT_EQ(implied[2].row, nullptr);
  EXPECT_EQ(implied[2].field, &s.fields.at("medical_total"));
  EXPECT_EQ(implied[2].total, "medical_total");
  EXPECT_EQ(implied[2].centimes, 23600);
  EXPECT_EQ(s.lines[1].cells.at("amount").value, "86.00");
  // A row the others already exceed implies nothing for itself (no amount is zero or less).
  s.lines[1].cells["amount"] = amount("300.00");
  const auto over = implied_amounts(s.fields, s.lines);
  ASSERT_EQ(over.size(), 2U);
  EXPECT_EQ(over[0].row, &s.lines[1]);
  EXPECT_EQ(over[0].centimes, 8000);
}

TEST(CorroborateSums, EverythingThatAddsUpIsMarked) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  corroborate_sums(s.fields, s.lines);
  for (const auto& [id, f] : s.fields) EXPECT_TRUE(f.corroborated) << id;
  for (const auto& line : s.lines) {
    EXPECT_TRUE(line.cells.at("amount").corroborated);
    EXPECT_FALSE(line.cells.at("date").corroborated);
  }
}

TEST(CorroborateSums, AMisreadRowLeavesItsSectionUnmarkedButNotTheOther) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[1].cells["amount"] = amount("86.00");
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.lines[0].cells.at("amount").corroborated);
  EXPECT_FALSE(s.lines[1].cells.at("amount").corroborated);
  EXPECT_TRUE(s.lines[2].cells.at("amount").corroborated);
  // The totals still agree with each other: the declared total and both section totals.
  EXPECT_TRUE(s.fields.at("total_amount").corroborated);
  EXPECT_TRUE(s.fields.at("medical_total").corroborated);
}

TEST(CorroborateSums, AMisreadDeclaredTotalIsNotMarked) {
  Sheet s = ambulatory("230.00", "42.50", "212.50");
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.fields.at("total_amount").corroborated);
  EXPECT_TRUE(s.fields.at("medical_total").corroborated);  // its rows add up
}

TEST(CorroborateSums, ABlankSectionTotalCountsItsRows) {
  Sheet s = ambulatory(nullptr, "42.50", "272.50");
  corroborate_sums(s.fields, s.lines);
  EXPECT_TRUE(s.fields.at("total_amount").corroborated);
  EXPECT_TRUE(s.lines[0].cells.at("amount").corroborated);
}

TEST(CorroborateSums, AnUnreadAmountProvesNothing) {
  Sheet s = ambulatory(nullptr, "42.50", "272.50");
  s.lines[0].cells["amount"] = amount(nullptr);
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.fields.at("total_amount").corroborated);
  EXPECT_FALSE(s.lines[1].cells.at("amount").corroborated);
  // The pharmacy section still adds up on its own.
  EXPECT_TRUE(s.fields.at("pharmacy_total").corroborated);
}

TEST(CorroborateSums, NoRowsAndNoSectionsProveNothing) {
  Sheet s;
  s.fields["total_amount"] = amount("0.00");
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.fields.at("total_amount").corroborated);
}

core::ReadField amount_or(const char* value, std::vector<core::OtherValue> others) {
  core::ReadField f = amount(value);
  f.confidence = 0.3;
  f.others = std::move(others);
  return f;
}

TEST(MendSums, AMisreadRowTakesTheSecondChoiceThatMakesItsSectionAddUp) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[1].cells["amount"] = amount_or("86.00", {{"88.00", "88,00", -0.5}, {"80.00", "80", -1}});
  mend_sums(s.fields, s.lines, 4);
  const core::ReadField& row = s.lines[1].cells.at("amount");
  EXPECT_EQ(row.value, "80.00");
  EXPECT_EQ(row.raw, "80");
  EXPECT_TRUE(row.mended);
  // The value it replaced is now its likeliest other.
  ASSERT_FALSE(row.others.empty());
  EXPECT_EQ(row.others.front().value, "86.00");
  EXPECT_DOUBLE_EQ(row.others.front().log_odds, 1);
  EXPECT_FALSE(s.fields.at("medical_total").mended);
  EXPECT_FALSE(s.lines[0].cells.at("amount").mended);
  corroborate_sums(s.fields, s.lines);
  EXPECT_TRUE(s.fields.at("medical_total").corroborated);
}

TEST(MendSums, ATotalAndARowThatLostTheirCommasAreMendedTogether) {
  Sheet s = ambulatory("230.00", "4250.00", "272.50");
  s.fields["pharmacy_total"] = amount_or("4250.00", {{"42.50", "42,50", -0.7}});
  s.lines[2].cells["amount"] = amount_or("4250.00", {{"42.50", "42,50", -0.7}});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.fields.at("pharmacy_total").value, "4250.00");  // 4250 = 4250: nothing to mend
  s.lines[2].cells["amount"] = amount_or("42.50", {});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.fields.at("pharmacy_total").value, "42.50");
  EXPECT_TRUE(s.fields.at("pharmacy_total").mended);
  // Confidence is the mend's share against the readings as read: 0.5 / (1 + 0.5).
  EXPECT_NEAR(s.fields.at("pharmacy_total").confidence, 1.0 / 3, 0.01);
}

TEST(MendSums, AnUnlikelyChangeIsNotMade) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[1].cells["amount"] = amount_or("86.00", {{"80.00", "80", -5}});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.lines[1].cells.at("amount").value, "86.00");
  EXPECT_FALSE(s.lines[1].cells.at("amount").mended);
  mend_sums(s.fields, s.lines, 6);
  EXPECT_EQ(s.lines[1].cells.at("amount").value, "80.00");
}

TEST(MendSums, TwoMendsAlikeAreAGuessAndNeitherIsMade) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[0].cells["amount"] = amount_or("156.00", {{"150.00", "150", -1}});
  s.lines[1].cells["amount"] = amount_or("80.00", {{"74.00", "74", -1.2}});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.lines[0].cells.at("amount").value, "156.00");
  EXPECT_EQ(s.lines[1].cells.at("amount").value, "80.00");
}

TEST(MendSums, SumsThatCheckOutAndZeroOddsTouchNothing) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[0].cells["amount"] = amount_or("150.00", {{"130.00", "130", -0.1}});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.lines[0].cells.at("amount").value, "150.00");
  s.lines[1].cells["amount"] = amount_or("86.00", {{"80.00", "80", -0.1}});
  mend_sums(s.fields, s.lines, 0);
  EXPECT_EQ(s.lines[1].cells.at("amount").value, "86.00");
}

TEST(MendSums, AReadingWeighedForTheSumIsTriedBelowUnlikelierGuesses) {
  // The ink weighed as 80 (FieldExtractor::weigh_others) comes fifth of the row's others, by
  // its odds; it is still tried.
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[1].cells["amount"] = amount_or("86.00", {{"36.00", "36", -0.5},
                                                   {"85.00", "85", -0.9},
                                                   {"8.60", "8,60", -1.2},
                                                   {"96.00", "96", -2.0},
                                                   {"80.00", "80", -3.0}});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.lines[1].cells.at("amount").value, "80.00");
}

TEST(MendSums, ARowOfTheTableWithoutATotalBoxIsMendedByTheDeclaredTotal) {
  // `other_acts` adds straight into the declared total: 230 + 42.50 + 100 = 372.50.
  Sheet s = ambulatory("230.00", "42.50", "372.50");
  s.lines.push_back(row("other_acts", "1700.00"));
  s.lines.back().cells["amount"] = amount_or("1700.00", {{"100.00", "100", -2}});
  const auto implied = implied_amounts(s.fields, s.lines);
  ASSERT_EQ(implied.size(), 1U);
  EXPECT_EQ(implied[0].row, &s.lines.back());
  EXPECT_EQ(implied[0].total, "total_amount");
  EXPECT_EQ(implied[0].centimes, 10000);
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.lines.back().cells.at("amount").value, "100.00");
  EXPECT_TRUE(s.lines.back().cells.at("amount").mended);
  EXPECT_FALSE(s.fields.at("total_amount").mended);
  corroborate_sums(s.fields, s.lines);
  EXPECT_TRUE(s.fields.at("total_amount").corroborated);
}

TEST(MendSums, ASectionTotalItsRowsConfirmIsNotChangedForTheDeclaredTotal) {
  // 230 + 42.50 = 272.50 read as 242.50: the medical total's other reading 200 would make the
  // declared sum right, but its rows say 230. The declared total stays wrong, for the validator.
  Sheet s = ambulatory("230.00", "42.50", "242.50");
  s.fields["medical_total"] = amount_or("230.00", {{"200.00", "200", -0.5}});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.fields.at("medical_total").value, "230.00");
  EXPECT_EQ(s.fields.at("total_amount").value, "242.50");
}

TEST(MendSums, TheDeclaredTotalIsLeftAsWrittenForTheValidator) {
  Sheet s = ambulatory("230.00", "42.50", "212.50");
  s.fields["total_amount"] = amount_or("212.50", {{"272.50", "272,50", -0.1}});
  mend_sums(s.fields, s.lines, 4);
  EXPECT_EQ(s.fields.at("total_amount").value, "212.50");
}

TEST(AmountOthers, OtherReadingsWithACommaAndTheCommaALightPenLost) {
  recognize::Recognition r;
  r.text = "4250";
  r.confidence = 0.6;
  r.readings = {{"4250", 0.6}, {"42,50", 0.06}, {"4256", 0.2}, {"425,60", 0.12}, {"x", 0.02}};
  const auto others = amount_others(r);
  ASSERT_EQ(others.size(), 3U);
  // 4250 with a comma is half as likely as 4250, whatever the beam thought of 42,50.
  EXPECT_EQ(others[0].value, "42.50");
  EXPECT_NEAR(others[0].log_odds, std::log(0.5), 1e-9);
  EXPECT_EQ(others[1].value, "425.60");
  EXPECT_NEAR(others[1].log_odds, std::log(0.12 / 0.6), 1e-9);
  // A reading with no comma is another only with its comma (4256 is not an amount as written).
  EXPECT_EQ(others[2].value, "42.56");
  EXPECT_NEAR(others[2].log_odds, std::log(0.2 / 0.6 * 0.5), 1e-9);
  EXPECT_TRUE(amount_others(recognize::Recognition{}).empty());
}

}  // namespace
}  // namespace carescan::extract
