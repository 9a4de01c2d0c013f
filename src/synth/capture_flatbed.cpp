// Captures on a flat device: document scanner, photocopier, fax machine.

#include <algorithm>
#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "synth/capture_ops.h"

namespace carescan::synth::capture_ops {
namespace {

// Resolutions offices actually configure on ADF and flatbed scanners.
const std::vector<double> kScanDpis{200, 240, 300};
// Fax fine mode is 204x196 dpi; square pixels at 200 keep the reader's geometry simple. A fax
// line is always 1728 pixels (216 mm at 8 px/mm), whatever the paper.
constexpr double kFaxDpi = 200;
constexpr double kFaxLineWidthMm = 1728 / kFaxDpi * kMmPerInch;

// Scanners and copiers deliver A4 or their own slightly larger glass area (letter width, a few
// mm of ADF overscan), showing more of the bed around the sheet.
void draw_frame(Placement& placement, Rng& rng) {
  if (chance(rng, 0.5)) return;
  placement.frame_width_mm = uniform(rng, kA4WidthMm, 216);
  placement.frame_height_mm = uniform(rng, kA4HeightMm, 305);
}

CapturedPage finish(cv::Mat image, const cv::Mat& sheet, const Placement& placement,
                    std::string_view profile, int jpeg_quality) {
  CapturedPage page;
  page.image = std::move(image);
  page.dpi = placement.dpi;
  page.record.profile = std::string(profile);
  page.record.jpeg_quality = jpeg_quality;
  record_placement(page.record, placement,
                   sheet_corners(sheet, placement_matrix(sheet, placement)));
  return page;
}

// Toner deposited where it should not be: dots, and grey clouds from a dirty drum.
void soil_copy(cv::Mat& grey, Rng& rng, cv::RNG& cvrng) {
  const double cloud_depth = uniform(rng, 4, 30);
  const int cells_x = uniform_int(rng, 4, 8);
  const int cells_y = uniform_int(rng, 6, 11);
  cv::Mat darkening = smooth_darkening(grey.size(), {cells_x, cells_y}, cloud_depth, cvrng);
  // Streaks run along the paper path: one random profile across the width, repeated down.
  const double streak_depth = chance(rng, 0.6) ? uniform(rng, 2, 9) : 0.0;
  const double streak_width = uniform(rng, 1.0, 6.0);
  cv::Mat profile(1, grey.cols, CV_32F);
  cvrng.fill(profile, cv::RNG::NORMAL, 0.0, 1.0);
  cv::GaussianBlur(profile, profile, cv::Size(), streak_width);
  // Normalised after blurring, so `streak_depth` is the mean darkening whatever the width; the
  // square keeps a few dark streaks over many faint ones.
  cv::Scalar mean, sd;
  cv::meanStdDev(profile, mean, sd);
  profile /= std::max(sd[0], 1e-6);
  cv::multiply(profile, profile, profile, streak_depth);
  profile.convertTo(profile, CV_8U);
  darkening += cv::repeat(profile, grey.rows, 1);
  cv::subtract(grey, darkening, grey);

  const int specks = uniform_int(rng, 100, 1500);
  for (int i = 0; i < specks; ++i) {
    // Drawn one by one: argument evaluation order is unspecified, and the bytes must not depend
    // on the compiler.
    const int x = cvrng.uniform(0, grey.cols);
    const int y = cvrng.uniform(0, grey.rows);
    const int radius = cvrng.uniform(0, 3);
    const int level = cvrng.uniform(0, 110);
    cv::circle(grey, {x, y}, radius, cv::Scalar::all(level), -1, cv::LINE_AA);
  }
}

// A fax machine's transmit header: date, sender number, page count.
void stamp_fax_header(cv::Mat& binary, Rng& rng) {
  // Drawn into a list first: argument evaluation order is unspecified.
  const std::vector<int> bounds{1, 28, 1, 12, 2024, 2026, 7, 19, 0,  59,  20, 39,
                                0, 99, 0, 99, 0,    99,   1, 3,  20, 120, 22, 34};
  std::vector<int> v;
  for (size_t i = 0; i < bounds.size(); i += 2)
    v.push_back(uniform_int(rng, bounds[i], bounds[i + 1]));
  char text[96];
  std::snprintf(text, sizeof text,
                "%02d/%02d/%04d %02d:%02d   FAX +212 5 %02d %02d %02d %02d   P.%02d", v[0], v[1],
                v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  const cv::Point origin(v[10], v[11]);
  cv::putText(binary, text, origin, cv::FONT_HERSHEY_SIMPLEX, 0.55, cv::Scalar::all(0), 1,
              cv::LINE_8);
}

// Lines lost or smeared in transmission, and a dirty spot on the sensor bar.
void add_fax_defects(cv::Mat& binary, Rng& rng) {
  const int dropouts = uniform_int(rng, 0, 3);
  for (int i = 0; i < dropouts; ++i) {
    const int y = uniform_int(rng, 0, binary.rows - 4);
    const int x = uniform_int(rng, 0, binary.cols / 2);
    const int width = uniform_int(rng, binary.cols / 4, binary.cols - x);
    const int height = uniform_int(rng, 1, 3);
    binary(cv::Rect(x, y, width, height)).setTo(255);
  }
  const int smears = uniform_int(rng, 0, 2);
  for (int i = 0; i < smears; ++i) {
    const int y = uniform_int(rng, 0, binary.rows - 2);
    const int x = uniform_int(rng, 0, binary.cols - 50);
    const int width = uniform_int(rng, 20, binary.cols - x);
    binary(cv::Rect(x, y, width, 1)).setTo(0);
  }
  // Isolated black pixels: line noise the receiver could not tell from ink.
  const int specks = uniform_int(rng, 0, 400);
  for (int i = 0; i < specks; ++i) {
    const int x = uniform_int(rng, 0, binary.cols - 2);
    const int y = uniform_int(rng, 0, binary.rows - 2);
    const int size = uniform_int(rng, 1, 2);
    binary(cv::Rect(x, y, size, size)).setTo(0);
  }
  if (chance(rng, 0.15)) {
    const int x = uniform_int(rng, 0, binary.cols - 3);
    const int width = uniform_int(rng, 1, 2);
    binary(cv::Rect(x, 0, width, binary.rows)).setTo(0);
  }
}

}  // namespace

CapturedPage capture_scan(const cv::Mat& sheet, Rng& rng) {
  Placement placement =
      draw_placement(rng, pick(rng, kScanDpis), 4.0, 0.03, 4.0, /*upside_down_chance=*/0.10);
  draw_frame(placement, rng);
  // About half the office scanners are set to greyscale; colour ones keep blue ink blue.
  const bool colour = chance(rng, 0.5);
  const double bed = uniform(rng, 200, 250);
  const double edge = uniform(rng, 110, 190);
  const double blur = uniform(rng, 0.3, 0.9);
  const double noise = uniform(rng, 1.5, 4.0);
  const double white_in = uniform(rng, 225, 252);
  const double black_out = uniform(rng, 5, 30);
  const double gamma = uniform(rng, 0.85, 1.2);
  const int quality = uniform_int(rng, 55, 92);
  const double lamp_falloff = uniform(rng, 0.0, 10.0);
  // Recycled and cheap paper is slightly yellow; a colour scanner shows it before clipping.
  const double yellowing = uniform(rng, 0.0, 0.06);
  cv::RNG cvrng = cv_rng(rng);

  cv::Mat paper = colour ? to_bgr(sheet) : to_grey(sheet);
  const int folds = add_folds(paper, rng);
  cv::Mat image = place_on_bed(paper, placement, cv::Scalar::all(bed), edge);
  if (colour) cv::multiply(image, cv::Scalar(1.0 - yellowing, 1.0 - yellowing / 3, 1.0), image);
  // The lamp is a little weaker towards parts of the glass: a smooth, shallow darkening.
  cv::Mat darkening = smooth_darkening(image.size(), {3, 3}, lamp_falloff, cvrng);
  if (colour) cv::cvtColor(darkening, darkening, cv::COLOR_GRAY2BGR);
  cv::subtract(image, darkening, image);
  cv::GaussianBlur(image, image, cv::Size(), blur);
  apply_tone(image, 0, white_in, black_out, 255, gamma);
  add_noise(image, noise, cvrng);
  CapturedPage page = finish(std::move(image), sheet, placement, "scan", quality);
  page.record.folds = folds;
  return page;
}

CapturedPage capture_photocopy(const cv::Mat& sheet, Rng& rng) {
  Placement placement =
      draw_placement(rng, pick(rng, kScanDpis), 1.5, 0.02, 3.0, /*upside_down_chance=*/0.05);
  draw_frame(placement, rng);
  // A copier lid left open prints the bed black around the sheet.
  const double bed = chance(rng, 0.25) ? uniform(rng, 10, 70) : uniform(rng, 225, 252);
  const double edge = uniform(rng, 80, 170);
  const int generations = chance(rng, 0.3) ? 2 : 1;
  const int quality = uniform_int(rng, 50, 88);
  cv::RNG cvrng = cv_rng(rng);

  cv::Mat paper = to_grey(sheet);
  const int folds = add_folds(paper, rng);
  cv::Mat image = place_on_bed(paper, placement, cv::Scalar::all(bed), edge);
  for (int g = 0; g < generations; ++g) {
    const double blur = uniform(rng, 0.5, 1.1);
    const double black_in = uniform(rng, 50, 110);
    const double white_in = uniform(rng, 200, 240);
    const double gamma = uniform(rng, 0.9, 1.4);
    cv::GaussianBlur(image, image, cv::Size(), blur);
    // Copiers push contrast: pale strokes vanish, ink goes black; the toner haze comes after,
    // so it survives as grey clouds on the white.
    apply_tone(image, black_in, white_in, 0, 255, gamma);
    soil_copy(image, rng, cvrng);
  }
  const double noise = uniform(rng, 2.0, 5.0);
  add_noise(image, noise, cvrng);
  CapturedPage page = finish(std::move(image), sheet, placement, "photocopy", quality);
  page.record.generations = generations;
  page.record.folds = folds;
  return page;
}

CapturedPage capture_fax(const cv::Mat& sheet, Rng& rng) {
  Placement placement = draw_placement(rng, kFaxDpi, 2.0, 0.02, 3.0, 0.05);
  placement.frame_width_mm = kFaxLineWidthMm;
  const double blur = uniform(rng, 0.4, 0.9);
  const double noise = uniform(rng, 4.0, 10.0);
  const int block = 2 * uniform_int(rng, 10, 20) + 1;
  const double offset = uniform(rng, 10, 22);
  const double always_black = uniform(rng, 70, 110);
  const double never_black = uniform(rng, 195, 225);
  cv::RNG cvrng = cv_rng(rng);

  cv::Mat grey = place_on_bed(to_grey(sheet), placement, cv::Scalar::all(255), -1);
  cv::GaussianBlur(grey, grey, cv::Size(), blur);
  add_noise(grey, noise, cvrng);
  // Fax machines threshold against the local background, so grey header bands drop out while
  // thin strokes survive; very dark pixels are black whatever their neighbourhood.
  cv::Mat locally_light;
  cv::adaptiveThreshold(grey, locally_light, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY,
                        block, offset);
  const cv::Mat black = ((locally_light == 0) & (grey < never_black)) | (grey < always_black);
  cv::Mat binary(grey.size(), CV_8U, cv::Scalar(255));
  binary.setTo(0, black);
  if (chance(rng, 0.6)) stamp_fax_header(binary, rng);
  add_fax_defects(binary, rng);
  return finish(std::move(binary), sheet, placement, "fax", 0);
}

}  // namespace carescan::synth::capture_ops
