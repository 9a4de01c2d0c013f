#pragma once
// The handwriting line recogniser (models/line-hw.onnx, and models/line-names.onnx for names,
// trained by tools/train_line.py): a fully convolutional CTC network read through OpenCV's dnn
// module, decoded toward the field's grammar (recognize/ctc_decode.h).

#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <optional>
#include <string>
#include <vector>

#include "recognize/ctc_decode.h"
#include "recognize/recognizer.h"

namespace carescan::recognize {

class LineModelRecognizer final : public Recognizer {
 public:
  // Throws std::runtime_error when the model is missing or not a network OpenCV can run.
  // `names`, `places` and `care` (each may be null or empty: no list) give listed words of a name,
  // of a town or institution, or of an act or medicine (Content::kCare) a small bonus; they must
  // outlive this object. `name_onnx` (empty: none)
  // is a network of the same shape trained on names only, which then reads the names;
  // `cin_onnx` (empty: none) one that reads CINs (Content::kCin).
  LineModelRecognizer(const std::filesystem::path& onnx, const WordPrior* names,
                      const WordPrior* places = nullptr, const WordPrior* care = nullptr,
                      const std::filesystem::path& name_onnx = {},
                      const std::filesystem::path& cin_onnx = {});

  // The classes after the CTC blank, in output order; tools/train_line.py holds the same.
  static const std::string& alphabet();
  // The network's input for a crop (dark ink on white): 32 rows, ink = 1, width by aspect.
  static cv::Mat normalise(const cv::Mat& crop);

  // Per-column class probabilities (CV_32F, columns x (1 + alphabet)). With `word_gaps`, a wide
  // ink-free run between letters makes the space likely in its middle column.
  cv::Mat posteriors(const cv::Mat& crop, bool word_gaps = false, Content content = Content::kAny);

  // Handwritten kLine/kWord crops; the answer is the best reading the request's content
  // accepts, its confidence the share of the model's probability that reading holds.
  Recognition recognize(const cv::Mat& crop, const FieldRequest& request) override;
  Recognition recognize_weighing(const cv::Mat& crop, const FieldRequest& request,
                                 const std::vector<std::string>& proposed) override;
  // Every crop is scaled to the network's 32-pixel height before it is read.
  [[nodiscard]] bool reads_alike_at_any_scale(const FieldRequest& /*request*/) override {
    return true;
  }

 private:
  // The posteriors of the crop as given (`probs`), and for a name of the crop squeezed and
  // stretched too.
  std::vector<cv::Mat> views_of(const cv::Mat& crop, const cv::Mat& probs, Content content);
  // The word list for `content`, or null.
  [[nodiscard]] const WordPrior* prior_for(Content content) const;

  cv::dnn::Net net_;
  cv::dnn::Net name_net_;  // empty: names by net_
  cv::dnn::Net cin_net_;   // empty: CINs by net_
  const WordPrior* names_;
  const WordPrior* places_;
  const WordPrior* care_;
};

}  // namespace carescan::recognize
