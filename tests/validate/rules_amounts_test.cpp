#include <gtest/gtest.h>

#include "validate/reading_builder.h"
#include "validate/validate.h"

namespace carescan::validate {
namespace {

using testing::field;
using testing::with_rule;

class AmountRules : public testing::RuleTest {};

TEST_F(AmountRules, RejectsASectionTotalThatIsNotTheSumOfItsRows) {
  reading.lines[2].cells["amount"] = field("75.00");
  const auto found = with_rule(run(), "section_total_matches_lines");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kError);
  EXPECT_EQ(found[0].fields,
            (std::vector<std::string>{"pharmacy_total", "lines[1].amount", "lines[2].amount"}));
}

TEST_F(AmountRules, RejectsTotalThatDoesNotAddUp) {
  reading.fields["total_amount"] = field("425.50");
  const auto found = with_rule(run(), "declared_total_matches_sections");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].fields[0], "total_amount");
  EXPECT_NE(found[0].message.find("420.50"), std::string::npos);
}

TEST_F(AmountRules, CountsOtherActsRowsIntoTheDeclaredTotal) {
  reading.lines.push_back(testing::line("other_acts", 0, "2025-03-13", "80.00"));
  EXPECT_EQ(with_rule(run(), "declared_total_matches_sections").size(), 1U);
  reading.fields["total_amount"] = field("500.50");
  EXPECT_TRUE(with_rule(run(), "declared_total_matches_sections").empty());
}

TEST_F(AmountRules, SumsTheRowsOfASectionWhoseTotalBoxIsBlank) {
  reading.fields["pharmacy_total"] = testing::blank();
  EXPECT_TRUE(with_rule(run(), "declared_total_matches_sections").empty());
  reading.fields["total_amount"] = field("150.00");
  EXPECT_EQ(with_rule(run(), "declared_total_matches_sections").size(), 1U);
}

TEST_F(AmountRules, SkipsSumsWhenARowAmountWasNotRead) {
  reading.lines[1].cells["amount"] = testing::blank();
  reading.fields["pharmacy_total"] = testing::blank();
  const auto findings = run();
  EXPECT_TRUE(with_rule(findings, "section_total_matches_lines").empty());
  EXPECT_TRUE(with_rule(findings, "declared_total_matches_sections").empty());
}

TEST_F(AmountRules, IgnoresARowInWhichNothingWasRead) {
  core::ReadLine empty;
  empty.table = "pharmacy_items";
  empty.row = 4;
  empty.cells["date"] = testing::blank();
  empty.cells["amount"] = testing::blank();
  reading.lines.push_back(empty);
  reading.lines[2].cells["amount"] = field("75.00");
  EXPECT_EQ(with_rule(run(), "section_total_matches_lines").size(), 1U);
}

TEST_F(AmountRules, RejectsAnAmountThatIsNotMoney) {
  reading.lines[0].cells["amount"] = field("15O.00");
  const auto found = with_rule(run(), "amount_readable");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].fields, std::vector<std::string>{"lines[0].amount"});
}

TEST_F(AmountRules, RejectsATotalAboveTheCeilingWithoutPriseEnCharge) {
  reading.fields["total_amount"] = field("25000.00");
  auto found = with_rule(run(), "amount_plausible");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kError);
  reading.fields["pec_number"] = field("1234567890");
  found = with_rule(run(), "amount_plausible");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kWarning);
}

TEST_F(AmountRules, AcceptsATotalAtTheCeiling) {
  reading.fields["total_amount"] = field("20000.00");
  EXPECT_TRUE(with_rule(run(), "amount_plausible").empty());
}

TEST_F(AmountRules, WarnsOnARowOutsideItsTablesUsualRange) {
  reading.lines[2].cells["amount"] = field("0.50");
  const auto found = with_rule(run(), "amount_plausible");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kWarning);
  EXPECT_EQ(found[0].fields, std::vector<std::string>{"lines[2].amount"});
}

TEST_F(AmountRules, WarnsButNeverRejectsAnAmountFarFromTheTariff) {
  reading.lines[0].cells["code"] = field("Z");
  reading.lines[0].cells["coefficient"] = field("40");  // 40 x 10.00 = 400.00, billed 150.00
  const auto found = with_rule(run(), "amount_matches_tariff");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kWarning);
}

TEST_F(AmountRules, AcceptsAnAmountNearTheTariff) {
  reading.lines[0].cells["code"] = field("Z");
  reading.lines[0].cells["coefficient"] = field("15");  // 150.00 exactly
  EXPECT_TRUE(with_rule(run(), "amount_matches_tariff").empty());
}

}  // namespace
}  // namespace carescan::validate
