#include "preprocess/geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

namespace carescan::preprocess {
namespace {

// The sheet must cover at least this share of a photo to be taken for the page, and a contour
// covering more than kScanFill is the scanner's own frame, not a sheet on a table.
constexpr double kMinSheetFill = 0.2;
constexpr double kScanFill = 0.93;
// A corner this close to the photo's edge (share of its short side) is on the frame.
constexpr float kFrameMargin = 0.005F;
// The quadrilateral must keep this share of the sheet's region: less is a bent or cut sheet.
constexpr double kMinQuadFill = 0.85;
// How far from A4's proportions a sheet's outline may be: a phone held at a slant foreshortens
// the sheet by 20 % and more. A looser bar lets in outlines cut through the paper, which the
// ranking below and the reader's registration of each candidate sort out; a missing candidate
// nothing can.
constexpr double kA4Misfit = 0.3;
// Canny's lower level on the blurred reduced photo (the upper is three times it): low, since a
// sheet on a pale table steps by only a few tens of grey levels.
constexpr double kCannyLow = 20;
// How far across a side its step is looked for, reduced pixels: the corners are fitted to a
// hull, and a sheet's edge is not quite straight.
constexpr int kSideSlackPx = 2;

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

// The four hull vertices that enclose the most area. Simplifying the hull until four vertices
// remain (approxPolyDP) can cut a corner off instead: a sheet whose outline has a fifth vertex
// where a fold or a shadow dents an edge loses the corner beside it, hundreds of pixels on the
// full photo. The hull is first simplified only to a few dozen vertices, which keeps every
// corner of the sheet.
std::vector<cv::Point> largest_quadrilateral(const std::vector<cv::Point>& hull) {
  constexpr std::size_t kMaxVertices = 24;
  std::vector<cv::Point> poly = hull;
  const double perimeter = cv::arcLength(hull, true);
  for (double eps = 0.002; poly.size() > kMaxVertices && eps <= 0.05; eps *= 1.5) {
    cv::approxPolyDP(hull, poly, eps * perimeter, true);
  }
  const std::size_t n = poly.size();
  if (n < 4 || n > kMaxVertices) return {};
  // Four vertices in hull order always make a convex quadrilateral; its area is the sum of the
  // two triangles on the diagonal a-c.
  auto twice_triangle = [&](std::size_t a, std::size_t b, std::size_t c) {
    return std::abs(double((poly[b] - poly[a]).cross(poly[c] - poly[a])));
  };
  double best = -1;
  std::array<std::size_t, 4> pick{};
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      for (std::size_t c = b + 1; c < n; ++c) {
        const double abc = twice_triangle(a, b, c);
        for (std::size_t d = c + 1; d < n; ++d) {
          const double area = abc + twice_triangle(a, c, d);
          if (area > best) {
            best = area;
            pick = {a, b, c, d};
          }
        }
      }
    }
  }
  return {poly[pick[0]], poly[pick[1]], poly[pick[2]], poly[pick[3]]};
}

