#include <gtest/gtest.h>

#include "validate/reading_builder.h"
#include "validate/validate.h"

namespace carescan::validate {
namespace {

using testing::field;
using testing::with_rule;

class DateRules : public testing::RuleTest {};

TEST_F(DateRules, RejectsADateThatIsNotOnTheCalendar) {
  reading.fields["birth_date"] = field("2003-02-30");
  reading.lines[1].cells["date"] = field("2025-13-01");
  const auto found = with_rule(run(), "date_real");
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(found[0].fields, std::vector<std::string>{"birth_date"});
  EXPECT_EQ(found[1].fields, std::vector<std::string>{"lines[1].date"});
}

TEST_F(DateRules, RejectsACareDateAfterTheDayOfReceipt) {
  reading.lines[2].cells["date"] = field("2025-03-21");
  reading.fields["signature_date"] = field("2025-03-21");
  const auto found = with_rule(run(), "care_date_not_future");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].fields, std::vector<std::string>{"lines[2].date"});
  EXPECT_EQ(with_rule(run(), "signature_date_not_future").size(), 1U);
}

TEST_F(DateRules, AcceptsCareOnTheDayOfReceipt) {
  today = core::Date{2025, 3, 14};
  EXPECT_TRUE(with_rule(run(), "care_date_not_future").empty());
  EXPECT_TRUE(with_rule(run(), "signature_date_not_future").empty());
}

TEST_F(DateRules, RejectsASignatureBeforeACareDate) {
  reading.fields["signature_date"] = field("2025-03-12");
  const auto found = with_rule(run(), "signature_after_care");
  ASSERT_EQ(found.size(), 2U);  // both pharmacy rows are dated the 13th
  EXPECT_EQ(found[0].fields, (std::vector<std::string>{"signature_date", "lines[1].date"}));
}

TEST_F(DateRules, AcceptsASignatureOnTheLastCareDay) {
  reading.fields["signature_date"] = field("2025-03-13");
  EXPECT_TRUE(with_rule(run(), "signature_after_care").empty());
}

TEST_F(DateRules, FlagsASheetReceivedAfterTheDepositDeadline) {
  today = core::Date{2025, 3, 12}.plus_days(config.validation.deposit_deadline_days + 1);
  const auto found = with_rule(run(), "deposit_deadline");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].fields, std::vector<std::string>{"lines[0].date"});
}

TEST_F(DateRules, AcceptsASheetReceivedOnTheLastDayOfTheDeadline) {
  today = core::Date{2025, 3, 12}.plus_days(config.validation.deposit_deadline_days);
  EXPECT_TRUE(with_rule(run(), "deposit_deadline").empty());
}

TEST_F(DateRules, FollowsTheConfiguredDeadline) {
  config.validation.deposit_deadline_days = 5;
  EXPECT_EQ(with_rule(run(), "deposit_deadline").size(), 1U);
}

TEST_F(DateRules, SkipsDateRulesForUnreadDates) {
  for (auto& l : reading.lines) l.cells["date"] = testing::blank();
  reading.fields["signature_date"] = testing::blank();
  today = core::Date{2020, 1, 1};
  const auto findings = run();
  for (const char* rule : {"date_real", "care_date_not_future", "signature_date_not_future",
                           "signature_after_care", "deposit_deadline"}) {
    EXPECT_TRUE(with_rule(findings, rule).empty()) << rule;
  }
}

}  // namespace
}  // namespace carescan::validate
