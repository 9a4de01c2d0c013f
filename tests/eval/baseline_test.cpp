#include <gtest/gtest.h>

#include "eval/tesseract_baseline.h"
#include "eval/truth_sample.h"

namespace carescan::eval {
namespace {

class Baseline : public ::testing::Test {
 protected:
  TruthPage sheet = parse_truth(testing::kTruthJson, "/set").pages[0];
};

TEST_F(Baseline, FindsValuesWrittenWithSpacesAndSeparators) {
  BaselineFinds finds;
  find_key_values("Nom: El Amrani Youssef\nCIN B E 1 2 3 4 5 6  le 14/03/2025\nTotal 420,50 DH",
                  sheet, finds);
  EXPECT_EQ(finds.key_fields.hits, 4);
  EXPECT_EQ(finds.key_fields.total, 4);
}

TEST_F(Baseline, MissesValuesThatAreNotInTheText) {
  BaselineFinds finds;
  find_key_values("CIN BE128456 le 14/08/2025 total 420,60", sheet, finds);
  EXPECT_EQ(finds.key_fields.hits, 0);
  EXPECT_EQ(finds.by_kind.at("cin").total, 1);
}

TEST_F(Baseline, FindsShortYearDatesAndLineAmounts) {
  BaselineFinds finds;
  find_key_values("12/03/25 Consultation 150,00\n13.03.2025 Doliprane", sheet, finds);
  EXPECT_EQ(finds.by_kind.at("line_date").hits, 2);
  EXPECT_EQ(finds.by_kind.at("line_amount").hits, 1);
}

TEST_F(Baseline, IgnoresDistractors) {
  BaselineFinds finds;
  find_key_values("anything", parse_truth(testing::kTruthJson, "/set").pages[1], finds);
  EXPECT_EQ(finds.key_fields.total, 0);
}

}  // namespace
}  // namespace carescan::eval
