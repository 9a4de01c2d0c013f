#pragma once
// Ink on paper: coverage masks laid on a page by multiplying, so the printed form shows through.

#include <opencv2/core.hpp>

#include "synth/rng.h"

namespace carescan::synth {

// A shape drawn in ink, before it is laid on the page.
struct InkMark {
  cv::Mat alpha;       // CV_8U coverage, 255 = full ink
  cv::Point2d anchor;  // text: the start of the baseline; other marks: their centre
};

// A pen or a stamp pad: colour on white paper and how evenly it deposits.
struct Ink {
  cv::Scalar bgr{40, 40, 40};
  double strength = 0.95;   // 1 = the colour itself where coverage is full
  double unevenness = 0.2;  // fraction of strength lost at the weakest spots
};

Ink random_pen(Rng& rng);        // blue or black ballpoint
Ink random_stamp_pad(Rng& rng);  // blue or violet, partly transparent

// Multiplies the page (8-bit BGR) by the ink colour where `alpha` is set; clipped to the page.
void lay_ink(cv::Mat& page, const cv::Mat& alpha, cv::Point top_left, const Ink& ink, Rng& rng);
inline void lay_ink_at_anchor(cv::Mat& page, const InkMark& mark, cv::Point2d where, const Ink& ink,
                              Rng& rng) {
  lay_ink(page, mark.alpha,
          cv::Point(cvRound(where.x - mark.anchor.x), cvRound(where.y - mark.anchor.y)), ink, rng);
}

// Copies `patch` (BGR) onto the page where `mask` (CV_8U) is set: stickers and correction fluid.
void paste(cv::Mat& page, const cv::Mat& patch, const cv::Mat& mask, cv::Point top_left);

// Rotates (degrees, counter-clockwise) and shears (x += shear * height above the anchor) a mark
// about its anchor, growing the canvas so nothing is cut; the anchor follows.
InkMark transform_mark(const InkMark& mark, double rotation_deg, double shear = 0);
// The same for a BGR patch with its mask (stickers); both grow alike.
void rotate_patch(cv::Mat& patch, cv::Mat& mask, double rotation_deg);

// Crops a mark to its ink, keeping the anchor in place.
InkMark crop_to_ink(const InkMark& mark);

// A smooth random field in [lo, hi], `cell` pixels per random sample: uneven ink and light.
cv::Mat smooth_noise(cv::Size size, int cell, double lo, double hi, Rng& rng);

}  // namespace carescan::synth
