#include "pipeline/page_reader.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "../extract/filled_sheet.h"
#include "core/config.h"
#include "forms/template_loader.h"
#include "preprocess/prepare.h"

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

// A phone photo of `sheet` lying on a table, in perspective, its lower-left corner folded down out
// of the light: the fold is a clearer step than the sheet's own edge in the dark part, so the
// likeliest outline runs along the fold and cuts the corner off.
core::Page photo_with_a_shadow_across_a_corner(const cv::Mat& sheet) {
  const cv::Size frame(2400, 3200);
  const std::vector<cv::Point2f> from{{0, 0},
                                      {float(sheet.cols), 0},
                                      {float(sheet.cols), float(sheet.rows)},
                                      {0, float(sheet.rows)}};
  const std::vector<cv::Point2f> to{{330, 300}, {2080, 360}, {2150, 2900}, {260, 2860}};
  cv::Mat colour = sheet;
  if (sheet.channels() == 1) cv::cvtColor(sheet, colour, cv::COLOR_GRAY2BGR);
  cv::Mat photo(frame, CV_8UC3, cv::Scalar(140, 150, 160));
  cv::warpPerspective(colour, photo, cv::getPerspectiveTransform(from, to), frame, cv::INTER_LINEAR,
                      cv::BORDER_TRANSPARENT);
  // The part of the sheet below a line from its left side to its bottom-right corner.
  cv::Mat shade(frame, CV_8U, cv::Scalar(0));
  const std::vector<cv::Point> shadow{{0, 2450}, {2150, 2900}, {0, frame.height}};
  cv::fillConvexPoly(shade, shadow, cv::Scalar(255));
  cv::Mat on_sheet(frame, CV_8U, cv::Scalar(0));
  const std::vector<cv::Point> outline(to.begin(), to.end());
  cv::fillConvexPoly(on_sheet, outline, cv::Scalar(255));
  shade &= on_sheet;
  cv::Mat darker;
  photo.convertTo(darker, -1, 0.45);
  darker.copyTo(photo, shade);
  return core::Page{photo, 1, 0};
}

// The reader does not take the likeliest outline on trust: its page aligns poorly with the form
// (the corner is missing), and the other outlines are tried; the whole sheet's page wins.
TEST_F(PageReaderTest, ReadsAPhotoWhoseLikeliestOutlineIsCutByAShadow) {
  const auto form = testing::load_form("ambulatoire");
  SheetWriter sheet(form);
  sheet.write_comb("cin", "JC40312");
  const core::Page page = photo_with_a_shadow_across_a_corner(sheet.page());
  // The premise: the likeliest outline leaves the corner out (its page passes for an ALD sheet
  // that does not align); another takes it in.
  const auto likeliest = preprocess::measure_page(page);
  ASSERT_GE(likeliest.outlines, 2U);
  const cv::Mat corner = (cv::Mat_<double>(3, 1) << 0, likeliest.size.height - 1, 1);
  const cv::Mat seen = likeliest.original_from_prepared * corner;
  EXPECT_GT(cv::norm(cv::Point2d(seen.at<double>(0) / seen.at<double>(2),
                                 seen.at<double>(1) / seen.at<double>(2)) -
                     cv::Point2d(260, 2860)),
            100);

  const auto reading = reader_->read(page);
  EXPECT_EQ(reading.form_type, "ambulatoire");
  EXPECT_GT(reading.registration_quality, 0.9);
  EXPECT_EQ(reading.fields.at("cin").value, "JC40312");
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
