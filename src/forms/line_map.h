#pragma once
// The printed-rule map of a page: long horizontal and vertical strokes, handwriting mostly gone.

#include <opencv2/core.hpp>

namespace carescan::forms {

// Frame in which pages are compared: the template's pixel frame divided by this.
inline constexpr int kMapReduction = 4;

// Rule strength (CV_32F, 0..1) of `grey`, resized to `size` first. Rules are what survives a grey
// opening with a ~7 mm horizontal or ~5 mm vertical line: table rules, box sides, comb cells.
cv::Mat rule_map(const cv::Mat& grey, cv::Size size);

// Fraction of the page that is ink at map scale: a blank page has almost none.
double ink_fraction(const cv::Mat& grey_small);

}  // namespace carescan::forms
