#include "synth/ink.h"

#include <opencv2/imgproc.hpp>

namespace carescan::synth {

Ink random_pen(Rng& rng) {
  Ink ink;
  if (chance(rng, 0.6)) {  // blue ballpoint is the common pen on these sheets
    ink.bgr = cv::Scalar(uniform(rng, 120, 175), uniform(rng, 40, 80), uniform(rng, 15, 45));
  } else {
    ink.bgr = cv::Scalar::all(uniform(rng, 15, 50));
  }
  ink.strength = uniform(rng, 0.85, 1.0);
  ink.unevenness = uniform(rng, 0.1, 0.35);
  return ink;
}

Ink random_stamp_pad(Rng& rng) {
  Ink ink;
  if (chance(rng, 0.65)) {
    ink.bgr = cv::Scalar(uniform(rng, 150, 200), uniform(rng, 70, 110), uniform(rng, 30, 70));
  } else {
    ink.bgr = cv::Scalar(uniform(rng, 140, 180), uniform(rng, 50, 80), uniform(rng, 100, 140));
  }
  ink.strength = uniform(rng, 0.55, 0.85);
  ink.unevenness = uniform(rng, 0.3, 0.6);
  return ink;
}

cv::Mat smooth_noise(cv::Size size, int cell, double lo, double hi, Rng& rng) {
  const int w = std::max(2, size.width / std::max(cell, 1) + 2);
  const int h = std::max(2, size.height / std::max(cell, 1) + 2);
  cv::Mat small(h, w, CV_32F);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) small.at<float>(y, x) = static_cast<float>(uniform(rng, lo, hi));
  }
  cv::Mat out;
  cv::resize(small, out, size, 0, 0, cv::INTER_CUBIC);
  cv::min(out, hi, out);
  cv::max(out, lo, out);
  return out;
}

void lay_ink(cv::Mat& page, const cv::Mat& alpha, cv::Point top_left, const Ink& ink, Rng& rng) {
  if (alpha.empty()) return;
  const cv::Rect page_rect(0, 0, page.cols, page.rows);
  const cv::Rect target = cv::Rect(top_left, alpha.size()) & page_rect;
  if (target.empty()) return;
  const cv::Rect source(target.x - top_left.x, target.y - top_left.y, target.width, target.height);

  cv::Mat a;
  alpha(source).convertTo(a, CV_32F, ink.strength / 255.0);
  const cv::Mat gain = smooth_noise(a.size(), 24, 1.0 - ink.unevenness, 1.0, rng);
  a = a.mul(gain);
  cv::Mat roi = page(target);
  cv::Mat roi_f;
  roi.convertTo(roi_f, CV_32FC3);
  std::vector<cv::Mat> channels;
  cv::split(roi_f, channels);
  for (int c = 0; c < 3; ++c) {
    // factor = 1 - a * (1 - colour): full coverage turns white paper into the ink colour.
    const double darken = 1.0 - ink.bgr[c] / 255.0;
    cv::Mat factor = 1.0 - a * darken;
    channels[c] = channels[c].mul(factor);
  }
  cv::merge(channels, roi_f);
  roi_f.convertTo(roi, CV_8UC3);
}

void paste(cv::Mat& page, const cv::Mat& patch, const cv::Mat& mask, cv::Point top_left) {
  const cv::Rect target = cv::Rect(top_left, patch.size()) & cv::Rect(0, 0, page.cols, page.rows);
  if (target.empty()) return;
  const cv::Rect source(target.x - top_left.x, target.y - top_left.y, target.width, target.height);
  patch(source).copyTo(page(target), mask(source));
}

namespace {

// The affine map of a rotation and shear about `anchor`, and the canvas that holds the result.
cv::Mat grow_transform(cv::Size size, cv::Point2d anchor, double rotation_deg, double shear,
                       cv::Size& out_size) {
  cv::Mat shear_m = (cv::Mat_<double>(3, 3) << 1, -shear, shear * anchor.y, 0, 1, 0, 0, 0, 1);
  cv::Mat rot = cv::getRotationMatrix2D(anchor, rotation_deg, 1.0);
  cv::Mat rot3 = cv::Mat::eye(3, 3, CV_64F);
  rot.copyTo(rot3.rowRange(0, 2));
  cv::Mat m = rot3 * shear_m;
  std::vector<cv::Point2d> corners{{0, 0},
                                   {double(size.width), 0},
                                   {0, double(size.height)},
                                   {double(size.width), double(size.height)}};
  std::vector<cv::Point2d> moved;
  cv::perspectiveTransform(corners, moved, m);
  const cv::Rect2d box = cv::boundingRect(std::vector<cv::Point2f>(moved.begin(), moved.end()));
  cv::Mat shift = (cv::Mat_<double>(3, 3) << 1, 0, -box.x, 0, 1, -box.y, 0, 0, 1);
  m = shift * m;
  out_size = cv::Size(static_cast<int>(std::ceil(box.width)) + 1,
                      static_cast<int>(std::ceil(box.height)) + 1);
  return m.rowRange(0, 2).clone();
}

}  // namespace

InkMark transform_mark(const InkMark& mark, double rotation_deg, double shear) {
  if (mark.alpha.empty() || (std::abs(rotation_deg) < 1e-3 && std::abs(shear) < 1e-4)) return mark;
  cv::Size out_size;
  const cv::Mat m = grow_transform(mark.alpha.size(), mark.anchor, rotation_deg, shear, out_size);
  InkMark out;
  cv::warpAffine(mark.alpha, out.alpha, m, out_size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  out.anchor = cv::Point2d(
      m.at<double>(0, 0) * mark.anchor.x + m.at<double>(0, 1) * mark.anchor.y + m.at<double>(0, 2),
      m.at<double>(1, 0) * mark.anchor.x + m.at<double>(1, 1) * mark.anchor.y + m.at<double>(1, 2));
  return out;
}

void rotate_patch(cv::Mat& patch, cv::Mat& mask, double rotation_deg) {
  cv::Size out_size;
  const cv::Point2d centre(patch.cols / 2.0, patch.rows / 2.0);
  const cv::Mat m = grow_transform(patch.size(), centre, rotation_deg, 0, out_size);
  cv::Mat p, k;
  cv::warpAffine(patch, p, m, out_size, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar::all(255));
  cv::warpAffine(mask, k, m, out_size, cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
  patch = p;
  mask = k;
}

InkMark crop_to_ink(const InkMark& mark) {
  if (mark.alpha.empty()) return mark;
  const cv::Rect box = cv::boundingRect(mark.alpha);
  if (box.empty()) return InkMark{cv::Mat(), mark.anchor};
  return InkMark{mark.alpha(box).clone(), mark.anchor - cv::Point2d(box.x, box.y)};
}

}  // namespace carescan::synth
