#include "pipeline/page_reader.h"

#include <gtest/gtest.h>

#include "../extract/filled_sheet.h"
#include "core/config.h"
#include "forms/template_loader.h"

namespace carescan::pipeline {
namespace {

using testing::SheetWriter;

class PageReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    config_ = new core::Config(core::load_config(testing::source_root() / "config/carescan.json"));
    matcher_ = new forms::FormMatcher(forms::load_templates(config_->forms_dir));
    reader_ = new PageReader(*config_, *matcher_);
  }
  static void TearDownTestSuite() {
    delete reader_;
    delete matcher_;
    delete config_;
  }
  static core::Config* config_;
  static forms::FormMatcher* matcher_;
  static PageReader* reader_;
};
core::Config* PageReaderTest::config_ = nullptr;
forms::FormMatcher* PageReaderTest::matcher_ = nullptr;
PageReader* PageReaderTest::reader_ = nullptr;

core::Page page_of(const cv::Mat& image) {
  return core::Page{image, 1, 300};
}

TEST_F(PageReaderTest, ReadsAFilledSheetScannedStraight) {
  const auto form = testing::load_form("dentaire");
  SheetWriter sheet(form);
  sheet.write_comb("cin", "JC40312");
  sheet.write_comb("signature_date", "02022025");
  sheet.sign("insured_signature");
  const auto reading = reader_->read(page_of(sheet.page()));
  EXPECT_EQ(reading.form_type, "dentaire");
  EXPECT_TRUE(reading.reject_reason.empty()) << reading.reject_reason;
  EXPECT_GT(reading.registration_quality, 0.5);
  EXPECT_EQ(reading.fields.at("cin").value, "JC40312");
  EXPECT_EQ(reading.fields.at("signature_date").value, "2025-02-02");
  EXPECT_EQ(reading.fields.at("insured_signature").value, "true");
  // Boxes come back in the decoded page's pixels: on a straight 300 dpi scan, the template's.
  const auto box = reading.fields.at("cin").box;
  ASSERT_TRUE(box);
  EXPECT_NEAR(box->x, 64 * 300 / 25.4, 15);
  EXPECT_NEAR(box->y, 63.7 * 300 / 25.4, 15);
}

TEST_F(PageReaderTest, SaysWhereThePageTimeWent) {
  const auto form = testing::load_form("ald");
  SheetWriter sheet(form);
  sheet.write_comb("cin", "JC40312");
  StageTimes times;
  const auto reading = reader_->read(page_of(sheet.page()), &times);
  ASSERT_EQ(reading.form_type, "ald");
  // Every stage ran on this thread, and the comb's cells went through a recogniser.
  EXPECT_GT(times.prepare, 0);
  EXPECT_GT(times.classify, 0);
  EXPECT_GT(times.register_page, 0);
  EXPECT_GT(times.extract, 0);
  EXPECT_GT(times.recognize, 0);
  EXPECT_LE(times.tesseract + times.line_model, times.recognize + 1e-9);
  EXPECT_DOUBLE_EQ(times.total(), times.prepare + times.classify + times.register_page +
                                      times.extract + times.recognize);
}

TEST_F(PageReaderTest, RejectsAPageThatIsNotACareSheet) {
  cv::Mat letter(3508, 2480, CV_8U, cv::Scalar(255));
  for (int y = 300; y < 3000; y += 80) {
    cv::putText(letter, "Dear Sir, please find enclosed my documents.", {200, y},
                cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(0), 3);
  }
  StageTimes times;
  const auto reading = reader_->read(page_of(letter), &times);
  EXPECT_TRUE(reading.form_type.empty());
  // Nothing is registered, extracted or recognised on a page that is no care sheet.
  EXPECT_GT(times.classify, 0);
  EXPECT_EQ(times.recognize, 0);
  EXPECT_FALSE(reading.reject_reason.empty());
  EXPECT_TRUE(reading.fields.empty());
}

TEST_F(PageReaderTest, SurvivesAnEmptyImage) {
  const auto reading = reader_->read(page_of(cv::Mat()));
  EXPECT_TRUE(reading.form_type.empty());
  EXPECT_FALSE(reading.reject_reason.empty());
}

}  // namespace
}  // namespace carescan::pipeline
