#include "extract/normalize.h"

#include <gtest/gtest.h>

namespace carescan::extract {
namespace {

TEST(Normalize, CapitalsAreSingleSpacedUpperCase) {
  const auto n = normalize(ValueKind::kCapitals, "  el  amrani youssef ");
  ASSERT_TRUE(n.value);
  EXPECT_EQ(*n.value, "EL AMRANI YOUSSEF");
  EXPECT_TRUE(n.valid);
}

TEST(Normalize, ARingInAWordOfLettersIsTheLetterO) {
  EXPECT_EQ(normalize(ValueKind::kText, "RADI0 THORAX").value, "RADIO THORAX");
  EXPECT_EQ(normalize(ValueKind::kText, "S0INS CARIE").value, "SOINS CARIE");
  // Strengths and counts keep their digits.
  EXPECT_EQ(normalize(ValueKind::kText, "AMOXIL 500MG").value, "AMOXIL 500MG");
  EXPECT_EQ(normalize(ValueKind::kText, "DOLIPRANE 1G").value, "DOLIPRANE 1G");
  EXPECT_EQ(normalize(ValueKind::kText, "SERUM 0,9 %").value, "SERUM 0,9 %");
  EXPECT_EQ(normalize(ValueKind::kText, "X0").value, "X0");
}

TEST(Normalize, CombDateDigitsBecomeIso) {
  EXPECT_EQ(normalize(ValueKind::kDate, "12032025").value, "2025-03-12");
}

TEST(Normalize, HandwrittenDateWithSlashesReadAsOnesIsRecovered) {
  EXPECT_EQ(normalize(ValueKind::kDate, "12/03/2025").value, "2025-03-12");
  EXPECT_EQ(normalize(ValueKind::kDate, "1210312025").value, "2025-03-12");
}

TEST(Normalize, ImpossibleDateHasNoValue) {
  EXPECT_FALSE(normalize(ValueKind::kDate, "31022025").value);
}

TEST(Normalize, FrenchAmountBecomesContractMoney) {
  EXPECT_EQ(normalize(ValueKind::kMoney, "1 250,50").value, "1250.50");
  EXPECT_EQ(normalize(ValueKind::kMoney, "150,00").value, "150.00");
  EXPECT_FALSE(normalize(ValueKind::kMoney, "15,0,0").value);
}

TEST(Normalize, CinOfUnusualShapeIsKeptButNotValid) {
  const auto strict = normalize(ValueKind::kCin, "be123456");
  EXPECT_EQ(strict.value, "BE123456");
  EXPECT_TRUE(strict.valid);
  const auto odd = normalize(ValueKind::kCin, "B1234");
  EXPECT_EQ(odd.value, "B1234");
  EXPECT_FALSE(odd.valid);
}

TEST(Normalize, SerialNumberIsLetterSpaceSevenDigits) {
  const auto n = normalize(ValueKind::kSerial, "A1234567");
  EXPECT_EQ(n.value, "A 1234567");
  EXPECT_TRUE(n.valid);
  EXPECT_FALSE(normalize(ValueKind::kSerial, "A 12345").valid);
}

TEST(Normalize, SerialLetterReadAsItsDigitLookAlikeIsRestoredButNotTrusted) {
  const auto n = normalize(ValueKind::kSerial, "17854747");
  EXPECT_EQ(n.value, "I 7854747");
  EXPECT_FALSE(n.valid);
  EXPECT_EQ(normalize(ValueKind::kSerial, "97854747").value, "97854747");
}

}  // namespace
}  // namespace carescan::extract
