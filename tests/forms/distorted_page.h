#pragma once
// Test inputs for classification and registration: a blank reference sheet with fake ink, put
// through a known geometric distortion and noise, so the true template->page map is known.

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>

namespace carescan::forms::testing {

struct DistortedPage {
  cv::Mat image;
  cv::Mat page_from_template;  // 3x3 CV_64F, the truth
};

struct Distortion {
  double rotation_deg = 0;
  double scale = 1;  // of the printed page, e.g. 0.97
  double shift_x_px = 0, shift_y_px = 0;
  double perspective = 0;   // how much the top edge narrows, as a fraction of the width
  double output_scale = 1;  // resampling: 200/300 for a 200 dpi scan
  double noise_sigma = 0;
  int seed = 1;
};

inline void draw_fake_ink(cv::Mat& page) {
  const cv::Scalar ink(40);
  cv::putText(page, "BENANI YOUSSEF", {520, 690}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 2.2, ink, 5);
  cv::putText(page, "AB123456", {770, 800}, cv::FONT_HERSHEY_SIMPLEX, 2.0, ink, 5);
  cv::putText(page, "12/03/2025  consultation  C  1  250,00", {160, 1300},
              cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 1.8, ink, 4);
  cv::putText(page, "Doliprane 1000   2   35,60", {500, 2050}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 1.8,
              ink, 4);
  cv::ellipse(page, {2100, 1400}, {180, 120}, 20, 0, 360, cv::Scalar(90), 6);  // a stamp
  cv::line(page, {1450, 3300}, {1850, 3230}, ink, 6);                          // a signature
}

inline DistortedPage distort(const cv::Mat& reference, const Distortion& d) {
  cv::Mat filled = reference.clone();
  draw_fake_ink(filled);
  const cv::Point2f c(reference.cols / 2.0f, reference.rows / 2.0f);
  cv::Mat affine = cv::getRotationMatrix2D(c, d.rotation_deg, d.scale);
  cv::Mat h = cv::Mat::eye(3, 3, CV_64F);
  affine.copyTo(h.rowRange(0, 2));
  h.at<double>(0, 2) += d.shift_x_px;
  h.at<double>(1, 2) += d.shift_y_px;
  const float w = static_cast<float>(reference.cols), ht = static_cast<float>(reference.rows);
  const float inset = static_cast<float>(d.perspective * w / 2);
  const std::vector<cv::Point2f> from{{0, 0}, {w, 0}, {w, ht}, {0, ht}};
  const std::vector<cv::Point2f> to{{inset, 0}, {w - inset, 0}, {w, ht}, {0, ht}};
  cv::Mat persp = cv::getPerspectiveTransform(from, to);
  const cv::Mat out_scale =
      (cv::Mat_<double>(3, 3) << d.output_scale, 0, 0, 0, d.output_scale, 0, 0, 0, 1);
  DistortedPage page;
  page.page_from_template = out_scale * persp * h;
  const cv::Size size(static_cast<int>(std::lround(reference.cols * d.output_scale)),
                      static_cast<int>(std::lround(reference.rows * d.output_scale)));
  cv::warpPerspective(filled, page.image, page.page_from_template, size, cv::INTER_AREA,
                      cv::BORDER_CONSTANT, 245);
  if (d.noise_sigma > 0) {
    cv::Mat noise(page.image.size(), CV_16S);
    cv::randn(noise, 0, d.noise_sigma);
    cv::Mat img16;
    page.image.convertTo(img16, CV_16S);
    img16 += noise;
    img16.convertTo(page.image, CV_8U);
  }
  return page;
}

// Where a template pixel lands on the page under `page_from_template`.
inline cv::Point2d map_point(const cv::Mat& page_from_template, cv::Point2d p) {
  const cv::Mat v = page_from_template * (cv::Mat_<double>(3, 1) << p.x, p.y, 1.0);
  return {v.at<double>(0) / v.at<double>(2), v.at<double>(1) / v.at<double>(2)};
}

}  // namespace carescan::forms::testing
