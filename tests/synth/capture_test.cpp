#include "synth/capture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <sstream>

namespace carescan::synth {
namespace {

constexpr double kMmPerInch = 25.4;

// The ambulatoire reference sheet in BGR with blue and black "handwriting" on it.
const cv::Mat& filled_sheet() {
  static const cv::Mat kSheet = [] {
    const auto file = std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config/forms/ambulatoire.png";
    cv::Mat grey = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
    cv::Mat bgr;
    cv::cvtColor(grey, bgr, cv::COLOR_GRAY2BGR);
    cv::putText(bgr, "EL AMRANI YOUSSEF", {700, 760}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 2.2,
                {160, 60, 20}, 4, cv::LINE_AA);
    cv::putText(bgr, "150,00", {1900, 1500}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 2.0, {20, 20, 20}, 4,
                cv::LINE_AA);
    return bgr;
  }();
  return kSheet;
}

CapturedPage capture(CaptureProfile profile, std::uint64_t seed) {
  Rng rng(seed);
  return capture_page(filled_sheet(), profile, rng);
}

bool same_pixels(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

std::string record_text(const CaptureRecord& record) {
  std::ostringstream out;
  record.to_json()->stringify(out);
  return out.str();
}

cv::Size a4_at(double dpi) {
  return {static_cast<int>(std::lround(210 / kMmPerInch * dpi)),
          static_cast<int>(std::lround(297 / kMmPerInch * dpi))};
}

// Scanners deliver A4 or their slightly larger glass area (up to letter width, ADF overscan).
void expect_a4_or_a_little_larger(cv::Size size, double dpi) {
  const cv::Size a4 = a4_at(dpi);
  EXPECT_GE(size.width, a4.width);
  EXPECT_GE(size.height, a4.height);
  EXPECT_LE(size.width, a4.width * 1.03);
  EXPECT_LE(size.height, a4.height * 1.03);
}

double corner_distance(const CaptureRecord& record, int from, int to) {
  return cv::norm(record.corners_px.at(to) - record.corners_px.at(from));
}

class EveryProfile : public ::testing::TestWithParam<CaptureProfile> {};

TEST_P(EveryProfile, SameSeedGivesSamePixelsAndRecord) {
  const CapturedPage a = capture(GetParam(), 7);
  const CapturedPage b = capture(GetParam(), 7);
  EXPECT_TRUE(same_pixels(a.image, b.image));
  EXPECT_EQ(record_text(a.record), record_text(b.record));
  EXPECT_EQ(a.record.profile, profile_name(GetParam()));
  EXPECT_EQ(a.record.corners_px.size(), 4U);
}

TEST_P(EveryProfile, DifferentSeedsGiveDifferentCaptures) {
  if (GetParam() == CaptureProfile::kClean) GTEST_SKIP() << "clean is the sheet itself";
  const CapturedPage a = capture(GetParam(), 1);
  const CapturedPage b = capture(GetParam(), 2);
  EXPECT_FALSE(same_pixels(a.image, b.image));
  EXPECT_NE(record_text(a.record), record_text(b.record));
}

INSTANTIATE_TEST_SUITE_P(Capture, EveryProfile,
                         ::testing::Values(CaptureProfile::kClean, CaptureProfile::kScan,
                                           CaptureProfile::kPhotocopy, CaptureProfile::kFax,
                                           CaptureProfile::kPhoto),
                         [](const auto& test) { return std::string(profile_name(test.param)); });

TEST(Capture, ProfileNamesRoundTrip) {
  for (auto p : {CaptureProfile::kClean, CaptureProfile::kScan, CaptureProfile::kPhotocopy,
                 CaptureProfile::kFax, CaptureProfile::kPhoto}) {
    EXPECT_EQ(profile_from_name(profile_name(p)), p);
  }
  EXPECT_FALSE(profile_from_name("polaroid").has_value());
}

TEST(Capture, CleanLeavesTheSheetUntouched) {
  const CapturedPage page = capture(CaptureProfile::kClean, 3);
  EXPECT_TRUE(same_pixels(page.image, filled_sheet()));
  EXPECT_NEAR(page.dpi, 300, 0.5);
}

TEST(Capture, ScanStaysWithinSkewAndMatchesItsDpi) {
  std::set<double> dpis;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const CapturedPage page = capture(CaptureProfile::kScan, seed);
    const CaptureRecord& r = page.record;
    EXPECT_LE(std::abs(r.skew_deg), 4.0);
    EXPECT_TRUE(r.dpi == 200 || r.dpi == 240 || r.dpi == 300) << r.dpi;
    EXPECT_EQ(page.dpi, r.dpi);
    expect_a4_or_a_little_larger(page.image.size(), r.dpi);
    EXPECT_NEAR(r.scale, 1.0, 0.03);
    // The sheet's printed height at the recorded dpi, within the scale tolerance.
    const double height_px = corner_distance(r, 0, 3);
    EXPECT_NEAR(height_px / (297 / kMmPerInch * r.dpi), 1.0, 0.031);
    dpis.insert(r.dpi);
  }
  EXPECT_GE(dpis.size(), 2U) << "six scans should not all share one resolution";
}

TEST(Capture, ScansComeInGreyAndInColourWithBlueInkStillBlue) {
  int grey = 0, colour = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const CapturedPage page = capture(CaptureProfile::kScan, seed);
    if (page.image.channels() == 1) {
      ++grey;
      continue;
    }
    ++colour;
    std::vector<cv::Mat> bgr;
    cv::split(page.image, bgr);
    cv::Mat blue_ink = bgr[0] > bgr[2] + 60;
    EXPECT_GT(cv::countNonZero(blue_ink), 1000) << "seed " << seed;
  }
  EXPECT_GT(grey, 0);
  EXPECT_GT(colour, 0);
}

TEST(Capture, UpsideDownScanPutsTheTopOfTheSheetAtTheBottom) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const CapturedPage page = capture(CaptureProfile::kScan, seed);
    if (!page.record.upside_down) continue;
    const cv::Point2f top_left = page.record.corners_px[0];
    EXPECT_GT(top_left.x, page.image.cols / 2.0F);
    EXPECT_GT(top_left.y, page.image.rows / 2.0F);
    return;
  }
  FAIL() << "no upside-down scan in 200 seeds";
}

