#include "preprocess/prepare.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "preprocess/geometry.h"

namespace carescan::preprocess {
namespace {

constexpr double kA4WidthMm = 210.0;
constexpr double kA4HeightMm = 297.0;
constexpr double kMmPerInch = 25.4;
// Photos are rectified to this resolution: the templates' own, so nothing is lost in between.
constexpr double kPhotoDpi = 300.0;
// Estimation runs on a copy whose long side is at most this many pixels (≈ 85 dpi for A4),
// reduced by a whole factor: OpenCV's area resize is several times faster then.
constexpr int kEstimationLongSide = 1000;
// Rotations below this are left to registration: resampling the page costs more than it gains.
constexpr double kMinDeskewDeg = 0.15;
// The paper level is estimated over this window, wider than any printed or written stroke.
constexpr double kBackgroundWindowMm = 8.0;
// Copier and scanner streaks are at most this wide; a column profile's dip narrower than this is
// a streak, a wider one is the page's own light (lamp falloff, toner clouds, the bed's edge).
constexpr double kMaxStreakWidthMm = 6.0;
// A column is never lifted by more than this many grey levels: a streak darkens paper by a few
// levels to a half.
constexpr float kMaxStreakLift = 120.0F;
// The column's paper level: this share of its pixels is darker (print covers less than half of
// any column, a rule's column included).
constexpr double kPaperQuantile = 0.75;

cv::Mat to_grey(const cv::Mat& image) {
  if (image.channels() == 1) return image;
  cv::Mat grey;
  cv::cvtColor(image, grey, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return grey;
}

cv::Mat reduced(const cv::Mat& grey) {
  const int factor =
      (std::max(grey.cols, grey.rows) + kEstimationLongSide - 1) / kEstimationLongSide;
  if (factor <= 1) return grey;
  cv::Mat small;
  cv::resize(grey, small, {(grey.cols + factor - 1) / factor, (grey.rows + factor - 1) / factor}, 0,
             0, cv::INTER_AREA);
  return small;
}

cv::Mat homogeneous(const cv::Mat& affine2x3) {
  cv::Mat out = cv::Mat::eye(3, 3, CV_64F);
  affine2x3.convertTo(out.rowRange(0, 2), CV_64F);
  return out;
}

// Divides by the paper level (a grey closing over a window wider than strokes), so shadows,
// yellowed paper and copier haze become white and ink keeps its contrast.
cv::Mat flatten_illumination(const cv::Mat& grey, const cv::Mat& small, double dpi) {
  const double reduce = double(small.cols) / grey.cols;
  const int window = std::max(
      3, static_cast<int>(std::lround(kBackgroundWindowMm / kMmPerInch * dpi * reduce)) | 1);
  cv::Mat paper;
  cv::dilate(small, paper, cv::getStructuringElement(cv::MORPH_RECT, {window, window}));
  cv::blur(paper, paper, {window, window});  // smooths the closing's steps
  cv::resize(paper, paper, grey.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat flat;
  cv::divide(grey, paper, flat, 255.0);
  return flat;
}

// Pixel-centre-exact scaling of a raster by `factor`.
cv::Mat scaling(double factor) {
  return (cv::Mat_<double>(3, 3) << factor, 0, 0.5 * factor - 0.5, 0, factor, 0.5 * factor - 0.5, 0,
          0, 1);
}

// The level below which `quantile` of each column's pixels lie, as a 1 x cols CV_32F row, from
// every `step`-th row.
cv::Mat column_levels(const cv::Mat& grey, double quantile, int step) {
  const int rows = (grey.rows + step - 1) / step;
  const int rank = std::clamp(static_cast<int>(quantile * rows), 0, rows - 1);
  // Row by row into one histogram per column: a full page's columns are too long to walk down.
  std::vector<int> histograms(static_cast<std::size_t>(grey.cols) * 256, 0);
  for (int y = 0; y < grey.rows; y += step) {
    const std::uint8_t* px = grey.ptr<std::uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x) ++histograms[static_cast<std::size_t>(x) * 256 + px[x]];
  }
  cv::Mat levels(1, grey.cols, CV_32F);
  for (int x = 0; x < grey.cols; ++x) {
    const int* histogram = &histograms[static_cast<std::size_t>(x) * 256];
    int seen = 0, level = 0;
    while (level < 255 && seen + histogram[level] <= rank) seen += histogram[level++];
    levels.at<float>(x) = static_cast<float>(level);
  }
  return levels;
}

}  // namespace

cv::Mat even_out_streaks(const cv::Mat& grey, double dpi) {
  if (grey.empty() || grey.rows < 8) return grey;
  // A thousand rows tell a column's paper level as well as a full page's 3500.
  const int step = std::max(1, grey.rows / kEstimationLongSide);
  const cv::Mat levels = column_levels(grey, kPaperQuantile, step);
  const int window =
      std::max(3, static_cast<int>(std::lround(kMaxStreakWidthMm / kMmPerInch * dpi)) | 1);
  // A closing fills narrow dips of the column profile and keeps its steps (a sheet's edge on a
  // dark copier bed) and its slow slopes.
  cv::Mat envelope;
  cv::morphologyEx(levels, envelope, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {window, 1}), {-1, -1}, 1,
                   cv::BORDER_REPLICATE);
  // Lifted by the depth of the dip, not scaled: a streak adds its darkness to the paper and
  // to the toner clouds under it alike, and a gain set by the column's clear paper left it
  // showing under a cloud.
  cv::Mat lift = cv::min(envelope - levels, kMaxStreakLift);
  double strongest = 0;
  cv::minMaxLoc(lift, nullptr, &strongest);
  if (strongest <= 4) return grey;  // no streak worth a pass over the page
  cv::Mat out(grey.size(), CV_8U);
  const float* l = lift.ptr<float>();
  for (int y = 0; y < grey.rows; ++y) {
    const std::uint8_t* in = grey.ptr<std::uint8_t>(y);
    std::uint8_t* o = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x) o[x] = cv::saturate_cast<std::uint8_t>(in[x] + l[x]);
  }
  return out;
}

