#include "core/cin.h"

#include <gtest/gtest.h>

using carescan::core::CinShape;
using carescan::core::classify_cin;
using carescan::core::mask_cin;
using carescan::core::normalize_cin;

TEST(Cin, NormalisesToCapitalsWithoutSpaces) {
  EXPECT_EQ(normalize_cin(" be 123 456"), "BE123456");
}

TEST(Cin, AcceptsOneOrTwoLettersThenFiveOrSixDigits) {
  EXPECT_EQ(classify_cin("BE123456"), CinShape::kStrict);
  EXPECT_EQ(classify_cin("A12345"), CinShape::kStrict);
  EXPECT_EQ(classify_cin("J123456"), CinShape::kStrict);
}

TEST(Cin, WarnsOnOtherLettersThenDigitsShapes) {
  EXPECT_EQ(classify_cin("ABC12345"), CinShape::kUnusual);
  EXPECT_EQ(classify_cin("A1234"), CinShape::kUnusual);
}

TEST(Cin, RejectsDigitsBeforeLettersAndOverlongNumbers) {
  EXPECT_EQ(classify_cin("123456BE"), CinShape::kInvalid);
  EXPECT_EQ(classify_cin("BE1234567"), CinShape::kInvalid);
  EXPECT_EQ(classify_cin("B0E12345"), CinShape::kInvalid);
  EXPECT_EQ(classify_cin(""), CinShape::kInvalid);
}

TEST(Cin, MaskKeepsOnlyPrefixAndLastTwoDigits) {
  EXPECT_EQ(mask_cin("BE123456"), "BE****56");
  EXPECT_EQ(mask_cin("A1234"), "A****");
}
