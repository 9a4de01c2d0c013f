#include "preprocess/geometry.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace carescan::preprocess {
namespace {

// The sheet must cover at least this share of a photo to be taken for the page, and a contour
// covering more than kScanFill is the scanner's own frame, not a sheet on a table.
constexpr double kMinSheetFill = 0.2;
constexpr double kScanFill = 0.93;
// A corner this close to the photo's edge (share of its short side) is on the frame.
constexpr float kFrameMargin = 0.005F;

std::array<cv::Point2f, 4> order_corners(const std::vector<cv::Point>& quad) {
  // Top-left has the smallest x+y, bottom-right the largest; top-right the largest x-y.
  std::array<cv::Point2f, 4> out;
  auto by = [&](auto key) {
    return *std::min_element(quad.begin(), quad.end(), [&](const cv::Point& a, const cv::Point& b) {
      return key(a) < key(b);
    });
  };
  out[0] = by([](const cv::Point& p) { return p.x + p.y; });
  out[1] = by([](const cv::Point& p) { return p.y - p.x; });
  out[2] = by([](const cv::Point& p) { return -(p.x + p.y); });
  out[3] = by([](const cv::Point& p) { return p.x - p.y; });
  return out;
}

}  // namespace

namespace {

std::optional<std::array<cv::Point2f, 4>> outline_at(const cv::Mat& blurred, double threshold) {
  cv::Mat bright;
  cv::threshold(blurred, bright, threshold, 255, cv::THRESH_BINARY);
  // Close the printed rules and text so the sheet is one solid region.
  cv::morphologyEx(bright, bright, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {9, 9}));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(bright, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (contours.empty()) return std::nullopt;
  const auto largest = std::max_element(
      contours.begin(), contours.end(),
      [](const auto& a, const auto& b) { return cv::contourArea(a) < cv::contourArea(b); });
  const double image_area = static_cast<double>(blurred.total());
  const double area = cv::contourArea(*largest);
  if (area < kMinSheetFill * image_area || area > kScanFill * image_area) return std::nullopt;
  std::vector<cv::Point> hull;
  cv::convexHull(*largest, hull);
  const double perimeter = cv::arcLength(hull, true);
  for (double eps = 0.01; eps <= 0.06; eps += 0.01) {
    std::vector<cv::Point> quad;
    cv::approxPolyDP(hull, quad, eps * perimeter, true);
    if (quad.size() == 4 && cv::isContourConvex(quad)) {
      // A sheet bent or cut by the frame's edge is no quadrilateral to trust.
      if (cv::contourArea(quad) < 0.85 * area) return std::nullopt;
      return order_corners(quad);
    }
    if (quad.size() < 4) break;
  }
  return std::nullopt;
}

// How far the outline's proportions are from A4's (1.414), as a ratio: 0 = exactly A4.
double a4_misfit(const std::array<cv::Point2f, 4>& c) {
  const double w = (cv::norm(c[1] - c[0]) + cv::norm(c[2] - c[3])) / 2;
  const double h = (cv::norm(c[3] - c[0]) + cv::norm(c[2] - c[1])) / 2;
  const double ratio = std::max(w, h) / std::max(1.0, std::min(w, h));
  return std::abs(ratio / std::numbers::sqrt2 - 1);
}

bool reaches_frame(const std::array<cv::Point2f, 4>& c, cv::Size size) {
  const float margin = kFrameMargin * static_cast<float>(std::min(size.width, size.height));
  return std::any_of(c.begin(), c.end(), [&](const cv::Point2f& p) {
    return p.x < margin || p.y < margin || p.x > static_cast<float>(size.width) - 1 - margin ||
           p.y > static_cast<float>(size.height) - 1 - margin;
  });
}

}  // namespace

std::optional<std::array<cv::Point2f, 4>> find_sheet_outline(const cv::Mat& grey_small) {
  cv::Mat blurred, ignored;
  cv::GaussianBlur(grey_small, blurred, {5, 5}, 0);
  const double otsu = cv::threshold(blurred, ignored, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Lamp falloff can darken a corner of the sheet below Otsu's level, cutting it off: lower
  // thresholds are tried until the outline has A4's proportions (perspective allows ~15 %).
  std::optional<std::array<cv::Point2f, 4>> first;
  for (double factor : {1.0, 0.85, 0.7}) {
    auto outline = outline_at(blurred, otsu * factor);
    if (!outline) continue;
    // A lower threshold that carries the outline to the frame's edge has joined the sheet to a
    // lit table or wall beside it, which can happen to have A4's proportions too.
    if (factor < 1.0 && reaches_frame(*outline, blurred.size())) continue;
    if (a4_misfit(*outline) < 0.15) return outline;
    if (!first) first = outline;
  }
  return first;
}

double estimate_skew_deg(const cv::Mat& grey_small) {
  cv::Mat ink;
  cv::adaptiveThreshold(grey_small, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, 15,
                        12);
  // Keep only horizontal and vertical runs (9 px keeps lines skewed up to 6°): letters and
  // handwriting would otherwise dominate the Hough transform's cost.
  cv::Mat horizontal, vertical;
  cv::morphologyEx(ink, horizontal, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {9, 1}));
  cv::morphologyEx(ink, vertical, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {1, 9}));
  ink = horizontal | vertical;
  const int span = std::min(grey_small.cols, grey_small.rows);
  std::vector<cv::Vec4i> lines;
  // Coarse angle bins suffice: each segment's angle is measured from its end points.
  cv::HoughLinesP(ink, lines, 1, std::numbers::pi / 360, span / 4, span / 4, 3);
  std::vector<std::pair<double, double>> angles;  // (angle, length)
  double total = 0;
  for (const auto& l : lines) {
    const double dx = l[2] - l[0], dy = l[3] - l[1];
    // Image y runs down: a line rising to the right has dy < 0, a counter-clockwise skew.
    double angle = -std::atan2(dy, dx) * 180 / std::numbers::pi;
    while (angle >= 45) angle -= 90;
    while (angle < -45) angle += 90;
    const double length = std::hypot(dx, dy);
    angles.emplace_back(angle, length);
    total += length;
  }
  if (angles.size() < 3) return 0;
  // Length-weighted median: a stray diagonal (a signature, a stamp's edge) cannot pull it.
  std::sort(angles.begin(), angles.end());
  double seen = 0;
  for (const auto& [angle, length] : angles) {
    seen += length;
    if (seen >= total / 2) return angle;
  }
  return 0;
}

}  // namespace carescan::preprocess
