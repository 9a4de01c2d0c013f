#pragma once
// Building blocks shared by the capture profiles (internal to synth).

#include <array>
#include <opencv2/core.hpp>

#include "synth/capture.h"
#include "synth/rng.h"

namespace carescan::synth::capture_ops {

inline constexpr double kMmPerInch = 25.4;
inline constexpr double kA4WidthMm = 210.0;
inline constexpr double kA4HeightMm = 297.0;

cv::Size a4_size_px(double dpi);
cv::Size frame_size_px(double width_mm, double height_mm, double dpi);
double sheet_dpi(const cv::Mat& sheet);  // from its width, taking it as A4

// OpenCV's own generator, seeded from ours: vectorised noise without touching cv::theRNG().
cv::RNG cv_rng(Rng& rng);

cv::Mat to_grey(const cv::Mat& image);
cv::Mat to_bgr(const cv::Mat& image);

// Where a flat device (scanner glass, copier, fax) puts the sheet in its frame.
struct Placement {
  double dpi = 300;
  // The device's output page: A4 by default, a little wider or longer on many scanners.
  double frame_width_mm = kA4WidthMm, frame_height_mm = kA4HeightMm;
  double skew_deg = 0;  // counter-clockwise as seen
  double scale = 1;
  double shift_x_mm = 0, shift_y_mm = 0;
  bool upside_down = false;
};

// Draws skew, scale and shift within the given limits, and upside-down with the given chance.
Placement draw_placement(Rng& rng, double dpi, double max_skew_deg, double max_scale_change,
                         double max_shift_mm, double upside_down_chance);

// Affine from sheet pixels to frame pixels.
cv::Mat placement_matrix(const cv::Mat& sheet, const Placement& placement);

// The sheet's corners (top-left, top-right, bottom-right, bottom-left as printed) in the frame.
std::array<cv::Point2f, 4> sheet_corners(const cv::Mat& sheet, const cv::Mat& transform);

// The sheet warped onto a device bed of colour `bed`, with a thin `edge` line where the paper's
// edge casts a shadow on the bed (edge < 0: none).
cv::Mat place_on_bed(const cv::Mat& sheet, const Placement& placement, const cv::Scalar& bed,
                     double edge);

void record_placement(CaptureRecord& record, const Placement& placement,
                      const std::array<cv::Point2f, 4>& corners);

// Care sheets travel folded: draws 0, 1 (in half) or 2 (in thirds) fold creases across the
// sheet, in place, each a faint line with a soft shadow on one side. Returns the count.
int add_folds(cv::Mat& sheet, Rng& rng);

// Zero-mean sensor noise of standard deviation ~sd, saturating in 8 bits.
void add_noise(cv::Mat& image, double sd, cv::RNG& cvrng);

// Tone curve: input levels [in_lo, in_hi] map to [out_lo, out_hi] with the given gamma.
void apply_tone(cv::Mat& image, double in_lo, double in_hi, double out_lo, double out_hi,
                double gamma);

// A smooth CV_32F field of `size` with values ~N(0, 1), varying over `cells` control points.
cv::Mat smooth_field(cv::Size size, cv::Size cells, cv::RNG& cvrng);

// A smooth CV_8U darkening of `size`: `depth` levels where a ~N(0, 1) field is one sigma above
// zero, none where it is below. Computed at an eighth of the size, as it has no fine detail.
cv::Mat smooth_darkening(cv::Size size, cv::Size cells, double depth, cv::RNG& cvrng);

// A coarse grid (any type) resized smoothly to `size`.
cv::Mat smooth_upscale(const cv::Mat& coarse, cv::Size size);

CapturedPage capture_scan(const cv::Mat& sheet, Rng& rng);
CapturedPage capture_photocopy(const cv::Mat& sheet, Rng& rng);
CapturedPage capture_fax(const cv::Mat& sheet, Rng& rng);
CapturedPage capture_photo(const cv::Mat& sheet, Rng& rng);

}  // namespace carescan::synth::capture_ops
