#include "claim/redact.h"

#include <gtest/gtest.h>

namespace carescan::claim {
namespace {

TEST(Redact, ShortensANameToItsInitials) {
  EXPECT_EQ(initials("EL AMRANI YOUSSEF"), "E.A.Y.");
  EXPECT_EQ(initials("BEN-ALI  sara"), "B.A.S.");
}

TEST(Redact, NeverReturnsTheNameItself) {
  const std::string name = "OUAZZANI";
  EXPECT_EQ(initials(name).find(name), std::string::npos);
  EXPECT_EQ(initials(name), "O.");
}

TEST(Redact, ShowsADashForNothing) {
  EXPECT_EQ(initials("  "), "-");
}

}  // namespace
}  // namespace carescan::claim
