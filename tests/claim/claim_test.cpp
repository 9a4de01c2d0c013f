#include "claim/claim.h"

#include <gtest/gtest.h>

#include "core/digest.h"
#include "validate/reading_builder.h"

namespace carescan::claim {
namespace {

using core::sha256_hex;

using testing::field;

// The repository's config with its configured thresholds only: the fitted file changes with
// every refit, these tests are about the decision.
core::Config configured_only() {
  return core::load_config(std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config" / "carescan.json",
                           {{"CARESCAN_CLAIMS_THRESHOLDS", ""}});
}

class Claims : public ::testing::Test {
 protected:
  core::Config config = configured_only();
  core::PageReading reading = testing::good_reading();
  DocumentRef doc{sha256_hex("scan bytes"), 1, "cli", std::nullopt, "2025-03-20T09:00:00Z"};
  Claim build() const { return build_claim(doc, reading, config, testing::received_on()); }
};

TEST(ClaimId, IsTheSameForTheSamePageReadTwice) {
  const auto sha = sha256_hex("file");
  EXPECT_EQ(make_claim_id(sha, 2), make_claim_id(sha, 2));
  EXPECT_EQ(make_claim_id(sha, 2).size(), 32U);
}

TEST(ClaimId, DiffersBetweenPagesAndDocuments) {
  const auto sha = sha256_hex("file");
  EXPECT_NE(make_claim_id(sha, 1), make_claim_id(sha, 2));
  EXPECT_NE(make_claim_id(sha, 1), make_claim_id(sha256_hex("other file"), 1));
}

TEST_F(Claims, AcceptsAConfidentValidReading) {
  const auto claim = build();
  EXPECT_EQ(claim.decision.status, Status::kAccepted);
  EXPECT_TRUE(claim.decision.reasons.empty());
}

TEST_F(Claims, SendsToReviewWhenAKeyFieldIsUnsure) {
  for (const auto& [id, threshold] : config.claims.accept_min_confidence) {
    reading = testing::good_reading();
    reading.fields[id].confidence = threshold - 0.01;
    const auto claim = build();
    EXPECT_EQ(claim.decision.status, Status::kNeedsReview) << id;
    ASSERT_EQ(claim.decision.reasons.size(), 1U) << id;
    EXPECT_EQ(claim.decision.reasons[0].rfind(id, 0), 0U) << claim.decision.reasons[0];
  }
}

TEST_F(Claims, AcceptsAKeyFieldExactlyAtItsThreshold) {
  reading.fields["cin"].confidence = config.claims.accept_min_confidence.at("cin");
  EXPECT_EQ(build().decision.status, Status::kAccepted);
}

TEST_F(Claims, SendsToReviewWhenAnErrorFindingRemains) {
  reading.fields["total_amount"] = field("999.00");
  const auto claim = build();
  EXPECT_EQ(claim.decision.status, Status::kNeedsReview);
  EXPECT_EQ(claim.decision.reasons,
            std::vector<std::string>{"rule declared_total_matches_sections"});
}

TEST_F(Claims, AcceptsDespiteWarnings) {
  reading.fields["cin"] = field("BEK1234");
  const auto claim = build();
  ASSERT_FALSE(claim.findings.empty());
  EXPECT_EQ(claim.decision.status, Status::kAccepted);
}

TEST_F(Claims, SendsAnUnsignedSheetToReview) {
  reading.fields["insured_signature"].value = "false";
  EXPECT_EQ(build().decision.status, Status::kNeedsReview);
}

TEST_F(Claims, RejectsAPageThatIsNotACareSheet) {
  core::PageReading letter;
  letter.reject_reason = "no care-sheet template matches";
  const auto claim = build_claim(doc, letter, config, testing::received_on());
  EXPECT_EQ(claim.decision.status, Status::kRejected);
  ASSERT_EQ(claim.findings.size(), 1U);
  EXPECT_EQ(claim.findings[0].rule, "care_sheet");
}

TEST_F(Claims, SendsAPageThatCouldNotBeRegisteredToReview) {
  reading.reject_reason = "registration failed";
  const auto claim = build();
  EXPECT_EQ(claim.decision.status, Status::kNeedsReview);
  EXPECT_EQ(claim.findings.front().rule, "page_readable");
}

TEST_F(Claims, SendsAPageTheReaderFailedOnToReviewNotToRejection) {
  core::PageReading failed;
  failed.reject_reason = "page could not be read: out of memory";
  failed.read_failed = true;
  const auto claim = build_claim(doc, failed, config, testing::received_on());
  EXPECT_EQ(claim.decision.status, Status::kNeedsReview);
  EXPECT_EQ(claim.findings.front().rule, "page_readable");
}

TEST_F(Claims, FollowsTheConfiguredThresholds) {
  reading.fields["cin"].confidence = 0.5;
  EXPECT_EQ(build().decision.status, Status::kNeedsReview);
  config.claims.accept_min_confidence["cin"] = 0.4;
  EXPECT_EQ(build().decision.status, Status::kAccepted);
}

TEST_F(Claims, AFieldWithoutAFittedThresholdIsAlwaysReviewedAsUnsure) {
  config.claims.accept_min_confidence["insured_name"] = core::kNeverAccept;
  reading.fields["insured_name"].confidence = 1.0;
  const auto claim = build();
  EXPECT_EQ(claim.decision.status, Status::kNeedsReview);
  ASSERT_EQ(claim.decision.reasons.size(), 1U);
  // Worded like any low confidence, so the review queue files it under low_confidence.
  EXPECT_NE(claim.decision.reasons[0].find("insured_name read with confidence 1.00"),
            std::string::npos)
      << claim.decision.reasons[0];
}

TEST_F(Claims, AReviewersValuePassesEvenANeverThreshold) {
  config.claims.accept_min_confidence["insured_name"] = core::kNeverAccept;
  reading.fields["insured_name"].source = core::Source::kReviewer;
  reading.fields["insured_name"].confidence = 1.0;
  EXPECT_EQ(build().decision.status, Status::kAccepted);
  reading.fields["insured_name"].value.reset();  // but a reviewer's blank is still not read
  EXPECT_EQ(build().decision.status, Status::kNeedsReview);
}

}  // namespace
}  // namespace carescan::claim
