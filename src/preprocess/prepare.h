#pragma once
// Cleans one decoded page for reading: page found, perspective and skew removed, light flattened.

#include <opencv2/core.hpp>

#include "core/page.h"

namespace carescan::preprocess {

struct PreparedPage {
  cv::Mat grey;     // 8-bit grey: page found (photos), perspective-corrected, deskewed,
                    // illumination flattened, denoised; empty from measure_page
  cv::Mat reduced;  // the same page at about 85 dpi (long side <= 1000 px), flattened: what
                    // classification and registration compare
  cv::Mat source;   // 8-bit grey as decoded, before any correction (shares a grey page's pixels)
  cv::Size size;    // of the prepared page at full resolution (`grey`'s size)
  double skew_deg = 0;  // rotation removed
  bool perspective_corrected = false;
  double dpi_estimate = 0;         // from the file or from the page width (A4 = 210 mm)
  cv::Mat original_from_prepared;  // 3x3 CV_64F: prepared px -> decoded page px
  std::size_t outlines = 0;        // the photo's candidate outlines (SheetOutlines)
  // The ways to frame the page that measure_page can be asked for: the candidate outlines, then
  // none (deskewed only), then the outline of a sheet the photo's frame cuts, when there is one
  // (SheetOutlines::past_frame).
  std::size_t framings = 1;
};

// The page's geometry (outline, skew) and its reduced prepared copy, without resampling the full
// page: the reader resamples `source` once, straight into the template's frame, through
// `original_from_prepared` and the registration, then cleans it with clean_page.
// `outline_choice`: which framing (see `framings`) to rectify by: below `outlines`, that
// candidate outline (0: the likeliest); `outlines`, none (the page is only deskewed);
// `outlines` + 1, the outline past the photo's frame; past that, none.
PreparedPage measure_page(const core::Page& page, std::size_t outline_choice = 0);

// measure_page, plus the full-resolution prepared page in `grey`.
PreparedPage prepare_page(const core::Page& page);

// Evens out streaks that run straight down a scanned or copied page (a dirty copier glass or
// scanner bar darkens whole columns): each column's paper level is raised to its neighbours'.
// `dpi` is the image's own; ink keeps its contrast. Returns `grey` itself when there is none.
cv::Mat even_out_streaks(const cv::Mat& grey, double dpi);

// Flattens the illumination of a full-resolution page (divides by the paper level, so shadows,
// yellowed paper and copier haze become white and ink keeps its contrast) and removes salt noise.
cv::Mat clean_page(const cv::Mat& grey, double dpi);

}  // namespace carescan::preprocess
