#include "core/money.h"

#include <gtest/gtest.h>

using carescan::core::Money;
using carescan::core::parse_money;

TEST(Money, ParsesHowPeopleWriteAmounts) {
  EXPECT_EQ(parse_money("1 250,00")->centimes, 125000);
  EXPECT_EQ(parse_money("350,5")->centimes, 35050);
  EXPECT_EQ(parse_money("350")->centimes, 35000);
  EXPECT_EQ(parse_money("1250.00")->centimes, 125000);
  EXPECT_EQ(parse_money("0,07")->centimes, 7);
}

TEST(Money, RejectsWhatIsNotAnAmount) {
  EXPECT_FALSE(parse_money(""));
  EXPECT_FALSE(parse_money("12,345"));
  EXPECT_FALSE(parse_money("12,3,4"));
  EXPECT_FALSE(parse_money("12a"));
  EXPECT_FALSE(parse_money(",50"));
  EXPECT_FALSE(parse_money("12,"));
}

TEST(Money, FormatsForTheContractAndForTheSheet) {
  EXPECT_EQ(Money{125000}.decimal(), "1250.00");
  EXPECT_EQ(Money{7}.decimal(), "0.07");
  EXPECT_EQ(Money{125000}.french(), "1 250,00");
  EXPECT_EQ(Money{12345678}.french(), "123 456,78");
  EXPECT_EQ(Money{125000}.french(false), "1250,00");
}

TEST(Money, AddsInCentimes) {
  Money total;
  for (int i = 0; i < 10; ++i) total += Money{10};
  EXPECT_EQ(total, Money{100});
  EXPECT_EQ(Money::from_dirhams(12, 5), Money{1205});
}
