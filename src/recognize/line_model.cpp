#include "recognize/line_model.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace carescan::recognize {
namespace {

constexpr int kHeight = 32;
constexpr int kBeam = 16;

}  // namespace

LineModelRecognizer::LineModelRecognizer(const std::filesystem::path& onnx, const NamePrior* prior)
    : prior_(prior) {
  if (!std::filesystem::exists(onnx)) {
    throw std::runtime_error("line model " + onnx.string() + " does not exist");
  }
  net_ = cv::dnn::readNetFromONNX(onnx.string());
  if (net_.empty()) throw std::runtime_error("line model " + onnx.string() + " cannot be loaded");
  net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
}

const std::string& LineModelRecognizer::alphabet() {
  static const std::string kAlphabet = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ/,.-'";
  return kAlphabet;
}

cv::Mat LineModelRecognizer::normalise(const cv::Mat& crop) {
  cv::Mat grey;
  if (crop.channels() == 3) {
    cv::cvtColor(crop, grey, cv::COLOR_BGR2GRAY);
  } else {
    grey = crop;
  }
  const int width = std::max(8, static_cast<int>(std::lround(static_cast<double>(grey.cols) *
                                                             kHeight / std::max(1, grey.rows))));
  cv::Mat resized;
  cv::resize(grey, resized, {width, kHeight}, 0, 0,
             grey.rows > kHeight ? cv::INTER_AREA : cv::INTER_LINEAR);
  // Even width: the network halves it; the extra column is paper.
  cv::Mat even(kHeight, width + width % 2, CV_8U, cv::Scalar(255));
  resized.copyTo(even(cv::Rect(0, 0, width, kHeight)));
  cv::Mat out;
  even.convertTo(out, CV_32F, -1.0 / 255, 1.0);
  return out;
}

cv::Mat LineModelRecognizer::posteriors(const cv::Mat& crop) {
  const cv::Mat input = normalise(crop);
  const int size[] = {1, 1, input.rows, input.cols};
  net_.setInput(cv::Mat(4, size, CV_32F, const_cast<float*>(input.ptr<float>())).clone());
  const cv::Mat out = net_.forward();  // 1 x classes x 1 x columns, softmax inside the graph
  const int classes = out.size[1];
  const int columns = out.size[3];
  const cv::Mat by_class(classes, columns, CV_32F, const_cast<float*>(out.ptr<float>()));
  return by_class.t();
}

Recognition LineModelRecognizer::recognize(const cv::Mat& crop, const FieldRequest& request) {
  Recognition out;
  if (crop.empty()) return out;
  const cv::Mat probs = posteriors(crop);
  std::string allowed = request.allowed;
  if (request.layout == Layout::kWord)
    allowed.erase(std::remove(allowed.begin(), allowed.end(), ' '), allowed.end());
  const auto grammar = grammar_for(request.content, allowed, prior_);
  const auto readings = ctc_beam_search(probs, alphabet(), *grammar, kBeam);
  if (readings.empty()) return out;
  // The share of the probability the chosen reading holds against what the model would read
  // with no grammar at all: an invalid favourite leaves the valid reading little confidence.
  const auto free = grammar_for(Content::kAny, "", nullptr);
  double mass = -std::numeric_limits<double>::infinity();
  auto add = [&mass](double lp) {
    const double hi = std::max(mass, lp);
    mass = hi + std::log(std::exp(mass - hi) + std::exp(lp - hi));
  };
  std::vector<std::string> seen;
  for (const auto& d : ctc_beam_search(probs, alphabet(), *free, kBeam)) {
    add(d.log_prob);
    seen.push_back(d.text);
  }
  for (const auto& d : readings) {
    if (std::find(seen.begin(), seen.end(), d.text) == seen.end()) add(d.log_prob);
  }
  const Decoded& best = readings.front();
  out.text = best.text;
  out.confidence = std::clamp(std::exp(best.log_prob - mass), 0.0, 1.0);
  // Symbols: boxes from the columns (each output column covers 2 input columns at 32 rows).
  const double px_per_column = 2.0 * crop.rows / kHeight;
  for (const auto& s : best.symbols) {
    Symbol symbol;
    symbol.text = std::string(1, s.c);
    symbol.confidence = s.probability;
    const int x = static_cast<int>(std::lround(s.column * px_per_column));
    symbol.box =
        cv::Rect(x, 0, std::max(1, static_cast<int>(std::lround(px_per_column))), crop.rows) &
        cv::Rect(0, 0, crop.cols, crop.rows);
    symbol.alternatives = s.alternatives;
    out.symbols.push_back(std::move(symbol));
  }
  return out;
}

}  // namespace carescan::recognize
