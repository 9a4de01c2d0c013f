#include "preprocess/prepare.h"

#include <opencv2/imgproc.hpp>

namespace carescan::preprocess {

PreparedPage prepare_page(const core::Page& page) {
  PreparedPage out;
  if (page.image.channels() == 3) {
    cv::cvtColor(page.image, out.grey, cv::COLOR_BGR2GRAY);
  } else {
    out.grey = page.image.clone();
  }
  const double short_side = std::min(out.grey.cols, out.grey.rows);
  out.dpi_estimate = page.dpi > 0 ? page.dpi : short_side / (210.0 / 25.4);
  out.original_from_prepared = cv::Mat::eye(3, 3, CV_64F);
  return out;
}

}  // namespace carescan::preprocess
