#include "preprocess/warp.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <vector>

using carescan::preprocess::affine_within;
using carescan::preprocess::warp_into;
using carescan::preprocess::warp_through;

namespace {

// A page-sized pattern with edges in every direction: fine text-like strokes on paper.
cv::Mat pattern(cv::Size size) {
  cv::Mat page(size, CV_8U, cv::Scalar(255));
  cv::RNG rng(7);
  for (int i = 0; i < 600; ++i) {
    const cv::Point a(rng.uniform(0, size.width), rng.uniform(0, size.height));
    const cv::Point b = a + cv::Point(rng.uniform(-60, 60), rng.uniform(-60, 60));
    cv::line(page, a, b, cv::Scalar(rng.uniform(0, 120)), rng.uniform(1, 4), cv::LINE_AA);
  }
  return page;
}

cv::Mat reference_warp(const cv::Mat& source, const cv::Mat& h, cv::Size size) {
  cv::Mat out;
  cv::warpPerspective(source, out, h, size, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                      cv::BORDER_CONSTANT, 255);
  return out;
}

// Share of pixels that differ by more than `levels` grey levels.
double share_off(const cv::Mat& a, const cv::Mat& b, int levels) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  return cv::countNonZero(diff > levels) / static_cast<double>(a.total());
}

}  // namespace

TEST(Warp, AnAffineHomographyIsItsOwnAffineMap) {
  const cv::Mat h = (cv::Mat_<double>(3, 3) << 1.01, 0.02, 12.5, -0.015, 0.99, -7.25, 0, 0, 1);
  const auto affine = affine_within(h, {2480, 3508}, 0.25);
  ASSERT_TRUE(affine.has_value());
  EXPECT_LT(cv::norm(*affine - h.rowRange(0, 2)), 1e-6);
}

TEST(Warp, APhotosPerspectiveIsNotTakenForAffineOverAPage) {
  // A sheet photographed at an angle: its far edge 8 % narrower than its near one.
  const cv::Mat h = (cv::Mat_<double>(3, 3) << 1, 0, 0, 0, 1, 0, 3e-5, 0, 1);
  EXPECT_FALSE(affine_within(h, {2480, 3508}, 0.25).has_value());
  // Over a small tile of it, it is.
  EXPECT_TRUE(affine_within(h, {32, 32}, 0.25).has_value());
}

TEST(Warp, TiledWarpMatchesThePerspectiveWarp) {
  const cv::Mat source = pattern({1240, 1754});
  const cv::Size size(1240, 1754);
  // A scan's slight perspective, and a steep photo's.
  for (const double p : {2e-7, 4e-5}) {
    const cv::Mat h =
        (cv::Mat_<double>(3, 3) << 1.004, 0.012, -9.5, -0.011, 0.997, 14.25, p, -p / 2, 1);
    const cv::Mat expected = reference_warp(source, h, size);
    const cv::Mat tiled = warp_into(source, h, size);
    ASSERT_EQ(tiled.size(), size);
    // A quarter pixel's shift at most: only steep edges change by more than a few levels.
    EXPECT_LT(share_off(tiled, expected, 8), 0.01) << p;
    EXPECT_LT(share_off(tiled, expected, 60), 0.001) << p;
  }
}

TEST(Warp, OutsideTheSourceIsWhite) {
  const cv::Mat source(100, 100, CV_8U, cv::Scalar(0));
  const cv::Mat h = (cv::Mat_<double>(3, 3) << 1, 0, 50, 0, 1, 0, 0, 0, 1);
  const cv::Mat out = warp_into(source, h, {300, 100});
  EXPECT_EQ(out.at<unsigned char>(50, 10), 0);
  EXPECT_EQ(out.at<unsigned char>(50, 200), 255);
}

TEST(Warp, WarpThroughAHomographyMatchesWarpInto) {
  const cv::Mat source = pattern({1240, 1754});
  const cv::Mat h =
      (cv::Mat_<double>(3, 3) << 1.004, 0.012, -9.5, -0.011, 0.997, 14.25, 4e-5, -2e-5, 1);
  const cv::Mat through = warp_through(
      source,
      [&](cv::Point2d p) {
        std::vector<cv::Point2d> one{p};
        cv::perspectiveTransform(one, one, h);
        return one.front();
      },
      source.size());
  EXPECT_LT(share_off(through, warp_into(source, h, source.size()), 8), 0.01);
}

TEST(Warp, WarpThroughACurvedMapMatchesARemap) {
  // A bent sheet's map: 30 px of sag in the middle, none at the sides.
  const cv::Mat source = pattern({1240, 1754});
  const auto sag = [](cv::Point2d p) {
    const double u = p.x / 1240;
    return cv::Point2d(p.x + 3, p.y + 30 * 4 * u * (1 - u));
  };
  cv::Mat map(source.size(), CV_32FC2);
  for (int y = 0; y < map.rows; ++y) {
    for (int x = 0; x < map.cols; ++x) {
      const cv::Point2d s = sag({double(x), double(y)});
      map.at<cv::Vec2f>(y, x) = {static_cast<float>(s.x), static_cast<float>(s.y)};
    }
  }
  cv::Mat expected;
  cv::remap(source, expected, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 255);
  const cv::Mat through = warp_through(source, sag, source.size());
  // Each tile's affine stand-in is off by up to the quarter pixel it is allowed, over more of
  // the page than a homography's: more steep edges move by a few levels.
  EXPECT_LT(share_off(through, expected, 8), 0.03);
  EXPECT_LT(share_off(through, expected, 60), 0.001);
}
