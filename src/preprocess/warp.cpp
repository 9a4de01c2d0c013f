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

}  // namespace

std::optional<cv::Mat> affine_within(const cv::Mat& source_from_target, cv::Size target,
                                     double tolerance_px) {
  CV_Assert(source_from_target.rows == 3 && source_from_target.cols == 3);
  std::vector<cv::Point2d> grid;
  for (int j = 0; j < kGrid; ++j) {
    for (int i = 0; i < kGrid; ++i) {
      grid.emplace_back(target.width * i / double(kGrid - 1),
                        target.height * j / double(kGrid - 1));
    }
  }
  cv::Mat h;
  source_from_target.convertTo(h, CV_64F);
  std::vector<cv::Point2d> mapped;
  cv::perspectiveTransform(grid, mapped, h);
  cv::Mat design(static_cast<int>(grid.size()), 3, CV_64F);
  cv::Mat goal(static_cast<int>(grid.size()), 2, CV_64F);
  for (int r = 0; r < design.rows; ++r) {
    design.at<double>(r, 0) = grid[r].x;
    design.at<double>(r, 1) = grid[r].y;
    design.at<double>(r, 2) = 1;
    goal.at<double>(r, 0) = mapped[r].x;
    goal.at<double>(r, 1) = mapped[r].y;
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

}  // namespace carescan::preprocess
