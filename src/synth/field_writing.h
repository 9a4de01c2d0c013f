#pragma once
// Writing into a sheet's printed zones the way people do: on a line, one character per comb
// cell, a tick in a box, a signature in its frame.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "synth/handwriting.h"
#include "synth/rng.h"

namespace carescan::synth {

constexpr double kFillDpi = 300;
constexpr double kPxPerMm = kFillDpi / 25.4;

// A zone of the page in pixels at kFillDpi.
cv::Rect2d box_px(double x_mm, double y_mm, double w_mm, double h_mm);

struct LineStyle {
  double indent_mm_max = 6;    // how far from the zone's left edge the writing may start
  double slip_chance = 0;      // a crossed-out character followed by the right one
  double max_cap_share = 0.6;  // capitals at most this share of the zone's height
};

// Free writing on a line or in a table cell; squeezed to fit the zone's width.
void write_on_line(cv::Mat& page, FontSet& fonts, const Hand& hand, const std::string& text,
                   const cv::Rect2d& zone, const LineStyle& style, Rng& rng);

// One character per cell (`texts[i]` into `cells[i]`, empty: nothing), never centred exactly;
// with `touch_chance`, one character crosses its cell border.
void write_in_comb(cv::Mat& page, FontSet& fonts, const Hand& hand,
                   const std::vector<std::string>& texts, const std::vector<cv::Rect2d>& cells,
                   double touch_chance, Rng& rng);

// A cross or a check mark over a printed box.
void tick_box(cv::Mat& page, const Hand& hand, const cv::Rect2d& box, Rng& rng);

// A scribbled signature inside (and a little over) `zone`.
void sign_in(cv::Mat& page, const Hand& hand, const cv::Rect2d& zone, Rng& rng);

}  // namespace carescan::synth