PreparedPage measure_page(const core::Page& page, std::size_t outline_choice) {
  PreparedPage out;
  out.source = to_grey(page.image);
  const cv::Mat& grey = out.source;
  const double reduce = std::min(1.0, double(kEstimationLongSide) / std::max(grey.cols, grey.rows));
  cv::Mat small;
  cv::resize(grey, small, {}, reduce, reduce, cv::INTER_AREA);

  cv::Mat prepared_from_original;  // 3x3
  cv::Size size = grey.size();
  bool resample = false;
  const SheetOutlines found = sheet_outlines(small);
  const auto& outlines = found.candidates;
  out.outlines = outlines.size();
  out.framings = outlines.size() + 1 + (found.past_frame ? 1 : 0);
  std::optional<std::array<cv::Point2f, 4>> chosen;
  if (outline_choice < outlines.size()) {
    chosen = outlines[outline_choice];
  } else if (outline_choice == outlines.size() + 1) {
    chosen = found.past_frame;
  }
  if (chosen) {
    std::array<cv::Point2f, 4> corners = *chosen;
    for (auto& c : corners) c *= 1.0 / reduce;
    const double top = cv::norm(corners[1] - corners[0]);
    const double side = cv::norm(corners[3] - corners[0]);
    const bool landscape = top > side;
    const double w_px = kA4WidthMm / kMmPerInch * kPhotoDpi;
    const double h_px = kA4HeightMm / kMmPerInch * kPhotoDpi;
    size = landscape ? cv::Size(int(std::lround(h_px)), int(std::lround(w_px)))
                     : cv::Size(int(std::lround(w_px)), int(std::lround(h_px)));
    const std::array<cv::Point2f, 4> target{cv::Point2f(0, 0), cv::Point2f(float(size.width), 0),
                                            cv::Point2f(float(size.width), float(size.height)),
                                            cv::Point2f(0, float(size.height))};
    prepared_from_original = cv::getPerspectiveTransform(corners.data(), target.data());
    out.perspective_corrected = true;
    out.dpi_estimate = kPhotoDpi;
    resample = true;
  } else {
    const double short_side = std::min(grey.cols, grey.rows);
    out.dpi_estimate = page.dpi > 0 ? page.dpi : short_side / (kA4WidthMm / kMmPerInch);
    // Scanned and copied pages carry the machine's streaks along the paper path, straight down
    // the image: left in, they are the longest "rules" on the page and pull classification and
    // alignment off the sheet's own.
    small = even_out_streaks(small, out.dpi_estimate * reduce);
    // Half the estimation size is enough for the angle (segments of 200+ px) at a third the cost.
    cv::Mat half;
    cv::pyrDown(small, half);
    out.skew_deg = estimate_skew_deg(half);
    const cv::Point2f centre(grey.cols / 2.0f, grey.rows / 2.0f);
    // Turning by the skew's opposite puts the rules level.
    prepared_from_original = homogeneous(cv::getRotationMatrix2D(centre, -out.skew_deg, 1.0));
    resample = std::abs(out.skew_deg) >= kMinDeskewDeg;
    if (!resample) {
      out.skew_deg = 0;
      prepared_from_original = cv::Mat::eye(3, 3, CV_64F);
    }
  }
  out.size = size;
  out.original_from_prepared = prepared_from_original.inv();

  // The reduced prepared page is resampled from the reduced decoded one: at this scale a warp
  // costs a hundredth of the full page's.
  cv::Mat reduced = small;
  double reduced_dpi = out.dpi_estimate * reduce;
  if (resample) {
    const double target =
        std::min(1.0, double(kEstimationLongSide) / std::max(size.width, size.height));
    const cv::Size reduced_size(static_cast<int>(std::lround(size.width * target)),
                                static_cast<int>(std::lround(size.height * target)));
    const cv::Mat small_from_original = scaling(reduce);
    const cv::Mat reduced_from_small =
        scaling(target) * prepared_from_original * small_from_original.inv();
    cv::warpPerspective(small, reduced, reduced_from_small, reduced_size, cv::INTER_LINEAR,
                        cv::BORDER_REPLICATE);
    reduced_dpi = out.dpi_estimate * target;
  }
  out.reduced = flatten_illumination(reduced, reduced, reduced_dpi);
  return out;
}

PreparedPage prepare_page(const core::Page& page) {
  PreparedPage out = measure_page(page);
  cv::Mat upright = out.source;
  const cv::Mat prepared_from_original = out.original_from_prepared.inv();
  if (out.perspective_corrected) {
    cv::warpPerspective(out.source, upright, prepared_from_original, out.size, cv::INTER_LINEAR,
                        cv::BORDER_REPLICATE);
  } else if (out.skew_deg != 0) {
    cv::warpAffine(out.source, upright, prepared_from_original.rowRange(0, 2), out.size,
                   cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  }
  out.grey = clean_page(upright, out.dpi_estimate);
  return out;
}

cv::Mat clean_page(const cv::Mat& grey, double dpi) {
  cv::Mat out = flatten_illumination(grey, reduced(grey), dpi);
  cv::medianBlur(out, out, 3);
  return out;
}

}  // namespace carescan::preprocess
