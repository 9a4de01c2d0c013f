#include "recognize/line_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "recognize/lexicon.h"

namespace carescan::recognize {
namespace {

constexpr int kHeight = 32;
constexpr int kBeam = 16;
// Name readings from the prior scored per beam reading, and beam readings they start from.
constexpr std::size_t kProposals = 48;
constexpr std::size_t kProposedFrom = 3;
// Whole readings handed on with the chosen one (Recognition::readings).
constexpr std::size_t kReadingsKept = 5;
// A blank run at least this wide (pixels at the 32-pixel height) between a text's letters is
// a word gap, and the space there gets at least this probability. The model misses word gaps
// ("SCIENCESEL JADIDA"); the gap in the ink is plain. Names are left alone: there, letters
// written apart made readings with spurious spaces and the names' confidence fell.
constexpr int kWordGap = 9;
constexpr float kGapSpace = 0.35F;
// Widths, relative to the crop, of a name's other two views.
constexpr std::array<double, 2> kNameStretches = {0.8, 1.25};

// Only `target`: decodes a chosen reading's symbols (columns, alternatives) from the beam.
class Exactly final : public Grammar {
 public:
  explicit Exactly(std::string target) : target_(std::move(target)) {}
  [[nodiscard]] bool may_extend(const std::string& prefix, char c) const override {
    return prefix.size() < target_.size() && target_.compare(0, prefix.size(), prefix) == 0 &&
           target_[prefix.size()] == c;
  }
  [[nodiscard]] bool accepts(const std::string& text) const override { return text == target_; }

 private:
  std::string target_;
};

bool grammar_allows(const Grammar& grammar, const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!grammar.may_extend(text.substr(0, i), text[i])) return false;
  }
  return grammar.accepts(text);
}

// Raises the space class (class 1; 0 is the CTC blank) at the output column in the middle of
// each inner ink-free run of `input` (ink = 1) at least kWordGap wide.
void favour_spaces_at_gaps(const cv::Mat& input, cv::Mat& probs) {
  cv::Mat ink;
  cv::reduce(input, ink, 0, cv::REDUCE_SUM, CV_32F);
  const auto blank = [&ink](int x) { return ink.at<float>(0, x) < 0.5F; };
  int first = 0;
  while (first < ink.cols && blank(first)) ++first;
  int run = 0;
  for (int x = first; x < ink.cols; ++x) {
    if (blank(x)) {
      ++run;
      continue;
    }
    if (run >= kWordGap) {
      const int column = std::clamp((x - run / 2) / 2, 0, probs.rows - 1);
      const float space = probs.at<float>(column, 1);
      if (space < kGapSpace) {
        // The other classes share what is left in their own proportions.
        probs.row(column) *= (1.0F - kGapSpace) / std::max(1e-6F, 1.0F - space);
        probs.at<float>(column, 1) = kGapSpace;
      }
    }
    run = 0;
  }
}

cv::dnn::Net load_net(const std::filesystem::path& onnx) {
  if (!std::filesystem::exists(onnx)) {
    throw std::runtime_error("line model " + onnx.string() + " does not exist");
  }
  cv::dnn::Net net = cv::dnn::readNetFromONNX(onnx.string());
  if (net.empty()) throw std::runtime_error("line model " + onnx.string() + " cannot be loaded");
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  return net;
}

}  // namespace

