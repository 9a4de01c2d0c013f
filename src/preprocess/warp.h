#pragma once
// Resamples a page into another frame (the template's) through a homography, as an affine warp
// when the homography's perspective moves no pixel of the target by more than a fraction of one:
// a scan's or a copy's registration is affine in all but its last decimals, and OpenCV's affine
// warp costs half the perspective one on a full page.

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

}  // namespace carescan::preprocess
