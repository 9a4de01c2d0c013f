#pragma once
// What a field recogniser is asked for and what it answers, whatever engine sits behind it.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace carescan::recognize {

// How the ink in a crop is laid out; an engine picks its segmentation from this.
enum class Layout {
  kLine,  // one line of text, words separated by spaces
  kWord,  // one word or number, no spaces
  kChar,  // one character: a comb cell
};

// What the value is, so that an engine can decode toward the field's grammar (a real date, an
// amount with two decimals, a name, a town or institution, an act or a medicine in a table's
// description column); kAny: no preference beyond `allowed`.
enum class Content { kAny, kName, kPlace, kCare, kText, kCode, kDigits, kDate, kAmount, kCin };

// "name", "place", "care", "text", "code", "digits", "date", "amount", "cin", "any": the crop
// dump's vocabulary.
inline const char* to_string(Content content) {
  switch (content) {
    case Content::kName:
      return "name";
    case Content::kPlace:
      return "place";
    case Content::kCare:
      return "care";
    case Content::kText:
      return "text";
    case Content::kCode:
      return "code";
    case Content::kDigits:
      return "digits";
    case Content::kDate:
      return "date";
    case Content::kAmount:
      return "amount";
    case Content::kCin:
      return "cin";
    case Content::kAny:
      break;
  }
  return "any";
}

struct FieldRequest {
  Layout layout = Layout::kLine;
  std::string allowed;      // the only characters the answer may hold; empty: any
  bool handwritten = true;  // printed text (the serial number) reads with other settings
  Content content = Content::kAny;
  // One look at the crop where the engine would take several (a line model's stretched views
  // of a name): a second opinion needs to differ from the first, not to be as thorough.
  bool single_view = false;
};

// Another reading of one character, with the recogniser's probability for it.
struct Alternative {
  std::string text;
  double probability = 0;
};

struct Symbol {
  std::string text;
  double confidence = 0;                  // 0..1
  cv::Rect box;                           // in pixels of the crop
  std::vector<Alternative> alternatives;  // best first; may be empty
};

struct Recognition {
  std::string text;
  double confidence = 0;  // 0..1; 0 when nothing was read
  std::vector<Symbol> symbols;
  // Every word of `text` is in the recogniser's word list (a name's prior): a second source
  // agrees with the ink.
  bool listed = false;
  // A word of `text` is not in the list but one letter from a listed word, or two listed words
  // run together (recognize/lexicon.h): the usual shape of a misread listed name.
  bool near_listed = false;
  // The whole readings weighed, likeliest first (`text` first when it is among them), each with
  // its share of the probability on the scale of `confidence`: a second choice the sheet's
  // arithmetic may prefer (extract/arithmetic.h). Empty when the engine gives none.
  std::vector<Alternative> readings;
};

// Reads the ink in a cleaned crop (dark ink on white, printed rules already removed).
// Not thread-safe: one per worker thread.
class Recognizer {
 public:
  virtual ~Recognizer() = default;
  virtual Recognition recognize(const cv::Mat& crop, const FieldRequest& request) = 0;
  // As `recognize`, with readings another source proposes (the amount a sheet's sum implies, the
  // dates a window allows) weighed exactly among the engine's own and always kept among
  // `readings`, so that they can be weighed against what the ink says. An engine that cannot
  // weigh a given reading reads as `recognize` does; a wrapper passes it on.
  virtual Recognition recognize_weighing(const cv::Mat& crop, const FieldRequest& request,
                                         const std::vector<std::string>& /*proposals*/) {
    return recognize(crop, request);
  }
  // Whether the engine reads the same crop at another scale alike, so that reading it twice
  // (extract's cross-check of key fields) is no second opinion, only twice the time. Tesseract
  // segments a smaller crop differently; a line model scales every crop to its own height.
  [[nodiscard]] virtual bool reads_alike_at_any_scale(const FieldRequest& /*request*/) {
    return false;
  }
  // Several crops under one request (the written cells of a comb), in order. An engine that
  // reads a batch faster than one crop at a time overrides it.
  virtual std::vector<Recognition> recognize_all(const std::vector<cv::Mat>& crops,
                                                 const FieldRequest& request) {
    std::vector<Recognition> out;
    out.reserve(crops.size());
    for (const auto& crop : crops) out.push_back(recognize(crop, request));
    return out;
  }
};

}  // namespace carescan::recognize
