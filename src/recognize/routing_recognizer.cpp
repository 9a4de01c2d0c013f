#include "recognize/routing_recognizer.h"

namespace carescan::recognize {

RoutingRecognizer::RoutingRecognizer(Recognizer& printed, CombModel* comb, Recognizer* handwriting)
    : printed_(printed), comb_(comb), handwriting_(handwriting) {}

Recognizer& RoutingRecognizer::engine_for(const FieldRequest& request) {
  if (request.handwritten && request.layout != Layout::kChar && handwriting_ != nullptr) {
    return *handwriting_;
  }
  return printed_;
}

Recognition RoutingRecognizer::recognize(const cv::Mat& crop, const FieldRequest& request) {
  if (request.layout == Layout::kChar && comb_ != nullptr) {
    return recognize_all({crop}, request).front();
  }
  return engine_for(request).recognize(crop, request);
}

Recognition RoutingRecognizer::recognize_weighing(const cv::Mat& crop, const FieldRequest& request,
                                                  const std::vector<std::string>& proposals) {
  if (request.layout == Layout::kChar && comb_ != nullptr) return recognize(crop, request);
  return engine_for(request).recognize_weighing(crop, request, proposals);
}

bool RoutingRecognizer::reads_alike_at_any_scale(const FieldRequest& request) {
  if (request.layout == Layout::kChar && comb_ != nullptr) return false;
  return engine_for(request).reads_alike_at_any_scale(request);
}

std::vector<Recognition> RoutingRecognizer::recognize_all(const std::vector<cv::Mat>& crops,
                                                          const FieldRequest& request) {
  if (request.layout != Layout::kChar || comb_ == nullptr) {
    return engine_for(request).recognize_all(crops, request);
  }
  const auto classes = comb_->classify(crops);
  std::vector<Recognition> out;
  out.reserve(crops.size());
  for (std::size_t i = 0; i < crops.size(); ++i) {
    out.push_back(cell_recognition(classes[i], request.allowed, crops[i].size()));
  }
  return out;
}

Recognition cell_recognition(const std::vector<Alternative>& classes, const std::string& allowed,
                             const cv::Size& crop_size) {
  std::vector<Alternative> kept;
  double mass = 0;
  for (const auto& alt : classes) {
    const bool fits =
        alt.text.empty() || allowed.empty() || allowed.find(alt.text.front()) != std::string::npos;
    if (!fits) continue;
    kept.push_back(alt);
    mass += alt.probability;
  }
  Recognition out;
  if (kept.empty() || mass <= 0) return out;
  for (auto& alt : kept) alt.probability /= mass;
  Symbol symbol;
  symbol.text = kept.front().text;
  symbol.confidence = kept.front().probability;
  symbol.box = cv::Rect({0, 0}, crop_size);
  symbol.alternatives = std::move(kept);
  out.text = symbol.text;
  out.confidence = symbol.text.empty() ? 0.0 : symbol.confidence;
  // The symbol stays even for "no character": the decoder needs its alternatives.
  out.symbols.push_back(std::move(symbol));
  return out;
}

}  // namespace carescan::recognize
