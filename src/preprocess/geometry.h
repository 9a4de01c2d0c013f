#pragma once
// Estimates, on a reduced copy of a page, where the sheet lies: its outline in a photo, its skew.

#include <array>
#include <opencv2/core.hpp>
#include <optional>

namespace carescan::preprocess {

// The sheet's four corners (top-left, top-right, bottom-right, bottom-left as seen in the image)
// when the image shows a sheet lying on a darker background, as in a phone photo; nullopt when
// the sheet fills the image (a scan) or no clear outline exists.
std::optional<std::array<cv::Point2f, 4>> find_sheet_outline(const cv::Mat& grey_small);

// Skew of the printed rules in degrees, counter-clockwise positive (as cv::getRotationMatrix2D
// takes it), folded into [-45, 45); 0 when too few long lines are found.
double estimate_skew_deg(const cv::Mat& grey_small);

}  // namespace carescan::preprocess
