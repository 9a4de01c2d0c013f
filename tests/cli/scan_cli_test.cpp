// `carescan scan` end to end, on the blank reference sheets and pages made here.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "claim/schema_check.h"
#include "cli/run_binary.h"

namespace carescan::testing {
namespace {

class ScanCli : public ::testing::Test {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("carescan_scan_cli_" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }

  // A white A4 page at 150 dpi: certainly not a care sheet.
  std::filesystem::path blank_page() const {
    auto path = dir / "blank.png";
    cv::imwrite(path.string(), cv::Mat(1754, 1240, CV_8UC1, cv::Scalar(255)));
    return path;
  }
};

TEST_F(ScanCli, PrintsOneSchemaValidClaimPerPage) {
  const auto r = run_carescan("scan --json " + quoted(form_image("ambulatoire").string()) + " " +
                              quoted(blank_page().string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  ASSERT_EQ(lines.size(), 2U) << r.out;
  const auto jsonl = dir / "claims.jsonl";
  std::ofstream(jsonl) << r.out;
  const auto check = check_claim_lines(jsonl);
  EXPECT_TRUE(check.valid) << check.errors;
  EXPECT_EQ(parse(lines[0])->getValue<std::string>("form_type"), "ambulatoire");
  // A blank form has no name, CIN, date or total: never accepted.
  EXPECT_EQ(parse(lines[0])->getValue<std::string>("status"), "needs_review");
  EXPECT_EQ(parse(lines[1])->getValue<std::string>("status"), "rejected");
  EXPECT_FALSE(parse(lines[1])->getValue<bool>("care_sheet"));
}

TEST_F(ScanCli, ReadsEveryPageOfAMultiPageTiffInOrder) {
  const auto tiff = dir / "bundle.tiff";
  std::vector<cv::Mat> pages;
  for (const char* form : {"dentaire", "ald", "ambulatoire"}) {
    pages.push_back(cv::imread(form_image(form).string(), cv::IMREAD_GRAYSCALE));
  }
  ASSERT_TRUE(cv::imwritemulti(tiff.string(), pages));
  const auto r = run_carescan("scan --json --workers 2 " + quoted(tiff.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  ASSERT_EQ(lines.size(), 3U);
  const char* expected[] = {"dentaire", "ald", "ambulatoire"};
  for (size_t i = 0; i < 3; ++i) {
    const auto claim = parse(lines[i]);
    EXPECT_EQ(claim->getObject("document")->getValue<int>("page"), static_cast<int>(i + 1));
    EXPECT_EQ(claim->getValue<std::string>("form_type"), expected[i]);
  }
}

TEST_F(ScanCli, GivesTheSamePageTheSameClaimIdEveryTime) {
  const std::string args = "scan --json " + quoted(form_image("ald").string());
  const auto first = run_carescan(args);
  const auto second = run_carescan(args);
  ASSERT_EQ(first.lines().size(), 1U);
  ASSERT_EQ(second.lines().size(), 1U);
  EXPECT_EQ(parse(first.lines()[0])->getValue<std::string>("claim_id"),
            parse(second.lines()[0])->getValue<std::string>("claim_id"));
}

TEST_F(ScanCli, ReportsAnUnreadableFileAndCarriesOn) {
  const auto bad = dir / "not-a-scan.png";
  std::ofstream(bad) << "this is text, not an image";
  const auto r = run_carescan("scan --json " + quoted(bad.string()) + " " +
                              quoted(form_image("dentaire").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not-a-scan.png"), std::string::npos) << r.err;
  ASSERT_EQ(r.lines().size(), 1U);
  EXPECT_EQ(parse(r.lines()[0])->getValue<std::string>("form_type"), "dentaire");
}

TEST_F(ScanCli, PrintsAHumanTableWithoutJson) {
  const auto r = run_carescan("scan " + quoted(form_image("ambulatoire").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.lines().size(), 2U);  // header + one page
  EXPECT_NE(r.lines()[1].find("ambulatoire"), std::string::npos);
  EXPECT_NE(r.lines()[1].find("needs_review"), std::string::npos);
}

}  // namespace
}  // namespace carescan::testing
