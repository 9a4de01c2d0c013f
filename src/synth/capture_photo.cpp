// A phone photo of the sheet lying on a table: perspective, background, uneven light, defocus.

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "synth/capture_ops.h"

namespace carescan::synth::capture_ops {
namespace {

// Table tops people photograph their papers on (BGR): wood, laminate, cloth, dark desk.
const std::vector<cv::Vec3d> kTableColours{
    {40, 75, 120},   {60, 100, 150}, {30, 50, 85}, {90, 60, 45},    {70, 70, 70},
    {110, 120, 125}, {55, 40, 35},   {45, 90, 60}, {150, 150, 145}, {85, 120, 160},
};

// The background at a tenth of the frame's size: a colour gradient, sometimes wood grain.
cv::Mat draw_table(cv::Size frame, Rng& rng, cv::RNG& cvrng) {
  const cv::Vec3d from = pick(rng, kTableColours);
  const double tint = uniform(rng, 0.6, 1.3);
  const double angle = uniform(rng, 0, 2 * std::numbers::pi);
  const bool grain = chance(rng, 0.5);
  const double grain_period = uniform(rng, 6, 25);  // in coarse pixels
  const double grain_depth = uniform(rng, 0.06, 0.2);
  const cv::Size coarse(frame.width / 10 + 1, frame.height / 10 + 1);
  const cv::Mat warp = smooth_field(coarse, {4, 5}, cvrng);

  cv::Mat table(coarse, CV_8UC3);
  const double cx = std::cos(angle), sy = std::sin(angle);
  for (int y = 0; y < coarse.height; ++y) {
    for (int x = 0; x < coarse.width; ++x) {
      const double along = (x * cx + y * sy) / std::max(coarse.width, coarse.height);
      double shade = 1.0 + (tint - 1.0) * (along + 0.5);
      if (grain) {
        const double across = (-x * sy + y * cx) / grain_period + 1.5 * warp.at<float>(y, x);
        shade *= 1.0 - grain_depth * (0.5 + 0.5 * std::sin(2 * std::numbers::pi * across));
      }
      const cv::Vec3d c = from * shade;
      table.at<cv::Vec3b>(y, x) =
          cv::Vec3b(cv::saturate_cast<uchar>(c[0]), cv::saturate_cast<uchar>(c[1]),
                    cv::saturate_cast<uchar>(c[2]));
    }
  }
  cv::Mat full;
  cv::resize(table, full, frame, 0, 0, cv::INTER_LINEAR);
  return full;
}

// Corners of the sheet in the frame: a tilted, turned rectangle with each corner pulled by up to
// 8 % of the sheet's size, kept wholly inside the frame so the reader can find all four.
std::vector<cv::Point2f> draw_corners(cv::Size frame, bool upside_down, double rotation_deg,
                                      Rng& rng) {
  const double fill = uniform(rng, 0.70, 0.88);
  const double h = frame.height * fill;
  const double w = h * kA4WidthMm / kA4HeightMm;
  const double turn = (rotation_deg + (upside_down ? 180.0 : 0.0)) * std::numbers::pi / 180.0;
  std::vector<cv::Point2f> corners;
  const std::vector<cv::Point2d> unit{{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}};
  for (const cv::Point2d& u : unit) {
    const double jx = uniform(rng, -0.08, 0.08) * w;
    const double jy = uniform(rng, -0.08, 0.08) * h;
    const double x = u.x * w + jx, y = u.y * h + jy;
    corners.emplace_back(x * std::cos(turn) + y * std::sin(turn),
                         -x * std::sin(turn) + y * std::cos(turn));
  }
  const double off_x = uniform(rng, -0.5, 0.5), off_y = uniform(rng, -0.5, 0.5);

  const cv::Rect2f box = cv::boundingRect(corners);
  const float margin = 0.03F * static_cast<float>(frame.height);
  const float room_x = static_cast<float>(frame.width) - 2 * margin;
  const float room_y = static_cast<float>(frame.height) - 2 * margin;
  const float shrink = std::min({1.0F, room_x / box.width, room_y / box.height});
  // Centre offset uses whatever room is left, so the sheet is not always mid-frame.
  const float slack_x = room_x - box.width * shrink, slack_y = room_y - box.height * shrink;
  for (cv::Point2f& c : corners) {
    c.x = (c.x - box.x) * shrink + margin + slack_x * static_cast<float>(0.5 + off_x);
    c.y = (c.y - box.y) * shrink + margin + slack_y * static_cast<float>(0.5 + off_y);
  }
  return corners;
}

// Multiplicative light over the frame at low resolution: exposure, a gradient, vignetting,
// sometimes the soft shadow of the phone or a hand, and the colour of the room's light.
cv::Mat draw_light(cv::Size frame, Rng& rng) {
  const double exposure = uniform(rng, 0.78, 0.98);
  const double gradient = uniform(rng, 0.05, 0.35);
  const double gradient_angle = uniform(rng, 0, 2 * std::numbers::pi);
  const double vignette = uniform(rng, 0.0, 0.35);
  const bool shadow = chance(rng, 0.35);
  const double shadow_depth = uniform(rng, 0.15, 0.45);
  const double shadow_angle = uniform(rng, 0, 2 * std::numbers::pi);
  const double shadow_offset = uniform(rng, 0.2, 0.45);
  const double shadow_soft = uniform(rng, 0.02, 0.08);
  // Room light runs from warm (lamps: blue weak) to cool (daylight, shade: red weak).
  const double warmth = uniform(rng, -1.0, 1.0);
  const cv::Vec3d cast = warmth > 0 ? cv::Vec3d(1.0 - 0.15 * warmth, 1.0 - 0.05 * warmth, 1.0)
                                    : cv::Vec3d(1.0, 1.0 + 0.03 * warmth, 1.0 + 0.10 * warmth);

  const cv::Size coarse(32, 32 * frame.height / frame.width);
  cv::Mat light(coarse, CV_8UC3);
  for (int y = 0; y < coarse.height; ++y) {
    for (int x = 0; x < coarse.width; ++x) {
      const double u = (x + 0.5) / coarse.width - 0.5, v = (y + 0.5) / coarse.height - 0.5;
      double l = exposure;
      l *= 1.0 - gradient * (0.5 + u * std::cos(gradient_angle) + v * std::sin(gradient_angle));
      l *= 1.0 - vignette * (u * u + v * v) * 2.0;
      if (shadow) {
        const double d = u * std::cos(shadow_angle) + v * std::sin(shadow_angle) - shadow_offset;
        l *= 1.0 - shadow_depth / (1.0 + std::exp(-d / shadow_soft));
      }
      light.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(255 * l * cast[0]),
                                            cv::saturate_cast<uchar>(255 * l * cast[1]),
                                            cv::saturate_cast<uchar>(255 * l * cast[2]));
    }
  }
  return smooth_upscale(light, frame);
}

// Paper does not lie flat: the sheet bows by `bow_px` in its middle, along its own vertical, so
// printed horizontal lines come out slightly curved while the corners stay where they were drawn.
// Builds the frame-to-sheet map on a coarse grid (the bend is smooth) and remaps once.
void warp_sheet(const cv::Mat& source, cv::Mat& frame_image, const cv::Mat& homography,
                double bow_px) {
  const cv::Size frame = frame_image.size();
  constexpr int kStep = 8;
  const cv::Size coarse(frame.width / kStep + 2, frame.height / kStep + 2);
  const cv::Mat inverse = homography.inv();
  const cv::Point2f centre(source.cols / 2.0F, source.rows / 2.0F);
  std::vector<cv::Point2f> probe{centre, centre + cv::Point2f(0, 1)}, seen;
  cv::perspectiveTransform(probe, seen, homography);
  const cv::Point2f down = (seen[1] - seen[0]) / cv::norm(seen[1] - seen[0]);

  std::vector<cv::Point2f> grid;
  grid.reserve(static_cast<size_t>(coarse.area()));
  for (int y = 0; y < coarse.height; ++y) {
    for (int x = 0; x < coarse.width; ++x) grid.emplace_back(x * kStep, y * kStep);
  }
  std::vector<cv::Point2f> flat;
  cv::perspectiveTransform(grid, flat, inverse);
  for (size_t i = 0; i < grid.size(); ++i) {
    const double u = std::clamp(flat[i].x / source.cols, 0.0F, 1.0F);
    grid[i] -= down * static_cast<float>(bow_px * 4.0 * u * (1.0 - u));
  }
  std::vector<cv::Point2f> bent;
  cv::perspectiveTransform(grid, bent, inverse);
  const cv::Mat coarse_map = cv::Mat(bent, true).reshape(2, coarse.height);
  cv::Mat map;
  cv::resize(coarse_map, map, {coarse.width * kStep, coarse.height * kStep}, 0, 0,
             cv::INTER_LINEAR);
  cv::remap(source, frame_image, map(cv::Rect({0, 0}, frame)), cv::noArray(), cv::INTER_LINEAR,
            cv::BORDER_TRANSPARENT);
}

// The flash or a lamp reflected in the paper: a soft bright spot that washes ink out. Returns
// whether there is one.
bool add_glare(cv::Mat& image, const std::vector<cv::Point2f>& corners, Rng& rng) {
  if (!chance(rng, 0.15)) return false;
  const double strength = uniform(rng, 40, 110);
  const double radius = uniform(rng, 0.08, 0.2) * image.rows;
  const double across = uniform(rng, 0.2, 0.8), down = uniform(rng, 0.2, 0.8);
  const cv::Point2f top = corners[0] + (corners[1] - corners[0]) * static_cast<float>(across);
  const cv::Point2f bottom = corners[3] + (corners[2] - corners[3]) * static_cast<float>(across);
  const cv::Point2f spot = top + (bottom - top) * static_cast<float>(down);
  constexpr int kScale = 8;
  cv::Mat glow(image.rows / kScale + 1, image.cols / kScale + 1, CV_8U, cv::Scalar(0));
  cv::circle(glow, spot / kScale, static_cast<int>(radius / kScale / 2), cv::Scalar(strength), -1);
  cv::GaussianBlur(glow, glow, cv::Size(), radius / kScale / 2);
  cv::resize(glow, glow, image.size(), 0, 0, cv::INTER_LINEAR);
  cv::cvtColor(glow, glow, cv::COLOR_GRAY2BGR);
  cv::add(image, glow, image);
  return true;
}

double mean_dpi(const std::vector<cv::Point2f>& c) {
  const double left = cv::norm(c[3] - c[0]), right = cv::norm(c[2] - c[1]);
  return (left + right) / 2.0 / (kA4HeightMm / kMmPerInch);
}

}  // namespace

