#include "forms/bend.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "distorted_page.h"
#include "forms/line_map.h"
#include "forms/match.h"
#include "reference_forms.h"

using carescan::forms::Bend;
using carescan::forms::fit_bend;
using carescan::forms::kMapReduction;
using carescan::forms::rule_map;
using namespace carescan::forms::testing;

namespace {

struct BowedPage {
  cv::Mat image;
  cv::Mat page_from_template;  // the flat part of the truth
  double bow_px = 0;           // how far the sheet's middle sags below its edges, page px

  // Where a template pixel truly lands: the homography, then the sag across the page's width
  // (as a phone photo of a sheet that does not lie flat shows it).
  [[nodiscard]] cv::Point2d truth(cv::Point2d p) const {
    const cv::Point2d flat = map_point(page_from_template, p);
    const double u = std::clamp(flat.x / image.cols, 0.0, 1.0);
    return {flat.x, flat.y + bow_px * 4 * u * (1 - u)};
  }
};

BowedPage bowed(const std::string& form, double bow_px) {
  const DistortedPage flat =
      distort(reference(form), {.rotation_deg = 0.6, .scale = 0.97, .noise_sigma = 5});
  BowedPage page{.image = {}, .page_from_template = flat.page_from_template, .bow_px = bow_px};
  cv::Mat map(flat.image.size(), CV_32FC2);
  for (int y = 0; y < map.rows; ++y) {
    for (int x = 0; x < map.cols; ++x) {
      const double u = x / static_cast<double>(map.cols);
      map.at<cv::Vec2f>(y, x) = {static_cast<float>(x),
                                 static_cast<float>(y - bow_px * 4 * u * (1 - u))};
    }
  }
  cv::remap(flat.image, page.image, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 245);
  return page;
}

// Largest distance between where `found` puts template points spread over the sheet's printed
// area and where they truly are.
template <typename Found>
double worst_error_px(const BowedPage& page, const Found& found) {
  double worst = 0;
  for (double x = 200; x <= 2300; x += 350) {
    for (double y = 300; y <= 3300; y += 500) {
      const cv::Point2d a = found(cv::Point2d(x, y));
      worst = std::max(worst, cv::norm(a - page.truth({x, y})));
    }
  }
  return worst;
}

}  // namespace

TEST(Bend, ABowedSheetIsRegisteredThroughItsBend) {
  // 40 px at 300 dpi: the middle of the sheet sags 3.4 mm below its edges, as a phone photo of
  // a sheet lifted at its sides shows it; a homography can only split the difference.
  const BowedPage page = bowed("ambulatoire", 40);
  const auto result = matcher().match(page.image);
  ASSERT_EQ(result.classification.form, "ambulatoire");
  const auto& reg = result.registered;
  ASSERT_TRUE(reg.ok) << reg.reason;
  ASSERT_FALSE(reg.bend.empty());
  const double flat_error =
      worst_error_px(page, [&](cv::Point2d p) { return map_point(reg.page_from_template, p); });
  const double bent_error = worst_error_px(
      page, [&](cv::Point2d p) { return map_point(reg.page_from_template, reg.bend.apply(p)); });
  EXPECT_GT(flat_error, 10);
  EXPECT_LT(bent_error, 6);
  EXPECT_GT(reg.quality, 0.9);
}

TEST(Bend, AFlatScanIsNotBent) {
  const auto page =
      distort(reference("ald"), {.rotation_deg = 0.8, .scale = 0.98, .noise_sigma = 6});
  const auto result = matcher().match(page.image);
  ASSERT_TRUE(result.registered.ok) << result.registered.reason;
  EXPECT_TRUE(result.registered.bend.empty());
}

TEST(Bend, MeasuresAShiftOfTheRulesEverywhere) {
  const cv::Mat reference_page = reference("dentaire");
  const cv::Size map_size(reference_page.cols / kMapReduction, reference_page.rows / kMapReduction);
  const cv::Mat rules = rule_map(reference_page, map_size);
  cv::Mat shifted;
  const cv::Mat move = (cv::Mat_<double>(2, 3) << 1, 0, 2.0, 0, 1, -3.0);
  cv::warpAffine(rules, shifted, move, rules.size());
  const auto bend = fit_bend(shifted, rules);
  ASSERT_TRUE(bend.has_value());
  for (const cv::Point2d p :
       {cv::Point2d(100, 100), cv::Point2d(310, 440), cv::Point2d(520, 780)}) {
    const cv::Point2d offset = bend->apply(p) - p;
    EXPECT_NEAR(offset.x, 2.0, 0.3) << p;
    EXPECT_NEAR(offset.y, -3.0, 0.3) << p;
  }
}

TEST(Bend, NoRulesNoBend) {
  const cv::Mat blank = cv::Mat::zeros(877, 620, CV_32F);
  EXPECT_FALSE(fit_bend(blank, blank).has_value());
}

TEST(Bend, ScalesWithItsFrameAndStaysWithinItsLimit) {
  Bend bend;
  bend.frame = {620, 877};
  bend.dy = {1.5, 0, 0, 0, 0, 0};
  bend.dx = {0, 40, 0, 0, 0, 0};  // far beyond the limit at the right edge
  bend.limit = 10;
  EXPECT_NEAR(bend.apply({0, 0}).y, 1.5, 1e-9);
  EXPECT_NEAR(bend.apply({620, 0}).x, 630, 1e-9);
  const Bend larger = bend.scaled(4);
  EXPECT_NEAR(larger.apply({0, 0}).y, 6, 1e-9);
  EXPECT_NEAR(larger.apply({620, 0}).x, 620 + 4 * 10, 1e-9);  // 4 x 10, unclamped
  EXPECT_NEAR(larger.apply({1240, 0}).x, 1240 + 40, 1e-9);    // 4 x 20, clamped to 40
  EXPECT_NEAR(larger.largest_offset(), std::hypot(40, 6), 1e-9);
  EXPECT_TRUE(Bend{}.empty());
  EXPECT_EQ(Bend{}.apply({3, 4}), cv::Point2d(3, 4));
}
