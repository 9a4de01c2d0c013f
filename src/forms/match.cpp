#include "forms/match.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/json_util.h"

namespace carescan::forms {

struct FormMatcher::Impl {
  std::vector<FormTemplate> templates;
  std::vector<cv::Mat> reference;  // blank sheets, full size
  std::vector<cv::Mat> thumbs;     // downscaled, for classification
};

namespace {

const cv::Size kThumb(124, 175);

cv::Mat thumbnail(const cv::Mat& grey) {
  cv::Mat small;
  cv::resize(grey, small, kThumb, 0, 0, cv::INTER_AREA);
  small.convertTo(small, CV_32F);
  return small;
}

double ncc(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat result;
  cv::matchTemplate(a, b, result, cv::TM_CCOEFF_NORMED);
  return result.at<float>(0, 0);
}

cv::Mat rotate_clockwise(const cv::Mat& img, int degrees) {
  cv::Mat out;
  switch (degrees) {
    case 90:
      cv::rotate(img, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 180:
      cv::rotate(img, out, cv::ROTATE_180);
      return out;
    case 270:
      cv::rotate(img, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return img;
  }
}

}  // namespace

FormMatcher::FormMatcher(std::vector<FormTemplate> templates) {
  auto impl = std::make_shared<Impl>();
  impl->templates = std::move(templates);
  for (const auto& t : impl->templates) {
    cv::Mat ref = cv::imread(t.image.string(), cv::IMREAD_GRAYSCALE);
    if (ref.empty()) throw core::DataError("cannot read the reference image " + t.image.string());
    impl->thumbs.push_back(thumbnail(ref));
    impl->reference.push_back(std::move(ref));
  }
  impl_ = std::move(impl);
}

const std::vector<FormTemplate>& FormMatcher::templates() const {
  return impl_->templates;
}

MatchResult FormMatcher::match(const cv::Mat& prepared_grey) const {
  MatchResult result;
  double best = -1;
  std::size_t best_form = 0;
  for (int rotation : {0, 90, 180, 270}) {
    const cv::Mat thumb = thumbnail(rotate_clockwise(prepared_grey, rotation));
    for (std::size_t i = 0; i < impl_->thumbs.size(); ++i) {
      const double score = ncc(thumb, impl_->thumbs[i]);
      if (score > best) {
        best = score;
        best_form = i;
        result.classification.rotation_degrees = rotation;
      }
    }
  }
  auto& cls = result.classification;
  if (best < 0.5) {
    cls.reason = "no care-sheet layout found";
    cls.confidence = 1 - std::max(0.0, best);
    return result;
  }
  const auto& form = impl_->templates[best_form];
  cls.form = form.form;
  cls.confidence = best;
  auto& reg = result.registered;
  reg.form = &form;
  const cv::Mat upright = rotate_clockwise(prepared_grey, cls.rotation_degrees);
  const cv::Size size = impl_->reference[best_form].size();
  cv::resize(upright, reg.image, size, 0, 0, cv::INTER_AREA);
  reg.page_from_template = cv::Mat::eye(3, 3, CV_64F);
  reg.page_from_template.at<double>(0, 0) = double(upright.cols) / size.width;
  reg.page_from_template.at<double>(1, 1) = double(upright.rows) / size.height;
  reg.quality = best;
  reg.ok = true;
  return result;
}

}  // namespace carescan::forms
