#pragma once
// Resamples a page into another frame (the template's) through a homography, as an affine warp
// when the homography's perspective moves no pixel of the target by more than a fraction of one:
// a scan's or a copy's registration is affine in all but its last decimals, and OpenCV's affine
// warp costs half the perspective one on a full page.

#include <functional>
#include <opencv2/core.hpp>
#include <optional>

namespace carescan::preprocess {

// The 2x3 affine map closest (least squares over a grid spanning `target`) to the 3x3
// `source_from_target`, when no point of the grid lies more than `tolerance_px` from where the
// homography puts it; nullopt otherwise.
std::optional<cv::Mat> affine_within(const cv::Mat& source_from_target, cv::Size target,
                                     double tolerance_px);

// `source` resampled into a `target`-sized image (bilinear; outside the source is white).
cv::Mat warp_into(const cv::Mat& source, const cv::Mat& source_from_target, cv::Size target);

// Where a target pixel is taken from in the source: a smooth map, such as a homography after a
// bent sheet's offsets.
using SourcePoint = std::function<cv::Point2d(cv::Point2d)>;

// warp_into through any smooth map: tile by tile as an affine warp where the map is affine to
// within a quarter pixel over the tile, on smaller tiles where it is not.
cv::Mat warp_through(const cv::Mat& source, const SourcePoint& source_of, cv::Size target);

}  // namespace carescan::preprocess
