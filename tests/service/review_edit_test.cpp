// A reviewer's corrections applied to a claim-v1 document: values normalised to the contract,
// the rules re-run on the result, the audit's before/after, and the supervisor's arithmetic.
#include "service/review_edit.h"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include "claim/claim.h"
#include "claim/claim_json.h"
#include "service/review_stats.h"
#include "validate/reading_builder.h"

namespace carescan::testing {
namespace {

Poco::JSON::Object::Ptr claim_of(const core::PageReading& reading, const core::Config& cfg) {
  claim::DocumentRef ref{"ab12", 1, "upload", "office-a", "2025-03-20T09:00:00Z"};
  return claim::to_json(claim::build_claim(ref, reading, cfg, received_on()));
}

std::vector<std::string> rules_of(const Poco::JSON::Object::Ptr& claim) {
  std::vector<std::string> out;
  const auto v = claim->getArray("validation");
  for (unsigned i = 0; i < v->size(); ++i) {
    out.push_back(v->getObject(i)->getValue<std::string>("rule"));
  }
  return out;
}

bool has(const std::vector<std::string>& all, const std::string& one) {
  return std::find(all.begin(), all.end(), one) != all.end();
}

class ReviewEditTest : public ::testing::Test {
 protected:
  void SetUp() override { cfg_.claims.today = received_on(); }
  core::Config cfg_ = repo_config();
};

TEST_F(ReviewEditTest, EntriesAreNormalisedToTheContractWhenTheyParse) {
  EXPECT_EQ(service::normalise_entry("total_amount", "1 250,5"), "1250.50");
  EXPECT_EQ(service::normalise_entry("lines[2].amount", "70"), "70.00");
  EXPECT_EQ(service::normalise_entry("signature_date", "14/03/2025"), "2025-03-14");
  EXPECT_EQ(service::normalise_entry("lines[0].date", "2025-03-12"), "2025-03-12");
  EXPECT_EQ(service::normalise_entry("cin", " be 12 3456"), "BE123456");
  EXPECT_EQ(service::normalise_entry("insured_name", "El Amrani"), "El Amrani");
  // What does not parse is kept, for the rules to report rather than to vanish.
  EXPECT_EQ(service::normalise_entry("total_amount", "douze"), "douze");
  EXPECT_EQ(service::normalise_entry("birth_date", "31/02/2003"), "31/02/2003");
}

TEST_F(ReviewEditTest, ReadingRoundTripsThroughTheClaimJson) {
  const auto reading = good_reading();
  const auto back = service::reading_of(claim_of(reading, cfg_));
  EXPECT_EQ(back.form_type, "ambulatoire");
  ASSERT_EQ(back.lines.size(), reading.lines.size());
  EXPECT_EQ(back.lines[1].cells.at("amount").value, "200.50");
  EXPECT_EQ(back.fields.at("cin").value, "BE123456");
  EXPECT_TRUE(back.fields.at("insured_signature").boolean);
  EXPECT_EQ(back.fields.at("insured_signature").value, "true");
  EXPECT_FALSE(back.fields.at("dental_total").value.has_value());
}

TEST_F(ReviewEditTest, CorrectingALineAmountMakesTheTotalsAddUp) {
  auto reading = good_reading();
  reading.lines[2].cells["amount"] = field("7.00", 0.3);  // read 7.00 for 70.00
  const auto claim = claim_of(reading, cfg_);
  ASSERT_TRUE(has(rules_of(claim), "section_total_matches_lines"));

  const auto edit = service::apply_corrections(claim, {{"lines[2].amount", "70,00"}}, cfg_);
  EXPECT_FALSE(has(rules_of(edit.claim), "section_total_matches_lines"));
  const auto cell = edit.claim->getArray("lines")->getObject(2)->getObject("amount");
  EXPECT_EQ(cell->getValue<std::string>("value"), "70.00");
  EXPECT_EQ(cell->getValue<std::string>("source"), "reviewer");
  EXPECT_DOUBLE_EQ(cell->getValue<double>("confidence"), 1.0);
  ASSERT_EQ(edit.changes.size(), 1u);
  EXPECT_EQ(edit.changes[0].field, "lines[2].amount");
  EXPECT_EQ(edit.changes[0].before, "7.00");
  EXPECT_EQ(edit.changes[0].after, "70.00");
  // The stored claim is untouched until the store saves the copy.
  EXPECT_EQ(
      claim->getArray("lines")->getObject(2)->getObject("amount")->getValue<std::string>("source"),
      "ocr");
}

TEST_F(ReviewEditTest, AnUnchangedOrBlankedValueIsAuditedOnlyWhenItChanges) {
  const auto claim = claim_of(good_reading(), cfg_);
  const auto same = service::apply_corrections(claim, {{"total_amount", "420,50"}}, cfg_);
  EXPECT_TRUE(same.changes.empty());
  const auto blanked = service::apply_corrections(claim, {{"cin", std::nullopt}}, cfg_);
  ASSERT_EQ(blanked.changes.size(), 1u);
  EXPECT_EQ(blanked.changes[0].after, "");
  EXPECT_TRUE(has(rules_of(blanked.claim), "required_fields_present"));
  const auto unsigned_sheet =
      service::apply_corrections(claim, {{"insured_signature", "non"}}, cfg_);
  EXPECT_FALSE(unsigned_sheet.claim->getObject("fields")
                   ->getObject("insured_signature")
                   ->getValue<bool>("value"));
  EXPECT_THROW((void)service::apply_corrections(claim, {{"lines[9].amount", "1"}}, cfg_),
               service::BadTarget);
  EXPECT_THROW((void)service::apply_corrections(claim, {{"password", "1"}}, cfg_),
               service::BadTarget);
}

TEST_F(ReviewEditTest, FlaggedFieldsAreTheDoubtfulAndTheOnesARuleNames) {
  auto reading = good_reading();
  reading.fields["insured_name"].confidence = 0.2;
  reading.fields["total_amount"] = field("500.00");  // 420.50 by the sections
  const auto claim = claim_of(reading, cfg_);
  EXPECT_TRUE(service::is_flagged(claim, "insured_name", cfg_.claims));
  EXPECT_TRUE(service::is_flagged(claim, "total_amount", cfg_.claims));
  EXPECT_TRUE(service::is_flagged(claim, "medical_total", cfg_.claims));
  EXPECT_FALSE(service::is_flagged(claim, "sheet_number", cfg_.claims));
  EXPECT_FALSE(service::is_flagged(claim, "dental_total", cfg_.claims));  // blank, and sure of it
  const auto keys = service::review_reason_keys(claim);
  EXPECT_TRUE(has(keys, "declared_total_matches_sections"));
  EXPECT_TRUE(has(keys, "low_confidence"));
}

TEST(ReviewStatsTest, MedianTimeAndCorrectionsPerFieldAndForm) {
  const store::Time t0{std::chrono::milliseconds(1'700'000'000'000)};
  auto entry = [](const std::string& field, store::Time at) {
    store::AuditEntry e;
    e.field = field;
    e.at = at;
    return e;
  };
  using std::chrono::seconds;
  std::vector<service::ReviewedClaim> reviewed{
      {"ambulatoire",
       t0,
       {entry("cin", t0 + seconds(50)), entry("lines[3].amount", t0 + seconds(55)),
        entry("status", t0 + seconds(60))}},
      {"ambulatoire", t0, {entry("lines[0].amount", t0), entry("status", t0 + seconds(120))}},
      {"ald", t0, {entry("status", t0 + seconds(600))}},
  };
  const auto out = service::supervisor_figures({2, t0}, reviewed, t0 + std::chrono::hours(1));
  EXPECT_EQ(out->getObject("backlog")->getValue<int>("waiting"), 2);
  EXPECT_DOUBLE_EQ(out->getObject("backlog")->getValue<double>("oldest_wait_seconds"), 3600);
  EXPECT_EQ(out->getValue<int>("reviewed"), 3);
  EXPECT_DOUBLE_EQ(out->getValue<double>("median_review_seconds"), 120);
  const auto rows = out->getArray("corrections");
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("field"), "lines[].amount");
  EXPECT_EQ(rows->getObject(0)->getValue<int>("count"), 2);
  EXPECT_EQ(rows->getObject(0)->getValue<int>("reviewed"), 2);
  EXPECT_DOUBLE_EQ(rows->getObject(0)->getValue<double>("share"), 1.0);
  EXPECT_EQ(rows->getObject(1)->getValue<std::string>("field"), "cin");
}

}  // namespace
}  // namespace carescan::testing