TEST(Capture, FaxIsStrictlyBinaryAt200Dpi) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const CapturedPage page = capture(CaptureProfile::kFax, seed);
    ASSERT_EQ(page.image.type(), CV_8UC1);
    EXPECT_EQ(page.dpi, 200);
    EXPECT_EQ(page.image.cols, 1728) << "a fax line is 1728 pixels";
    EXPECT_EQ(page.image.rows, a4_at(200).height);
    EXPECT_EQ(cv::countNonZero((page.image != 0) & (page.image != 255)), 0);
    const double black =
        1.0 - cv::countNonZero(page.image) / static_cast<double>(page.image.total());
    EXPECT_GT(black, 0.01) << "the form's print survives";
    EXPECT_LT(black, 0.25) << "the paper stays white";
    EXPECT_LE(std::abs(page.record.skew_deg), 2.0);
  }
}

TEST(Capture, PhotocopyIsGreyWithLittleSkew) {
  const CapturedPage page = capture(CaptureProfile::kPhotocopy, 5);
  EXPECT_EQ(page.image.type(), CV_8UC1);
  EXPECT_LE(std::abs(page.record.skew_deg), 1.5);
  expect_a4_or_a_little_larger(page.image.size(), page.dpi);
}

TEST(Capture, PhotoHoldsTheWholePageInsideALargerFrame) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const CapturedPage page = capture(CaptureProfile::kPhoto, seed);
    ASSERT_EQ(page.image.type(), CV_8UC3);
    const int long_side = std::max(page.image.cols, page.image.rows);
    EXPECT_GE(long_side, 2000);
    EXPECT_LE(long_side, 3000);
    EXPECT_TRUE(page.record.perspective);
    const cv::Rect frame(0, 0, page.image.cols, page.image.rows);
    std::vector<cv::Point> outline;
    for (const cv::Point2f& c : page.record.corners_px) {
      EXPECT_TRUE(frame.contains(c)) << c;
      outline.emplace_back(cvRound(c.x), cvRound(c.y));
    }
    EXPECT_LT(cv::contourArea(outline), 0.9 * frame.area());
    cv::Mat inside(page.image.size(), CV_8U, cv::Scalar(0));
    cv::fillConvexPoly(inside, outline, cv::Scalar(255));
    cv::Mat grey;
    cv::cvtColor(page.image, grey, cv::COLOR_BGR2GRAY);
    EXPECT_GT(cv::mean(grey, inside)[0], cv::mean(grey, ~inside)[0] + 20)
        << "the paper stands out from the table";
  }
}

}  // namespace
}  // namespace carescan::synth