// The outline of the largest region of `region` (255 = sheet); empty when there is none.
std::vector<cv::Point> largest_contour(const cv::Mat& region) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(region, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (contours.empty()) return {};
  return *std::max_element(contours.begin(), contours.end(), [](const auto& a, const auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
}

// The part of the photo brighter than `threshold`, the printed rules and text closed so that the
// sheet is one solid region.
cv::Mat bright_region(const cv::Mat& blurred, double threshold) {
  cv::Mat bright;
  cv::threshold(blurred, bright, threshold, 255, cv::THRESH_BINARY);
  cv::morphologyEx(bright, bright, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {9, 9}));
  return bright;
}

// The outline of the largest region of `region` (255 = sheet) as a quadrilateral.
std::optional<std::array<cv::Point2f, 4>> outline_of(const cv::Mat& region) {
  const std::vector<cv::Point> largest = largest_contour(region);
  if (largest.empty()) return std::nullopt;
  const double image_area = static_cast<double>(region.total());
  const double area = cv::contourArea(largest);
  if (area < kMinSheetFill * image_area || area > kScanFill * image_area) return std::nullopt;
  std::vector<cv::Point> hull;
  cv::convexHull(largest, hull);
  const std::vector<cv::Point> quad = largest_quadrilateral(hull);
  // A sheet bent or cut by the frame's edge is no quadrilateral to trust.
  if (quad.size() != 4 || cv::contourArea(quad) < kMinQuadFill * area) return std::nullopt;
  return order_corners(quad);
}

// The sheet as the part of the photo brighter than `threshold`.
std::optional<std::array<cv::Point2f, 4>> outline_at(const cv::Mat& blurred, double threshold) {
  return outline_of(bright_region(blurred, threshold));
}

// The sheet as the region its edges enclose: light that falls off across the photo moves the
// paper's brightness and the background's together, so no one level parts them everywhere,
// but the step at the sheet's edge stays.
std::optional<std::array<cv::Point2f, 4>> outline_by_edges(const cv::Mat& blurred) {
  cv::Mat edges;
  cv::Canny(blurred, edges, kCannyLow, 3 * kCannyLow);
  cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  return outline_of(edges);
}

// How clearly the photo steps from light to dark across each side of the outline: the median
// gradient across the side, the weakest of the four sides. A side cut through the paper (a
// corner lost to shadow) or through the background (the sheet joined to the table) has no
// step along much of its length.
double edge_support(const cv::Mat& gx, const cv::Mat& gy, const std::array<cv::Point2f, 4>& c) {
  double weakest = std::numeric_limits<double>::max();
  for (std::size_t i = 0; i < 4; ++i) {
    const cv::Point2f p = c[i];
    const cv::Point2f q = c[(i + 1) % 4];
    const double length = cv::norm(q - p);
    if (length < 1) return 0;
    const cv::Point2f normal((p.y - q.y) / float(length), (q.x - p.x) / float(length));
    std::vector<float> steps;
    const int samples = static_cast<int>(length / 2);
    for (int k = 0; k < samples; ++k) {
      // Corners are rounded by the blur and the quadrilateral's fit: their ends say little.
      const float t = 0.1F + 0.8F * float(k) / float(std::max(1, samples - 1));
      const cv::Point2f on = p + t * (q - p);
      float strongest = 0;
      for (int offset = -kSideSlackPx; offset <= kSideSlackPx; ++offset) {
        const cv::Point at(cvRound(on.x + float(offset) * normal.x),
                           cvRound(on.y + float(offset) * normal.y));
        if (at.x < 0 || at.y < 0 || at.x >= gx.cols || at.y >= gx.rows) continue;
        strongest = std::max(strongest,
                             std::abs(gx.at<float>(at) * normal.x + gy.at<float>(at) * normal.y));
      }
      steps.push_back(strongest);
    }
    if (steps.empty()) return 0;
    std::nth_element(steps.begin(), steps.begin() + long(steps.size() / 2), steps.end());
    weakest = std::min(weakest, double(steps[steps.size() / 2]));
  }
  return weakest;
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

// The candidate outlines of SheetOutlines, from the blurred photo, the part of it brighter than
// Otsu's level and that level.
std::vector<std::array<cv::Point2f, 4>> candidate_outlines(const cv::Mat& blurred,
                                                           const cv::Mat& at_otsu, double otsu) {
  // Lamp falloff can darken a corner of the sheet below Otsu's level, cutting it off while the
  // outline is still a quadrilateral of about A4's proportions (perspective allows ~30 %), and
  // light falling across the photo can leave no one level that parts sheet and background.
  // Several levels and the edges give candidates; the one whose four sides follow the sheet's
  // edge best is the sheet.
  std::vector<std::array<cv::Point2f, 4>> candidates;
  std::optional<std::array<cv::Point2f, 4>> first;
  for (double factor : {1.0, 0.85, 0.7}) {
    auto outline = factor == 1.0 ? outline_of(at_otsu) : outline_at(blurred, otsu * factor);
    if (!outline) continue;
    // A lower threshold that carries the outline to the frame's edge has joined the sheet to a
    // lit table or wall beside it, which can happen to have A4's proportions too.
    if (factor < 1.0 && reaches_frame(*outline, blurred.size())) continue;
    if (!first) first = outline;
    if (a4_misfit(*outline) < kA4Misfit) candidates.push_back(*outline);
  }
  // Only a photo that shows a sheet on a darker background is outlined: on a scan, the edges
  // would outline the form's printed frame.
  if (!first) return {};
  if (auto outline = outline_by_edges(blurred);
      outline && !reaches_frame(*outline, blurred.size()) && a4_misfit(*outline) < kA4Misfit) {
    candidates.push_back(*outline);
  }
  if (candidates.empty()) return {*first};
  cv::Mat gx, gy;
  cv::Sobel(blurred, gx, CV_32F, 1, 0);
  cv::Sobel(blurred, gy, CV_32F, 0, 1);
  std::vector<std::pair<double, std::size_t>> support;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    support.emplace_back(edge_support(gx, gy, candidates[i]), i);
  }
  // Best first; the first of equal scores first.
  std::stable_sort(support.begin(), support.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::array<cv::Point2f, 4>> out;
  for (const auto& ranked : support) {
    const auto& candidate = candidates[ranked.second];
    // Levels that found the same outline give it once.
    const bool seen = std::any_of(out.begin(), out.end(), [&candidate](const auto& o) {
      for (std::size_t k = 0; k < 4; ++k) {
        if (cv::norm(o[k] - candidate[k]) > 2) return false;
      }
      return true;
    });
    if (!seen) out.push_back(candidate);
  }
  return out;
}

// How far a side's direction may turn before it is taken for another side, degrees: a sheet's
// edge is bowed a little, and the hull's simplification can split it in two.
constexpr double kSideTurnDeg = 10;
// A side shorter than this share of the photo's short side is the hull rounding a corner.
constexpr double kMinSideShare = 0.08;
// Corners placed beyond the photo by more than this share of its size are a bad extrapolation.
constexpr double kMaxReachBeyond = 0.5;

struct Side {
  cv::Point2f from, to;
};

double direction_deg(const Side& s) {
  return std::atan2(s.to.y - s.from.y, s.to.x - s.from.x) * 180 / std::numbers::pi;
}

double turn_deg(const Side& a, const Side& b) {
  double d = std::abs(direction_deg(a) - direction_deg(b));
  return d > 180 ? 360 - d : d;
}

std::optional<cv::Point2f> crossing(const Side& a, const Side& b) {
  const cv::Point2f r = a.to - a.from, q = b.to - b.from;
  const float denominator = r.cross(q);
  if (std::abs(denominator) < 1e-6F) return std::nullopt;
  const float t = (b.from - a.from).cross(q) / denominator;
  return a.from + t * r;
}

// The past-frame outline of SheetOutlines, from the part of the photo brighter than Otsu's level.
std::optional<std::array<cv::Point2f, 4>> outline_past_frame(const cv::Mat& region) {
  const std::vector<cv::Point> largest = largest_contour(region);
  const cv::Size size = region.size();
  if (largest.empty() ||
      cv::contourArea(largest) < kMinSheetFill * static_cast<double>(region.total())) {
    return std::nullopt;
  }
  std::vector<cv::Point> hull, poly;
  cv::convexHull(largest, hull);
  cv::approxPolyDP(hull, poly, 0.003 * cv::arcLength(hull, true), true);
  // The hull's stretches along the photo's edges are where the frame cut the sheet; the others
  // are the sheet's own sides, in order round it.
  const int m = 2;
  auto on_frame = [&](const cv::Point& a, const cv::Point& b) {
    return (a.x <= m && b.x <= m) || (a.y <= m && b.y <= m) ||
           (a.x >= size.width - 1 - m && b.x >= size.width - 1 - m) ||
           (a.y >= size.height - 1 - m && b.y >= size.height - 1 - m);
  };
  std::vector<Side> sides;
  bool cut = false;
  for (std::size_t i = 0; i < poly.size(); ++i) {
    const cv::Point a = poly[i], b = poly[(i + 1) % poly.size()];
    if (on_frame(a, b)) {
      cut = true;
      continue;
    }
    const Side side{cv::Point2f(a), cv::Point2f(b)};
    if (!sides.empty() && turn_deg(sides.back(), side) < kSideTurnDeg &&
        sides.back().to == side.from) {
      sides.back().to = side.to;
    } else {
      sides.push_back(side);
    }
  }
  if (!cut) return std::nullopt;  // the whole sheet is in the photo: sheet_outlines' case
  if (sides.size() > 1 && turn_deg(sides.back(), sides.front()) < kSideTurnDeg &&
      sides.back().to == sides.front().from) {
    sides.front().from = sides.back().from;
    sides.pop_back();
  }
  const double min_side = kMinSideShare * std::min(size.width, size.height);
  std::erase_if(sides, [&](const Side& s) { return cv::norm(s.to - s.from) < min_side; });
  if (sides.size() != 4) return std::nullopt;
  std::vector<cv::Point> corners;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto corner = crossing(sides[i], sides[(i + 1) % 4]);
    if (!corner) return std::nullopt;
    const float reach_x = float(kMaxReachBeyond * size.width);
    const float reach_y = float(kMaxReachBeyond * size.height);
    if (corner->x < -reach_x || corner->y < -reach_y || corner->x > size.width + reach_x ||
        corner->y > size.height + reach_y) {
      return std::nullopt;
    }
    corners.emplace_back(cvRound(corner->x), cvRound(corner->y));
  }
  if (!cv::isContourConvex(corners)) return std::nullopt;
  const auto ordered = order_corners(corners);
  if (a4_misfit(ordered) >= kA4Misfit) return std::nullopt;
  return ordered;
}

}  // namespace

SheetOutlines sheet_outlines(const cv::Mat& grey_small) {
  cv::Mat blurred, ignored;
  cv::GaussianBlur(grey_small, blurred, {5, 5}, 0);
  const double otsu = cv::threshold(blurred, ignored, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  const cv::Mat at_otsu = bright_region(blurred, otsu);
  return {candidate_outlines(blurred, at_otsu, otsu), outline_past_frame(at_otsu)};
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
