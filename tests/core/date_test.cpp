#include "core/date.h"

#include <gtest/gtest.h>

using carescan::core::age_on;
using carescan::core::Date;
using carescan::core::parse_date;
using carescan::core::parse_iso_date;

TEST(Date, ParsesWrittenForms) {
  EXPECT_EQ(parse_date("12/03/2025"), (Date{2025, 3, 12}));
  EXPECT_EQ(parse_date("12/03/25"), (Date{2025, 3, 12}));
  EXPECT_EQ(parse_date("1/3/2025"), (Date{2025, 3, 1}));
  EXPECT_EQ(parse_date("12032025"), (Date{2025, 3, 12}));
  EXPECT_EQ(parse_date("12-03-1999"), (Date{1999, 3, 12}));
}

TEST(Date, TwoDigitYearsUseThePivot) {
  EXPECT_EQ(parse_date("01/01/98", 2030)->year, 1998);
  EXPECT_EQ(parse_date("01/01/30", 2030)->year, 2030);
}

TEST(Date, RejectsDatesNotInTheCalendar) {
  EXPECT_FALSE(parse_date("31/04/2025"));
  EXPECT_FALSE(parse_date("29/02/2025"));
  EXPECT_TRUE(parse_date("29/02/2024"));
  EXPECT_FALSE(parse_date("00/01/2025"));
  EXPECT_FALSE(parse_date("12/13/2025"));
  EXPECT_FALSE(parse_date("12/03/202"));
  EXPECT_FALSE(parse_date("1a/03/2025"));
  EXPECT_FALSE(parse_date(""));
}

TEST(Date, IsoRoundTrips) {
  const Date d{2025, 3, 12};
  EXPECT_EQ(d.iso(), "2025-03-12");
  EXPECT_EQ(d.french(), "12/03/2025");
  EXPECT_EQ(parse_iso_date(d.iso()), d);
  EXPECT_FALSE(parse_iso_date("2025-02-30"));
}

TEST(Date, DayArithmeticCrossesMonthsAndLeapYears) {
  EXPECT_EQ((Date{2024, 2, 28}).plus_days(1), (Date{2024, 2, 29}));
  EXPECT_EQ((Date{2024, 12, 31}).plus_days(1), (Date{2025, 1, 1}));
  EXPECT_EQ((Date{2025, 3, 1}).plus_days(-1), (Date{2025, 2, 28}));
  EXPECT_EQ((Date{1970, 1, 1}).days_since_epoch(), 0);
  EXPECT_EQ((Date{2025, 5, 1}).days_since_epoch() - (Date{2025, 3, 2}).days_since_epoch(), 60);
}

TEST(Date, AgeCountsWholeYears) {
  EXPECT_EQ(age_on(Date{2000, 6, 15}, Date{2030, 6, 14}), 29);
  EXPECT_EQ(age_on(Date{2000, 6, 15}, Date{2030, 6, 15}), 30);
}
