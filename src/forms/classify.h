#pragma once
// Which care sheet a page's rule map shows, and which way up, by correlation with each template's.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/config.h"
#include "forms/match.h"

namespace carescan::forms {

// A small, blurred rule map: what classification compares. Blur absorbs a few mm of shift.
cv::Mat classification_signature(const cv::Mat& rules);

struct ClassifierInput {
  cv::Mat page_rules;   // rule map of the prepared page, as it lies (not yet turned upright)
  double ink_fraction;  // of the prepared page
};

// `signatures[i]` belongs to `forms[i]`; both come from the blank reference sheets.
Classification classify_page(const ClassifierInput& page, const std::vector<cv::Mat>& signatures,
                             const std::vector<std::string>& forms,
                             const core::MatchSettings& settings = {});

cv::Mat rotate_clockwise(const cv::Mat& image, int degrees);

// 3x3 CV_64F: pixels of rotate_clockwise(image, degrees) -> pixels of `image` (of size `size`).
cv::Mat unrotation(int degrees, cv::Size size);

}  // namespace carescan::forms
