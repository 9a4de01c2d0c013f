#include "forms/classify.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace carescan::forms {
namespace {

// A twentieth of the template frame: 1.7 mm per pixel, the page's layout without its detail.
const cv::Size kSignatureSize(124, 175);

// Best correlation over shifts of up to kSearch pixels (±13 mm): scanners and copiers move the
// printed page by several millimetres.
constexpr int kSearch = 8;

double correlation(const cv::Mat& page, const cv::Mat& reference) {
  cv::Mat padded;
  cv::copyMakeBorder(page, padded, kSearch, kSearch, kSearch, kSearch, cv::BORDER_CONSTANT, 0);
  cv::Mat result;
  cv::matchTemplate(padded, reference, result, cv::TM_CCOEFF_NORMED);
  double best = 0;
  cv::minMaxLoc(result, nullptr, &best);
  return best;
}

}  // namespace

cv::Mat rotate_clockwise(const cv::Mat& image, int degrees) {
  cv::Mat out;
  switch (degrees) {
    case 90:
      cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 180:
      cv::rotate(image, out, cv::ROTATE_180);
      return out;
    case 270:
      cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return image;
  }
}

cv::Mat unrotation(int degrees, cv::Size size) {
  const double w1 = size.width - 1, h1 = size.height - 1;
  switch (degrees) {
    case 90:  // (u, v) was (x = v, y = h - 1 - u)
      return (cv::Mat_<double>(3, 3) << 0, 1, 0, -1, 0, h1, 0, 0, 1);
    case 180:
      return (cv::Mat_<double>(3, 3) << -1, 0, w1, 0, -1, h1, 0, 0, 1);
    case 270:  // (u, v) was (x = w - 1 - v, y = u)
      return (cv::Mat_<double>(3, 3) << 0, -1, w1, 1, 0, 0, 0, 0, 1);
    default:
      return cv::Mat::eye(3, 3, CV_64F);
  }
}

cv::Mat classification_signature(const cv::Mat& rules) {
  cv::Mat small;
  cv::resize(rules, small, kSignatureSize, 0, 0, cv::INTER_AREA);
  cv::GaussianBlur(small, small, {0, 0}, 1.5);
  return small;
}

Classification classify_page(const ClassifierInput& page, const std::vector<cv::Mat>& signatures,
                             const std::vector<std::string>& forms,
                             const core::MatchSettings& settings) {
  Classification result;
  if (page.ink_fraction < settings.blank_ink) {
    result.reason = "blank page";
    result.confidence = 1 - page.ink_fraction / settings.blank_ink;
    return result;
  }
  constexpr int kRotations[] = {0, 90, 180, 270};
  std::vector<std::vector<double>> scores;  // [rotation][form]
  for (int rotation : kRotations) {
    const cv::Mat signature = classification_signature(rotate_clockwise(page.page_rules, rotation));
    auto& row = scores.emplace_back();
    for (const auto& reference : signatures) row.push_back(correlation(signature, reference));
  }
  double best = -1;
  std::size_t best_rotation = 0, best_form = 0;
  for (std::size_t r = 0; r < scores.size(); ++r) {
    for (std::size_t f = 0; f < scores[r].size(); ++f) {
      if (scores[r][f] > best) {
        best = scores[r][f];
        best_rotation = r;
        best_form = f;
      }
    }
  }
  double second = -1;  // the best sibling form the same way up
  for (std::size_t f = 0; f < scores[best_rotation].size(); ++f) {
    if (f != best_form) second = std::max(second, scores[best_rotation][f]);
  }
  result.rotation_degrees = kRotations[best_rotation];
  if (best < settings.min_layout_score) {
    result.reason = "no care-sheet layout found";
    result.confidence =
        std::clamp((settings.min_layout_score - best) / settings.min_layout_score + 0.5, 0.5, 1.0);
    result.rotation_degrees = 0;
    return result;
  }
  result.form = forms[best_form];
  // Sure when the layout is clearly a care sheet and clearly this one rather than its siblings.
  const double layout =
      std::clamp((best - settings.min_layout_score) /
                     (settings.confident_layout_score - settings.min_layout_score),
                 0.0, 1.0);
  const double margin = std::clamp((best - second) / settings.confident_margin, 0.0, 1.0);
  result.confidence = 0.5 + 0.5 * std::min(layout, margin);
  return result;
}

}  // namespace carescan::forms
