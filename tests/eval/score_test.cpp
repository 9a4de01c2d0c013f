#include "eval/score.h"

#include <gtest/gtest.h>

#include "eval/truth_sample.h"
#include "validate/reading_builder.h"

namespace carescan::eval {
namespace {

const std::vector<std::string> kKeys = {"insured_name", "cin", "signature_date", "total_amount",
                                        "insured_signature"};

// A claim that read the sample's care sheet exactly, with the given status.
claim::Claim exact_claim(const TruthPage& truth, claim::Status status) {
  claim::Claim c;
  c.reading.form_type = truth.form_type;
  for (const auto& [id, value] : truth.fields) {
    core::ReadField f;
    f.value = value;
    f.confidence = 0.95;
    c.reading.fields[id] = f;
  }
  for (const auto& tl : truth.lines) {
    core::ReadLine l;
    l.table = tl.table;
    l.row = tl.row;
    for (const auto& [cell, value] : tl.cells) {
      core::ReadField f;
      f.value = value;
      f.confidence = 0.95;
      l.cells[cell] = f;
    }
    c.reading.lines.push_back(l);
  }
  c.decision.status = status;
  return c;
}

class Scoring : public ::testing::Test {
 protected:
  TruthFile truth = parse_truth(testing::kTruthJson, "/set");
  const TruthPage& sheet = truth.pages[0];
  const TruthPage& letter = truth.pages[1];
  claim::Claim rejected_letter() const {
    claim::Claim c;
    c.decision.status = claim::Status::kRejected;
    return c;
  }
};

TEST_F(Scoring, CountsAnExactReadingAsRightEverywhere) {
  const auto s = score_pages({{"f", sheet, exact_claim(sheet, claim::Status::kAccepted)},
                              {"f", letter, rejected_letter()}},
                             kKeys);
  EXPECT_EQ(s.form_type.value(), 1.0);
  EXPECT_EQ(s.distractors_rejected.value(), 1.0);
  EXPECT_EQ(s.groups.at(FieldGroup::kKeyHandwritten).value(), 1.0);
  EXPECT_EQ(s.lines.rows_exact.value(), 1.0);
  EXPECT_EQ(s.straight_through.value(), 1.0);
  EXPECT_EQ(s.accepted_with_key_error.hits, 0);
}

TEST_F(Scoring, CountsAnAcceptedPageWithAWrongCinAsAKeyError) {
  auto c = exact_claim(sheet, claim::Status::kAccepted);
  c.reading.fields["cin"].value = "BE123458";
  const auto s = score_pages({{"f", sheet, c}}, kKeys);
  EXPECT_EQ(s.accepted_with_key_error.hits, 1);
  EXPECT_EQ(s.accepted_with_key_error.total, 1);
  EXPECT_EQ(s.groups.at(FieldGroup::kKeyHandwritten).hits, 3);
}

TEST_F(Scoring, CollectsEachFieldsConfidenceAndRightnessForThresholds) {
  auto c = exact_claim(sheet, claim::Status::kAccepted);
  c.reading.fields["cin"].value = "BE123458";
  c.reading.fields["cin"].confidence = 0.97;
  c.reading.fields.erase("doctor_inpe");
  const auto s = score_pages({{"f", sheet, c}, {"f", letter, rejected_letter()}}, kKeys);
  ASSERT_EQ(s.field_samples.at("cin").size(), 1U);  // care sheets only
  EXPECT_TRUE(s.field_samples.at("cin")[0].read);
  EXPECT_FALSE(s.field_samples.at("cin")[0].right);
  EXPECT_DOUBLE_EQ(s.field_samples.at("cin")[0].confidence, 0.97);
  EXPECT_FALSE(s.field_samples.at("doctor_inpe")[0].read);
  EXPECT_EQ(s.kind_samples.at("key").size(), 4U);  // name, CIN, signature date, total
  EXPECT_EQ(s.kind_samples.at("line.amount").size(), 2U);
  // The accepted page let one wrong key value and one missing value through.
  EXPECT_EQ(s.accepted_key_values.total, 5);
  EXPECT_EQ(s.accepted_key_values.hits, 4);
  EXPECT_EQ(s.accepted_values.total - s.accepted_values.hits, 2);
}

TEST_F(Scoring, DoesNotBlameAPageSentToReviewForItsWrongField) {
  auto c = exact_claim(sheet, claim::Status::kNeedsReview);
  c.reading.fields["total_amount"].value = "42.50";
  const auto s = score_pages({{"f", sheet, c}}, kKeys);
  EXPECT_EQ(s.accepted_with_key_error.total, 0);
  EXPECT_EQ(s.accepted_values.total, 0);
  EXPECT_EQ(s.straight_through.value(), 0.0);
}

TEST_F(Scoring, CountsAnAcceptedDistractorAsAWrongAcceptance) {
  auto c = exact_claim(sheet, claim::Status::kAccepted);
  const auto s = score_pages({{"f", letter, c}}, kKeys);
  EXPECT_EQ(s.form_type.value(), 0.0);
  EXPECT_EQ(s.distractors_rejected.value(), 0.0);
  EXPECT_EQ(s.accepted_with_key_error.hits, 1);
}

TEST_F(Scoring, ScoresMissingAndMisreadTableRows) {
  auto c = exact_claim(sheet, claim::Status::kNeedsReview);
  c.reading.lines.erase(c.reading.lines.begin());         // medical row missed
  c.reading.lines[0].cells["date"].value = "2025-03-18";  // pharmacy date misread
  c.reading.lines.push_back(c.reading.lines[0]);
  c.reading.lines.back().row = 3;  // a row that is not there
  const auto s = score_pages({{"f", sheet, c}}, kKeys);
  EXPECT_EQ(s.lines.found.hits, 1);
  EXPECT_EQ(s.lines.found.total, 2);
  EXPECT_EQ(s.lines.dates.hits, 0);
  EXPECT_EQ(s.lines.amounts.hits, 1);
  EXPECT_EQ(s.lines.extra_rows, 1);
}

TEST_F(Scoring, CountsAnUnreadableFileAsWrongEverywhere) {
  const auto s = score_pages({{"f", sheet, std::nullopt}}, kKeys);
  EXPECT_EQ(s.unreadable_pages, 1);
  EXPECT_EQ(s.form_type.value(), 0.0);
  EXPECT_EQ(s.lines.found.total, 2);
  EXPECT_EQ(s.groups.at(FieldGroup::kKeyHandwritten).hits, 0);
}

TEST(Calibration, IsZeroWhenConfidenceMatchesAccuracy) {
  std::vector<std::pair<double, bool>> samples;
  samples.reserve(14);
  for (int i = 0; i < 10; ++i) samples.emplace_back(0.95, true);
  for (int i = 0; i < 4; ++i) samples.emplace_back(0.55, i < 2);
  std::vector<ReliabilityBin> table;
  // bin 0.9-1.0: 10 at 0.95, all right (gap 0.05); bin 0.5-0.6: 4 at 0.55, half right (0.05).
  EXPECT_NEAR(expected_calibration_error(samples, 10, &table), 0.05, 1e-9);
  ASSERT_EQ(table.size(), 10U);
  EXPECT_EQ(table[9].count, 10);
  EXPECT_EQ(table[5].count, 4);
  EXPECT_DOUBLE_EQ(table[5].accuracy, 0.5);
}

TEST(Calibration, MeasuresOverconfidence) {
  std::vector<std::pair<double, bool>> samples(4, {0.9, false});
  EXPECT_NEAR(expected_calibration_error(samples, 10, nullptr), 0.9, 1e-9);
}

TEST(Calibration, PutsFullConfidenceInTheTopBin) {
  std::vector<ReliabilityBin> table;
  (void)expected_calibration_error({{1.0, true}, {0.0, false}}, 10, &table);
  EXPECT_EQ(table[9].count, 1);
  EXPECT_EQ(table[0].count, 1);
}

}  // namespace
}  // namespace carescan::eval
