#pragma once
// One page of a submitted document, as decoded: the unit of work of the reader.

#include <opencv2/core.hpp>

namespace carescan::core {

struct Page {
  cv::Mat image;   // 8-bit grey or BGR, as decoded, before any correction
  int number = 1;  // 1-based within its document
  double dpi = 0;  // from the file (or the PDF rasterisation); 0 when the file does not say
};

}  // namespace carescan::core
