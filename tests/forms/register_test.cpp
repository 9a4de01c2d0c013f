#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "distorted_page.h"
#include "forms/match.h"
#include "forms/template_loader.h"
#include "reference_forms.h"

using carescan::forms::FormMatcher;
using namespace carescan::forms::testing;

namespace {

// Largest distance, in template pixels scaled to the page, between where the registration and
// the truth put points spread over the whole sheet.
double worst_error_px(const cv::Mat& found, const cv::Mat& truth) {
  double worst = 0;
  for (double x : {150.0, 1240.0, 2330.0}) {
    for (double y : {150.0, 1000.0, 1750.0, 2500.0, 3350.0}) {
      const auto a = map_point(found, {x, y});
      const auto b = map_point(truth, {x, y});
      worst = std::max(worst, std::hypot(a.x - b.x, a.y - b.y));
    }
  }
  return worst;
}

void expect_registered(const std::string& form, const Distortion& d, double max_error_px) {
  const auto page = distort(reference(form), d);
  const auto result = matcher().match(page.image);
  ASSERT_EQ(result.classification.form, form);
  ASSERT_EQ(result.classification.rotation_degrees, 0);
  ASSERT_TRUE(result.registered.ok) << result.registered.reason;
  EXPECT_GT(result.registered.quality, 0.8);
  EXPECT_EQ(result.registered.image.size(), cv::Size(2480, 3508));
  EXPECT_LT(worst_error_px(result.registered.page_from_template, page.page_from_template),
            max_error_px);
}

}  // namespace

TEST(Register, AlignsShiftedScaledRotatedScan) {
  expect_registered(
      "ambulatoire",
      {.rotation_deg = 1.2, .scale = 0.97, .shift_x_px = 60, .shift_y_px = -45, .noise_sigma = 8},
      5);
}

TEST(Register, AlignsPerspectiveDistortedPage) {
  expect_registered("ald",
                    {.rotation_deg = -0.8,
                     .scale = 1.02,
                     .shift_x_px = -30,
                     .perspective = 0.03,
                     .noise_sigma = 5},
                    6);
}

TEST(Register, AlignsLowResolutionFax) {
  // 200 dpi: the error is in page pixels, so 4 px here is 6 px at 300 dpi.
  expect_registered(
      "dentaire",
      {.rotation_deg = 0.5, .shift_y_px = 80, .output_scale = 200.0 / 300, .noise_sigma = 10}, 4);
}

TEST(Register, QualityDropsWhenHalfThePrintDoesNotLineUp) {
  // The lower half of the sheet moved down by 5 mm (a badly stitched copy): one homography
  // cannot fit both halves, and the quality figure must say so.
  const cv::Mat intact = reference("ambulatoire");
  cv::Mat stitched = intact.clone();
  intact.rowRange(1754, 3448).copyTo(stitched.rowRange(1814, 3508));
  const auto good = matcher().match(intact);
  const auto bad = matcher().match(stitched);
  ASSERT_EQ(bad.classification.form, "ambulatoire");
  EXPECT_GT(good.registered.quality, 0.95);
  EXPECT_LT(bad.registered.quality, good.registered.quality - 0.15);
}

TEST(Register, OneCornerOffFailsRegistrationEvenWhenTheRestLinesUp) {
  // The bottom-right quarter of the sheet moved 4 mm right and down (a photo bent at one
  // corner): most of the print lines up, but the fields of that corner would be read from the
  // wrong boxes, so the page must not count as registered.
  const cv::Mat intact = reference("ald");
  cv::Mat bent = intact.clone();
  const int dx = 47, dy = 47;  // 4 mm at 300 dpi
  const cv::Rect corner(intact.cols / 2, intact.rows / 2, intact.cols / 2 - dx,
                        intact.rows / 2 - dy);
  bent(cv::Rect(intact.cols / 2, intact.rows / 2, intact.cols / 2, intact.rows / 2))
      .setTo(cv::Scalar(255));
  intact(corner).copyTo(bent(corner + cv::Point(dx, dy)));
  const auto result = matcher().match(bent);
  ASSERT_EQ(result.classification.form, "ald");
  EXPECT_FALSE(result.registered.ok) << "quality " << result.registered.quality;
}

TEST(Register, AlignsAShrunkShiftedDentalScanOfRepeatedCells) {
  // The dental chart and the tables repeat one cell size: a shrunk page shifted by a few
  // millimetres offers near-equal fits a row apart, and only the right one finds every rule.
  expect_registered("dentaire",
                    {.rotation_deg = 0.3,
                     .scale = 0.976,
                     .shift_x_px = 28,
                     .shift_y_px = 45,
                     .output_scale = 240.0 / 300,
                     .noise_sigma = 8},
                    5);
}

TEST(Register, TheDecisionsComeFromTheSettings) {
  // The same page: a care sheet with the defaults; with a layout bar (reader.matching) a
  // distorted page cannot reach, not a care sheet; with a blank-ink bar above its ink, blank.
  Distortion d;
  d.rotation_deg = 0.8;
  d.scale = 0.98;
  d.noise_sigma = 6;
  const auto page = distort(reference("ald"), d);
  const auto usual = matcher().match(page.image);
  ASSERT_EQ(usual.classification.form, "ald");
  ASSERT_TRUE(usual.registered.ok) << usual.registered.reason;

  carescan::core::MatchSettings strict;
  strict.min_layout_score = 0.995;
  strict.confident_layout_score = 0.999;
  const FormMatcher picky(carescan::forms::load_templates(forms_dir()), strict);
  const auto refused = picky.match(page.image);
  EXPECT_EQ(refused.classification.form, "");
  EXPECT_FALSE(refused.classification.reason.empty());

  carescan::core::MatchSettings inky;
  inky.blank_ink = 0.9;
  const FormMatcher blank(carescan::forms::load_templates(forms_dir()), inky);
  EXPECT_EQ(blank.match(page.image).classification.form, "");
}