CapturedPage capture_photo(const cv::Mat& sheet, Rng& rng) {
  // Phones shoot 3:4; after the app's resize the long side is 2000-3000 px.
  const int long_side = uniform_int(rng, 2000, 3000);
  const cv::Size frame(long_side * 3 / 4, long_side);
  const bool upside_down = chance(rng, 0.05);
  const double rotation = uniform(rng, -6.0, 6.0);
  const std::vector<cv::Point2f> corners = draw_corners(frame, upside_down, rotation, rng);
  const double defocus = uniform(rng, 0.6, 1.6);
  const double noise = uniform(rng, 2.0, 5.0);
  const int quality = uniform_int(rng, 70, 95);
  const double bow = chance(rng, 0.5) ? uniform(rng, -0.012, 0.012) : 0.0;
  cv::RNG cvrng = cv_rng(rng);

  cv::Mat image = draw_table(frame, rng, cvrng);
  const auto w = static_cast<float>(sheet.cols), h = static_cast<float>(sheet.rows);
  const std::vector<cv::Point2f> sheet_box{{0, 0}, {w, 0}, {w, h}, {0, h}};
  const cv::Mat homography = cv::getPerspectiveTransform(sheet_box, corners);
  cv::Mat source = to_bgr(sheet);
  const int folds = add_folds(source, rng);
  const double shrink = mean_dpi(corners) / sheet_dpi(sheet);
  if (shrink < 0.95) cv::GaussianBlur(source, source, cv::Size(), 0.45 / shrink);
  warp_sheet(source, image, homography, bow * frame.height);

  cv::multiply(image, draw_light(frame, rng), image, 1.0 / 255.0);
  const bool glare = add_glare(image, corners, rng);
  cv::GaussianBlur(image, image, cv::Size(), defocus);
  add_noise(image, noise, cvrng);

  CapturedPage page;
  page.image = std::move(image);
  page.dpi = mean_dpi(corners);
  page.record.profile = "photo";
  page.record.dpi = page.dpi;
  page.record.skew_deg = rotation;
  page.record.upside_down = upside_down;
  page.record.scale = page.dpi / sheet_dpi(sheet);
  page.record.perspective = true;
  page.record.jpeg_quality = quality;
  page.record.corners_px = corners;
  page.record.bow = bow;
  page.record.folds = folds;
  page.record.glare = glare;
  return page;
}

}  // namespace carescan::synth::capture_ops
