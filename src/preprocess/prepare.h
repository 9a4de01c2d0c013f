#pragma once
// Cleans one decoded page for reading: page found, perspective and skew removed, light flattened.

#include <opencv2/core.hpp>

#include "core/page.h"

namespace carescan::preprocess {

struct PreparedPage {
  cv::Mat grey;         // 8-bit grey: page found (photos), perspective-corrected, deskewed,
                        // illumination flattened, denoised
  double skew_deg = 0;  // rotation removed
  bool perspective_corrected = false;
  double dpi_estimate = 0;         // from the file or from the page width (A4 = 210 mm)
  cv::Mat original_from_prepared;  // 3x3 CV_64F: prepared px -> decoded page px
};

PreparedPage prepare_page(const core::Page& page);

}  // namespace carescan::preprocess
