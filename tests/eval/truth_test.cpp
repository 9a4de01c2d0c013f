#include "eval/truth.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/json_util.h"
#include "eval/truth_sample.h"

namespace carescan::eval {
namespace {

TEST(Truth, ReadsValuesInTheClaimsVocabulary) {
  const auto truth = parse_truth(testing::kTruthJson, "/set");
  EXPECT_EQ(truth.file, "/set/0007-ambulatoire-scan.tiff");
  ASSERT_EQ(truth.pages.size(), 2U);
  const auto& page = truth.pages[0];
  EXPECT_TRUE(page.care_sheet);
  EXPECT_EQ(page.form_type, "ambulatoire");
  EXPECT_EQ(page.profile, "scan");
  EXPECT_EQ(page.fields.at("insured_signature"), "true");
  EXPECT_EQ(page.fields.at("total_amount"), "420.50");
  EXPECT_FALSE(page.fields.at("dental_total").has_value());
  EXPECT_FALSE(page.fields.at("teeth").has_value());  // nothing ticked reads as null
  ASSERT_EQ(page.lines.size(), 2U);
  EXPECT_EQ(page.lines[1].table, "pharmacy_items");
  EXPECT_EQ(page.lines[1].cells.at("quantity"), "2");
  EXPECT_FALSE(page.lines[1].cells.at("code").has_value());
}

TEST(Truth, ReadsADistractorAsNoFormType) {
  const auto truth = parse_truth(testing::kTruthJson, "/set");
  EXPECT_FALSE(truth.pages[1].care_sheet);
  EXPECT_EQ(truth.pages[1].form_type, "");
  EXPECT_EQ(truth.pages[1].distractor, "letter");
}

TEST(Truth, JoinsTickedTeethLikeTheReader) {
  std::string json = testing::kTruthJson;
  json.replace(json.find(R"("teeth": [])"), 11, R"("teeth": ["11", "36"])");
  EXPECT_EQ(parse_truth(json, "/set").pages[0].fields.at("teeth"), "11,36");
}

TEST(Truth, LoadsASetInNameOrderAndHonoursTheLimit) {
  const auto dir = std::filesystem::temp_directory_path() / "carescan_truth_set_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* name : {"0002-b", "0001-a", "0003-c"}) {
    std::string json = testing::kTruthJson;
    json.replace(json.find("0007-ambulatoire-scan"), 21, name);
    std::ofstream(dir / (std::string(name) + ".truth.json")) << json;
  }
  const auto set = load_truth_set(dir, 2);
  ASSERT_EQ(set.size(), 2U);
  EXPECT_EQ(set[0].file.filename(), "0001-a.tiff");
  EXPECT_EQ(set[1].file.filename(), "0002-b.tiff");
  std::filesystem::remove_all(dir);
}

TEST(Truth, FollowsTheManifestsOrderAndTruthNames) {
  const auto dir = std::filesystem::temp_directory_path() / "carescan_truth_manifest_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* name : {"b", "a"}) {
    std::string json = testing::kTruthJson;
    json.replace(json.find("0007-ambulatoire-scan"), 21, name);
    std::ofstream(dir / (std::string(name) + ".t.json")) << json;
  }
  std::ofstream(dir / "manifest.json") << R"({"files": [{"file": "b.tiff", "truth": "b.t.json"},
                                                       {"file": "a.tiff", "truth": "a.t.json"}]})";
  const auto set = load_truth_set(dir);
  ASSERT_EQ(set.size(), 2U);
  EXPECT_EQ(set[0].file.filename(), "b.tiff");
  std::filesystem::remove_all(dir);
}

TEST(Truth, RefusesADirectoryWithoutTruth) {
  const auto dir = std::filesystem::temp_directory_path() / "carescan_truth_empty_test";
  std::filesystem::create_directories(dir);
  EXPECT_THROW(load_truth_set(dir), core::DataError);
}

}  // namespace
}  // namespace carescan::eval
