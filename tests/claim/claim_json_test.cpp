#include "claim/claim_json.h"

#include <gtest/gtest.h>

#include <fstream>

#include "claim/schema_check.h"
#include "core/digest.h"
#include "core/json_util.h"
#include "validate/reading_builder.h"

namespace carescan::claim {
namespace {

using core::sha256_hex;

class ClaimJson : public ::testing::Test {
 protected:
  core::Config config = testing::repo_config();
  DocumentRef doc{sha256_hex("scan bytes"), 1, "cli", std::nullopt, "2025-03-20T09:00:00Z"};
  Claim build(const core::PageReading& reading) const {
    return build_claim(doc, reading, config, testing::received_on());
  }
  std::filesystem::path write(const std::vector<Claim>& claims) const {
    auto path = std::filesystem::temp_directory_path() /
                ("claim_json_test_" + std::to_string(::getpid()) + ".jsonl");
    std::ofstream out(path);
    for (const auto& c : claims) out << to_json_line(c) << "\n";
    return path;
  }
};

TEST_F(ClaimJson, AcceptedNeedsReviewAndRejectedClaimsAllMatchTheContract) {
  auto unsure = testing::good_reading();
  unsure.fields["cin"].confidence = 0.2;
  unsure.fields["total_amount"] = testing::field("1.00");
  unsure.fields.erase("insured_name");
  core::PageReading blank_page;
  blank_page.reject_reason = "blank page";
  const auto path = write({build(testing::good_reading()), build(unsure), build(blank_page)});
  const auto check = testing::check_claim_lines(path);
  EXPECT_TRUE(check.valid) << check.errors;
  std::filesystem::remove(path);
}

TEST_F(ClaimJson, SchemaCheckCatchesABrokenClaim) {
  // Guards the check above: a claim without its status must fail it.
  auto json = to_json(build(testing::good_reading()));
  json->remove("status");
  const auto path = std::filesystem::temp_directory_path() / "claim_json_test_broken.jsonl";
  std::ofstream(path) << core::to_json(json) << "\n";
  EXPECT_FALSE(testing::check_claim_lines(path).valid);
  std::filesystem::remove(path);
}

TEST_F(ClaimJson, WritesEveryContractFieldEvenWhenNotRead) {
  auto reading = testing::good_reading();
  reading.fields.erase("sheet_number");
  const auto json = to_json(build(reading));
  auto fields = json->getObject("fields");
  ASSERT_TRUE(fields->has("sheet_number"));
  EXPECT_TRUE(fields->getObject("sheet_number")->isNull("value"));
  EXPECT_EQ(fields->getObject("insured_signature")->get("value").type(), typeid(bool));
  EXPECT_EQ(fields->getObject("total_amount")->getValue<std::string>("value"), "420.50");
}

TEST_F(ClaimJson, CarriesStatusFindingsAndLinesInOrder) {
  auto reading = testing::good_reading();
  reading.fields["total_amount"] = testing::field("421.00");
  const auto json = to_json(build(reading));
  EXPECT_EQ(json->getValue<std::string>("status"), "needs_review");
  auto validation = json->getArray("validation");
  ASSERT_EQ(validation->size(), 1U);
  EXPECT_EQ(validation->getObject(0)->getValue<std::string>("rule"),
            "declared_total_matches_sections");
  auto lines = json->getArray("lines");
  ASSERT_EQ(lines->size(), 3U);
  EXPECT_EQ(lines->getObject(2)->getValue<std::string>("table"), "pharmacy_items");
  EXPECT_EQ(lines->getObject(2)->getObject("amount")->getValue<std::string>("value"), "70.00");
}

TEST_F(ClaimJson, MarksARejectedPageAsNotACareSheetWithItsReason) {
  core::PageReading letter;
  letter.reject_reason = "a letter, not a form";
  const auto json = to_json(build(letter));
  EXPECT_EQ(json->getValue<std::string>("status"), "rejected");
  EXPECT_FALSE(json->getValue<bool>("care_sheet"));
  EXPECT_EQ(json->getValue<std::string>("reject_reason"), "a letter, not a form");
}

}  // namespace
}  // namespace carescan::claim
