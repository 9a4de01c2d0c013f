#pragma once
// The comb-cell character classifier (models/comb-chars.onnx, trained by tools/train_comb.py):
// one handwritten character per crop, 0-9 and A-Z, or none (a speck, a wall's remnant).

#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <string>
#include <vector>

#include "recognize/recognizer.h"

namespace carescan::recognize {

class CombModel {
 public:
  // Throws std::runtime_error when the file is missing or not a network OpenCV can run.
  explicit CombModel(const std::filesystem::path& onnx);

  // The model's classes in output order; '_' stands for "no character".
  static const std::string& classes();

  // The network's input for one crop (dark ink on white): the ink's bounding box scaled so its
  // longer side is 24 px, centred in 32x32, ink = 1 (CV_32F). tools/train_comb.py does the same.
  static cv::Mat normalise(const cv::Mat& crop);

  // Per crop, every class with its probability, most probable first; "no character" has the
  // text "". One forward pass for all crops.
  std::vector<std::vector<Alternative>> classify(const std::vector<cv::Mat>& crops);

 private:
  cv::dnn::Net net_;
};

}  // namespace carescan::recognize
