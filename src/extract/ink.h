#pragma once
// Finds the writer's ink in a region of a registered page, with the printed form taken away.

#include <opencv2/core.hpp>
#include <vector>

#include "extract/settings.h"

namespace carescan::extract {

// The ink of one region: a binary mask (255 = ink) and the region's place on the page.
struct InkRegion {
  cv::Rect rect;  // in template pixels, clipped to the page
  cv::Mat ink;    // CV_8U, rect.size(), 255 where the writer's ink is
  int pixels = 0;
};

// Ink of `page` (registered grey) inside `rect`, minus what the blank form prints there
// (`printed`: the reference sheet's ink, already dilated; may be empty), minus long straight
// rules (box borders a slightly misregistered page shows beside the printed mask), minus specks.
InkRegion find_ink(const cv::Mat& page, const cv::Mat& printed, cv::Rect rect,
                   const ExtractionSettings& settings);

// Keeps the line of writing in a free field's ink: the components of letter height, the marks
// within their band (commas, dots, accents) and nothing far above, below or beside them. What a
// slightly misregistered dotted guide line or a neighbour's stroke leaves would otherwise make
// the crop several times taller or wider than the writing, and a line recogniser that scales the
// crop to a fixed height would see the letters shrunk.
void keep_writing_band(cv::Mat& ink);

// Keeps what may be a pen's stroke across tick `boxes` (in `ink`'s frame): takes away what a
// slightly misregistered page leaves of the boxes' own lines (straight horizontal or vertical
// runs over half a box, outside a box's middle) and a copier's dots (components under a quarter
// of a box each way).
void keep_strokes(cv::Mat& ink, const std::vector<cv::Rect>& boxes);

// Takes away thin straight lines at any slant: components no thicker on average than
// `max_thickness` pixels (their ink over their longer side) and at least `min_length` long. A
// box border that a photo's perspective or a bent sheet leaves slanted beside the printed mask
// is such a line, too slanted for straight_runs; a pen's stroke in a signature is seldom one.
void drop_slivers(cv::Mat& ink, double max_thickness, int min_length);

// Straight runs of ink at least `horizontal` pixels wide or `vertical` pixels tall (printed
// rules, box borders, copier streaks), grown by a pixel around: what to take away as print.
cv::Mat straight_runs(const cv::Mat& ink, int horizontal, int vertical);

// The printed ink of a blank reference sheet, dilated so that it covers a small misregistration.
cv::Mat printed_mask(const cv::Mat& reference_grey, const ExtractionSettings& settings);

// Dark ink on white, cropped to the ink with `pad` pixels around it: what a recogniser reads.
// Empty when the mask holds no ink.
cv::Mat ink_to_image(const cv::Mat& ink, int pad);

}  // namespace carescan::extract