LineModelRecognizer::LineModelRecognizer(const std::filesystem::path& onnx, const WordPrior* names,
                                         const WordPrior* places, const WordPrior* care,
                                         const std::filesystem::path& name_onnx,
                                         const std::filesystem::path& cin_onnx)
    : net_(load_net(onnx)), names_(names), places_(places), care_(care) {
  if (!name_onnx.empty()) name_net_ = load_net(name_onnx);
  if (!cin_onnx.empty()) cin_net_ = load_net(cin_onnx);
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

cv::Mat LineModelRecognizer::posteriors(const cv::Mat& crop, bool word_gaps, Content content) {
  const cv::Mat input = normalise(crop);
  const int size[] = {1, 1, input.rows, input.cols};
  cv::dnn::Net* net = &net_;
  if (content == Content::kName && !name_net_.empty()) net = &name_net_;
  if (content == Content::kCin && !cin_net_.empty()) net = &cin_net_;
  net->setInput(cv::Mat(4, size, CV_32F, const_cast<float*>(input.ptr<float>())).clone());
  const cv::Mat out = net->forward();  // 1 x classes x 1 x columns, softmax inside the graph
  const int classes = out.size[1];
  const int columns = out.size[3];
  const cv::Mat by_class(classes, columns, CV_32F, const_cast<float*>(out.ptr<float>()));
  cv::Mat probs = by_class.t();
  if (word_gaps) favour_spaces_at_gaps(input, probs);
  return probs;
}

const WordPrior* LineModelRecognizer::prior_for(Content content) const {
  const WordPrior* prior = content == Content::kName    ? names_
                           : content == Content::kPlace ? places_
                           : content == Content::kCare  ? care_
                                                        : nullptr;
  return prior != nullptr && !prior->words.empty() ? prior : nullptr;
}

std::vector<cv::Mat> LineModelRecognizer::views_of(const cv::Mat& crop, const cv::Mat& probs,
                                                   Content content) {
  std::vector<cv::Mat> views{probs};
  if (content != Content::kName) return views;
  // The model misses a letter or a word gap at one letter width that it sees at another.
  for (const double stretch : kNameStretches) {
    cv::Mat view;
    const int width = std::max(8, static_cast<int>(std::lround(crop.cols * stretch)));
    cv::resize(crop, view, {width, crop.rows}, 0, 0,
               stretch < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    views.push_back(posteriors(view, false, content));
  }
  return views;
}

Recognition LineModelRecognizer::recognize(const cv::Mat& crop, const FieldRequest& request) {
  return recognize_weighing(crop, request, {});
}

Recognition LineModelRecognizer::recognize_weighing(const cv::Mat& crop,
                                                    const FieldRequest& request,
                                                    const std::vector<std::string>& proposed) {
  Recognition out;
  if (crop.empty()) return out;
  const cv::Mat probs =
      posteriors(crop,
                 request.content == Content::kText || request.content == Content::kPlace ||
                     request.content == Content::kCare,
                 request.content);
  const WordPrior* prior = prior_for(request.content);
  std::string allowed = request.allowed;
  if (request.layout == Layout::kWord)
    allowed.erase(std::remove(allowed.begin(), allowed.end(), ' '), allowed.end());
  const auto grammar = grammar_for(request.content, allowed, prior);
  const auto readings = ctc_beam_search(probs, alphabet(), *grammar, kBeam);
  if (readings.empty()) return out;
  // Every reading considered, with its log-probability plus the grammar's bonus. The chosen
  // reading's confidence is its share of that mass, readings the grammar refuses included: an
  // invalid favourite leaves the valid reading little confidence. A name or a place is weighed
  // against readings the beam never held (its word list's proposals), so its readings are all
  // scored exactly; elsewhere the beam's own sum over alignments is close enough and costs
  // nothing.
  const bool proposals = prior != nullptr;
  // A name's readings are scored on all its views (their mean log-likelihood).
  const std::vector<cv::Mat> views =
      request.single_view ? std::vector<cv::Mat>{probs} : views_of(crop, probs, request.content);
  const bool exact_scores = proposals || views.size() > 1;
  std::map<std::string, double> scored;
  auto score = [&](const std::string& text, double beam_log_prob) {
    if (scored.count(text) != 0) return;
    double s = beam_log_prob;
    if (exact_scores) {
      s = 0;
      for (const auto& v : views) s += ctc_log_likelihood(v, alphabet(), text);
      s /= static_cast<double>(views.size());
    }
    scored[text] = s + grammar->bonus(text);
  };
  const auto free = grammar_for(Content::kAny, "", nullptr);
  std::vector<std::string> candidates;
  for (std::size_t v = 0; v < views.size(); ++v) {
    for (const auto& d : ctc_beam_search(views[v], alphabet(), *free, kBeam)) {
      score(d.text, d.log_prob);
    }
    const auto view_readings =
        v == 0 ? readings : ctc_beam_search(views[v], alphabet(), *grammar, kBeam);
    for (const auto& d : view_readings) {
      if (std::find(candidates.begin(), candidates.end(), d.text) == candidates.end()) {
        score(d.text, d.log_prob);
        candidates.push_back(d.text);
      }
    }
    if (!proposals) continue;
    for (std::size_t i = 0; i < std::min(kProposedFrom, view_readings.size()); ++i) {
      for (const auto& text : listed_proposals(view_readings[i].text, *prior, kProposals)) {
        if (scored.count(text) != 0 || !grammar_allows(*grammar, text)) continue;
        score(text, 0);
        candidates.push_back(text);
      }
    }
  }
  // Another source's readings, weighed on the same scale: the beam may have dropped them.
  for (const auto& text : proposed) {
    const bool listed = std::find(candidates.begin(), candidates.end(), text) != candidates.end();
    if (listed || !grammar_allows(*grammar, text)) continue;
    score(text, ctc_log_likelihood(probs, alphabet(), text));  // no-op if the free beam held it
    candidates.push_back(text);
  }
  // Best first; the stable sort keeps the first found of equal scores first.
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [&scored](const std::string& a, const std::string& b) { return scored[a] > scored[b]; });
  const std::string chosen = candidates.front();
  double mass = -std::numeric_limits<double>::infinity();
  for (const auto& [text, s] : scored) mass = log_add(mass, s);
  // The chosen reading's symbols: from the beam when it found it, else decoded on their own.
  auto found = std::find_if(readings.begin(), readings.end(),
                            [&chosen](const Decoded& d) { return d.text == chosen; });
  std::vector<Decoded> exact;
  if (found == readings.end()) {
    exact = ctc_beam_search(probs, alphabet(), Exactly(chosen), kBeam);
    if (exact.empty()) return out;
    found = exact.begin();
  }
  const Decoded& best = *found;
  out.text = best.text;
  out.confidence = std::clamp(std::exp(scored[chosen] - mass), 0.0, 1.0);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const bool asked = std::find(proposed.begin(), proposed.end(), candidates[i]) != proposed.end();
    if (i < kReadingsKept || asked) {
      out.readings.push_back({candidates[i], std::exp(scored[candidates[i]] - mass)});
    }
  }
  if (request.content == Content::kName && prior != nullptr) {
    const ListEvidence evidence = list_evidence(best.text, *prior);
    out.listed = evidence.listed;
    out.near_listed = evidence.near_listed;
  }
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
