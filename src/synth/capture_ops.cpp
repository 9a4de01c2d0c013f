#include "synth/capture_ops.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace carescan::synth::capture_ops {

cv::Size a4_size_px(double dpi) {
  return frame_size_px(kA4WidthMm, kA4HeightMm, dpi);
}

cv::Size frame_size_px(double width_mm, double height_mm, double dpi) {
  return {static_cast<int>(std::lround(width_mm / kMmPerInch * dpi)),
          static_cast<int>(std::lround(height_mm / kMmPerInch * dpi))};
}

double sheet_dpi(const cv::Mat& sheet) {
  return sheet.cols / (kA4WidthMm / kMmPerInch);
}

cv::RNG cv_rng(Rng& rng) {
  return cv::RNG(static_cast<uint64_t>(rng()));
}

cv::Mat to_grey(const cv::Mat& image) {
  if (image.channels() == 1) return image.clone();
  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  return grey;
}

cv::Mat to_bgr(const cv::Mat& image) {
  if (image.channels() == 3) return image.clone();
  cv::Mat bgr;
  cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

Placement draw_placement(Rng& rng, double dpi, double max_skew_deg, double max_scale_change,
                         double max_shift_mm, double upside_down_chance) {
  Placement p;
  p.dpi = dpi;
  p.skew_deg = uniform(rng, -max_skew_deg, max_skew_deg);
  p.scale = uniform(rng, 1.0 - max_scale_change, 1.0 + max_scale_change);
  p.shift_x_mm = uniform(rng, -max_shift_mm, max_shift_mm);
  p.shift_y_mm = uniform(rng, -max_shift_mm, max_shift_mm);
  p.upside_down = chance(rng, upside_down_chance);
  return p;
}

cv::Mat placement_matrix(const cv::Mat& sheet, const Placement& placement) {
  const double ratio = placement.dpi / sheet_dpi(sheet);
  const cv::Size frame =
      frame_size_px(placement.frame_width_mm, placement.frame_height_mm, placement.dpi);
  const cv::Point2f sheet_centre(sheet.cols / 2.0F, sheet.rows / 2.0F);
  const double angle = placement.skew_deg + (placement.upside_down ? 180.0 : 0.0);
  cv::Mat m = cv::getRotationMatrix2D(sheet_centre, angle, placement.scale * ratio);
  const double px_per_mm = placement.dpi / kMmPerInch;
  m.at<double>(0, 2) += frame.width / 2.0 - sheet_centre.x + placement.shift_x_mm * px_per_mm;
  m.at<double>(1, 2) += frame.height / 2.0 - sheet_centre.y + placement.shift_y_mm * px_per_mm;
  return m;
}

std::array<cv::Point2f, 4> sheet_corners(const cv::Mat& sheet, const cv::Mat& transform) {
  const auto w = static_cast<float>(sheet.cols);
  const auto h = static_cast<float>(sheet.rows);
  std::vector<cv::Point2f> in{{0, 0}, {w, 0}, {w, h}, {0, h}};
  std::vector<cv::Point2f> out;
  if (transform.rows == 3) {
    cv::perspectiveTransform(in, out, transform);
  } else {
    cv::transform(in, out, transform);
  }
  return {out[0], out[1], out[2], out[3]};
}

cv::Mat place_on_bed(const cv::Mat& sheet, const Placement& placement, const cv::Scalar& bed,
                     double edge) {
  const cv::Size frame =
      frame_size_px(placement.frame_width_mm, placement.frame_height_mm, placement.dpi);
  const cv::Mat m = placement_matrix(sheet, placement);
  cv::Mat out(frame, sheet.type(), bed);
  // Bilinear sampling aliases thin rules when shrinking; the sensor's optics low-pass first.
  const double ratio = placement.dpi * placement.scale / sheet_dpi(sheet);
  cv::Mat source = sheet;
  if (ratio < 0.95) cv::GaussianBlur(sheet, source, cv::Size(), 0.45 / ratio);
  // Transparent border: the bed stays where no paper lies, with no dark fringe.
  cv::warpAffine(source, out, m, frame, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
  if (edge >= 0) {
    const auto corners = sheet_corners(sheet, m);
    // Four fractional bits: the anti-aliased outline sits where the paper's edge really is.
    std::vector<cv::Point> outline(corners.size());
    std::transform(corners.begin(), corners.end(), outline.begin(), [](const cv::Point2f& c) {
      return cv::Point(cvRound(c.x * 16), cvRound(c.y * 16));
    });
    cv::polylines(out, outline, true, cv::Scalar::all(edge), 2, cv::LINE_AA, 4);
  }
  return out;
}

void record_placement(CaptureRecord& record, const Placement& placement,
                      const std::array<cv::Point2f, 4>& corners) {
  record.dpi = placement.dpi;
  record.skew_deg = placement.skew_deg;
  record.scale = placement.scale;
  record.shift_x_mm = placement.shift_x_mm;
  record.shift_y_mm = placement.shift_y_mm;
  record.upside_down = placement.upside_down;
  record.corners_px.assign(corners.begin(), corners.end());
}

int add_folds(cv::Mat& sheet, Rng& rng) {
  const double draw = uniform(rng, 0.0, 1.0);
  const int folds = draw < 0.6 ? 0 : (draw < 0.75 ? 1 : 2);
  const double px_per_mm = sheet_dpi(sheet) / kMmPerInch;
  const int band = static_cast<int>(std::lround(6 * px_per_mm));
  for (int i = 1; i <= folds; ++i) {
    const double y_mm = kA4HeightMm * i / (folds + 1) + uniform(rng, -6.0, 6.0);
    const double tilt_px = uniform(rng, -0.006, 0.006) * sheet.cols;
    const double crease = uniform(rng, 30, 80);
    const double shadow = uniform(rng, 10, 35);
    const int side = chance(rng, 0.5) ? 1 : -1;
    const int centre = static_cast<int>(std::lround(y_mm * px_per_mm));
    const cv::Rect roi =
        cv::Rect(0, centre - band, sheet.cols, 2 * band) & cv::Rect(0, 0, sheet.cols, sheet.rows);
    if (roi.empty()) continue;
    // Drawn in the band's own coordinates, blurred so the crease is soft, then taken off the
    // paper: a thin dark ridge and a wider, fainter shadow on the side the light does not reach.
    cv::Mat darkening(roi.size(), CV_8U, cv::Scalar(0));
    const double y0 = centre - roi.y - tilt_px / 2, y1 = centre - roi.y + tilt_px / 2;
    const double shadow_shift = side * 0.8 * px_per_mm;
    cv::line(darkening, cv::Point2d(0, y0 + shadow_shift),
             cv::Point2d(roi.width, y1 + shadow_shift), cv::Scalar(shadow),
             static_cast<int>(std::lround(1.5 * px_per_mm)), cv::LINE_AA);
    cv::line(darkening, cv::Point2d(0, y0), cv::Point2d(roi.width, y1), cv::Scalar(crease), 2,
             cv::LINE_AA);
    cv::GaussianBlur(darkening, darkening, cv::Size(), 0.15 * px_per_mm);
    cv::Mat paper = sheet(roi);
    if (sheet.channels() == 3) cv::cvtColor(darkening, darkening, cv::COLOR_GRAY2BGR);
    cv::subtract(paper, darkening, paper);
  }
  return folds;
}

void add_noise(cv::Mat& image, double sd, cv::RNG& cvrng) {
  // Uniform integer noise of the same spread as N(0, sd): the eye and the reader cannot tell the
  // difference, and it costs two saturating byte passes instead of a Gaussian draw per sample.
  const int half_width = std::max(1, static_cast<int>(std::lround(sd * std::sqrt(3.0))));
  // Colour sensors: the same draw on all three channels (luminance noise dominates), a third of
  // the random numbers.
  cv::Mat noise(image.size(), CV_8UC1);
  cvrng.fill(noise, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(2 * half_width + 1));
  if (image.channels() == 3) cv::cvtColor(noise, noise, cv::COLOR_GRAY2BGR);
  cv::subtract(image, cv::Scalar::all(half_width), image);
  cv::add(image, noise, image);
}

void apply_tone(cv::Mat& image, double in_lo, double in_hi, double out_lo, double out_hi,
                double gamma) {
  cv::Mat lut(1, 256, CV_8U);
  for (int v = 0; v < 256; ++v) {
    const double t = std::clamp((v - in_lo) / std::max(1.0, in_hi - in_lo), 0.0, 1.0);
    lut.at<uchar>(v) = cv::saturate_cast<uchar>(out_lo + (out_hi - out_lo) * std::pow(t, gamma));
  }
  cv::LUT(image, lut, image);
}

cv::Mat smooth_field(cv::Size size, cv::Size cells, cv::RNG& cvrng) {
  cv::Mat coarse(cells, CV_32FC1);
  cvrng.fill(coarse, cv::RNG::NORMAL, 0.0, 1.0);
  return smooth_upscale(coarse, size);
}

cv::Mat smooth_darkening(cv::Size size, cv::Size cells, double depth, cv::RNG& cvrng) {
  const cv::Size eighth(std::max(1, size.width / 8), std::max(1, size.height / 8));
  cv::Mat field = smooth_field(eighth, cells, cvrng);
  cv::max(field, 0.0, field);
  cv::Mat darkening;
  field.convertTo(darkening, CV_8U, depth);
  cv::resize(darkening, darkening, size, 0, 0, cv::INTER_LINEAR);
  return darkening;
}

cv::Mat smooth_upscale(const cv::Mat& coarse, cv::Size size) {
  // Bicubic to an eighth of the size, then bilinear: as smooth to the eye as bicubic all the way
  // and an order of magnitude cheaper on a full page.
  cv::Mat middle;
  cv::resize(coarse, middle, cv::Size(std::max(1, size.width / 8), std::max(1, size.height / 8)), 0,
             0, cv::INTER_CUBIC);
  cv::Mat full;
  cv::resize(middle, full, size, 0, 0, cv::INTER_LINEAR);
  return full;
}

}  // namespace carescan::synth::capture_ops
