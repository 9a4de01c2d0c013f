#include "forms/line_map.h"

#include <opencv2/imgproc.hpp>

namespace carescan::forms {

cv::Mat rule_map(const cv::Mat& grey, cv::Size size) {
  cv::Mat small;
  cv::resize(grey, small, size, 0, 0, cv::INTER_AREA);
  // Darkness relative to the local paper level, so photocopier haze and shadows do not count.
  cv::Mat paper;
  cv::dilate(small, paper, cv::getStructuringElement(cv::MORPH_RECT, {9, 9}));
  cv::Mat dark;
  cv::subtract(paper, small, dark);
  // At a quarter of 300 dpi: 21 px = 7 mm (longer than any printed or written letter stroke),
  // 15 px = 5 mm (a comb cell's height is 6.5 mm, a capital about 4 mm).
  cv::Mat horizontal, vertical;
  cv::morphologyEx(dark, horizontal, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {21, 1}));
  cv::morphologyEx(dark, vertical, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {1, 15}));
  cv::Mat rules;
  cv::max(horizontal, vertical, rules);
  rules.convertTo(rules, CV_32F, 1.0 / 255);
  return rules;
}

double ink_fraction(const cv::Mat& grey_small) {
  cv::Mat paper;
  cv::dilate(grey_small, paper, cv::getStructuringElement(cv::MORPH_RECT, {9, 9}));
  cv::Mat dark;
  cv::subtract(paper, grey_small, dark);
  return cv::countNonZero(dark > 60) / static_cast<double>(dark.total());
}

}  // namespace carescan::forms
