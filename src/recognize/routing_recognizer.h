#pragma once
// Sends each request to the engine that reads it best: comb cells to the character classifier,
// handwritten lines and words to a handwriting model when there is one, the rest to Tesseract.

#include "recognize/comb_model.h"
#include "recognize/recognizer.h"

namespace carescan::recognize {

class RoutingRecognizer final : public Recognizer {
 public:
  // `printed` reads printed text and whatever has no better engine; `comb` (may be null) reads
  // Layout::kChar requests; `handwriting` (may be null) handwritten line and word requests. All
  // must outlive the router; like every Recognizer, one per worker thread.
  RoutingRecognizer(Recognizer& printed, CombModel* comb, Recognizer* handwriting);

  Recognition recognize(const cv::Mat& crop, const FieldRequest& request) override;
  Recognition recognize_weighing(const cv::Mat& crop, const FieldRequest& request,
                                 const std::vector<std::string>& proposals) override;
  std::vector<Recognition> recognize_all(const std::vector<cv::Mat>& crops,
                                         const FieldRequest& request) override;
  [[nodiscard]] bool reads_alike_at_any_scale(const FieldRequest& request) override;

 private:
  Recognizer& engine_for(const FieldRequest& request);

  Recognizer& printed_;
  CombModel* comb_;
  Recognizer* handwriting_;
};

// One comb cell's classification as a Recognition: among the characters `allowed` (empty: any)
// and "no character" (text ""), renormalised, most probable first.
Recognition cell_recognition(const std::vector<Alternative>& classes, const std::string& allowed,
                             const cv::Size& crop_size);

}  // namespace carescan::recognize
