#include "preprocess/warp.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace carescan::preprocess {
namespace {

// A quarter pixel at 300 dpi is 0.02 mm: far under the ink's own edge blur, and bilinear
// resampling already moves intensities by more.
constexpr double kAffineTolerancePx = 0.25;
constexpr int kGrid = 5;  // points a side: the perspective's largest move is at the corners
// Tiles of this side are warped each on its own map.
constexpr int kTile = 256;

// The least-squares affine map taking `from` to `to`, when it misses none of them by more than
// `tolerance_px`.
std::optional<cv::Mat> affine_through(const std::vector<cv::Point2d>& from,
                                      const std::vector<cv::Point2d>& to, double tolerance_px) {
  cv::Mat design(static_cast<int>(from.size()), 3, CV_64F);
  cv::Mat goal(static_cast<int>(from.size()), 2, CV_64F);
  for (int r = 0; r < design.rows; ++r) {
    design.at<double>(r, 0) = from[r].x;
    design.at<double>(r, 1) = from[r].y;
    design.at<double>(r, 2) = 1;
    goal.at<double>(r, 0) = to[r].x;
    goal.at<double>(r, 1) = to[r].y;
  }
  cv::Mat solution;  // 3 x 2
  if (!cv::solve(design, goal, solution, cv::DECOMP_SVD)) return std::nullopt;
  const cv::Mat fitted = design * solution;
  double worst = 0;
  for (int r = 0; r < fitted.rows; ++r) {
    worst = std::max(worst, cv::norm(fitted.row(r) - goal.row(r)));
  }
  if (worst > tolerance_px) return std::nullopt;
  cv::Mat affine = solution.t();  // 2 x 3
  return affine;
}

std::vector<cv::Point2d> grid_over(cv::Size target) {
  std::vector<cv::Point2d> grid;
  for (int j = 0; j < kGrid; ++j) {
    for (int i = 0; i < kGrid; ++i) {
      grid.emplace_back(target.width * i / double(kGrid - 1),
                        target.height * j / double(kGrid - 1));
    }
  }
  return grid;
}

}  // namespace

std::optional<cv::Mat> affine_within(const cv::Mat& source_from_target, cv::Size target,
                                     double tolerance_px) {
  CV_Assert(source_from_target.rows == 3 && source_from_target.cols == 3);
  const std::vector<cv::Point2d> grid = grid_over(target);
  cv::Mat h;
  source_from_target.convertTo(h, CV_64F);
  std::vector<cv::Point2d> mapped;
  cv::perspectiveTransform(grid, mapped, h);
  return affine_through(grid, mapped, tolerance_px);
}

cv::Mat warp_into(const cv::Mat& source, const cv::Mat& source_from_target, cv::Size target) {
  const int flags = cv::INTER_LINEAR | cv::WARP_INVERSE_MAP;
  cv::Mat out(target, source.type());
  cv::Mat h;
  source_from_target.convertTo(h, CV_64F);
  // Tile by tile: over a tile a homography is affine to well under the tolerance unless it is a
  // steep photo's, and such a tile takes the perspective warp.
  for (int y = 0; y < target.height; y += kTile) {
    for (int x = 0; x < target.width; x += kTile) {
      const cv::Rect tile(x, y, std::min(kTile, target.width - x),
                          std::min(kTile, target.height - y));
      const cv::Mat shift = (cv::Mat_<double>(3, 3) << 1, 0, x, 0, 1, y, 0, 0, 1);
      const cv::Mat tile_map = h * shift;
      cv::Mat dst = out(tile);
      if (const auto affine = affine_within(tile_map, tile.size(), kAffineTolerancePx)) {
        cv::warpAffine(source, dst, *affine, tile.size(), flags, cv::BORDER_CONSTANT, 255);
      } else {
        cv::warpPerspective(source, dst, tile_map, tile.size(), flags, cv::BORDER_CONSTANT, 255);
      }
    }
  }
  return out;
}

namespace {

// One tile of warp_through: affine when the map is affine to the tolerance over it, else its
// quarters, each on its own, down to tiles of kMinTile; pixel by pixel below that. A bent sheet's
// map curves too much over a full tile but is affine over a quarter of one.
void warp_tile(const cv::Mat& source, const SourcePoint& source_of, cv::Mat& out,
               const cv::Rect& tile) {
  constexpr int kMinTile = 32;
  const std::vector<cv::Point2d> grid = grid_over(tile.size());
  std::vector<cv::Point2d> mapped;
  mapped.reserve(grid.size());
  for (const auto& p : grid) mapped.push_back(source_of(p + cv::Point2d(tile.x, tile.y)));
  cv::Mat dst = out(tile);
  if (const auto affine = affine_through(grid, mapped, kAffineTolerancePx)) {
    cv::warpAffine(source, dst, *affine, tile.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                   cv::BORDER_CONSTANT, 255);
    return;
  }
  if (tile.width > kMinTile || tile.height > kMinTile) {
    const int half_w = (tile.width + 1) / 2, half_h = (tile.height + 1) / 2;
    for (const cv::Rect& quarter :
         {cv::Rect(tile.x, tile.y, half_w, half_h),
          cv::Rect(tile.x + half_w, tile.y, tile.width - half_w, half_h),
          cv::Rect(tile.x, tile.y + half_h, half_w, tile.height - half_h),
          cv::Rect(tile.x + half_w, tile.y + half_h, tile.width - half_w, tile.height - half_h)}) {
      if (!quarter.empty()) warp_tile(source, source_of, out, quarter);
    }
    return;
  }
  cv::Mat map(tile.size(), CV_32FC2);
  for (int r = 0; r < tile.height; ++r) {
    auto* row = map.ptr<cv::Vec2f>(r);
    for (int c = 0; c < tile.width; ++c) {
      const cv::Point2d p = source_of({double(tile.x + c), double(tile.y + r)});
      row[c] = {static_cast<float>(p.x), static_cast<float>(p.y)};
    }
  }
  cv::remap(source, dst, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 255);
}

}  // namespace

cv::Mat warp_through(const cv::Mat& source, const SourcePoint& source_of, cv::Size target) {
  cv::Mat out(target, source.type());
  for (int y = 0; y < target.height; y += kTile) {
    for (int x = 0; x < target.width; x += kTile) {
      warp_tile(source, source_of, out,
                {x, y, std::min(kTile, target.width - x), std::min(kTile, target.height - y)});
    }
  }
  return out;
}

}  // namespace carescan::preprocess
