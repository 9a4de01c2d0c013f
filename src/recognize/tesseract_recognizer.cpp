#include "recognize/tesseract_recognizer.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

namespace carescan::recognize {
namespace {

tesseract::PageSegMode segmentation_for(Layout layout) {
  switch (layout) {
    case Layout::kLine:
      return tesseract::PSM_SINGLE_LINE;
    case Layout::kWord:
      return tesseract::PSM_SINGLE_WORD;
    case Layout::kChar:
      return tesseract::PSM_SINGLE_CHAR;
  }
  return tesseract::PSM_SINGLE_LINE;
}

std::string take_text(char* text) {
  std::string out = text != nullptr ? text : "";
  delete[] text;
  return out;
}

// Tesseract sizes its line model for text of some 20-40 px; comb cells and small crops read
// better with a white margin around the ink, as on a page.
cv::Mat with_margin(const cv::Mat& crop) {
  cv::Mat grey;
  if (crop.channels() == 1) {
    grey = crop;
  } else {
    cv::cvtColor(crop, grey, cv::COLOR_BGR2GRAY);
  }
  const int pad = std::max(8, grey.rows / 3);
  cv::Mat padded;
  cv::copyMakeBorder(grey, padded, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  return padded;
}

}  // namespace

TesseractRecognizer::TesseractRecognizer(const std::filesystem::path& tessdata_dir,
                                         const std::string& languages)
    : api_(std::make_unique<tesseract::TessBaseAPI>()) {
  // Dictionaries pull names and codes towards English words: the fields are names, codes and
  // numbers, so the engine reads characters as they are written.
  std::vector<std::string> names = {"load_system_dawg", "load_freq_dawg"};
  std::vector<std::string> values = {"0", "0"};
  const std::string dir = tessdata_dir.string();
  if (api_->Init(dir.empty() ? nullptr : dir.c_str(), languages.c_str(), tesseract::OEM_LSTM_ONLY,
                 nullptr, 0, &names, &values, false) != 0) {
    throw std::runtime_error("Tesseract cannot load language data '" + languages + "'" +
                             (dir.empty() ? std::string() : " from " + dir));
  }
  api_->SetVariable("lstm_choice_mode", "0");
  api_->SetVariable("debug_file", "/dev/null");
}

TesseractRecognizer::~TesseractRecognizer() {
  if (api_) api_->End();
}

Recognition TesseractRecognizer::recognize(const cv::Mat& crop, const FieldRequest& request) {
  Recognition result;
  if (crop.empty()) return result;
  const cv::Mat image = with_margin(crop);
  // The line model invents text on an empty crop, with a high confidence: read only ink.
  double darkest = 255;
  cv::minMaxLoc(image, &darkest);
  if (darkest > 128) return result;
  const int pad = (image.cols - crop.cols) / 2;

  api_->SetPageSegMode(segmentation_for(request.layout));
  api_->SetVariable("tessedit_char_whitelist", request.allowed.c_str());
  api_->SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step));
  api_->SetSourceResolution(300);
  if (api_->Recognize(nullptr) != 0) return result;

  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  if (!it) return result;
  double min_conf = 1.0;
  do {
    if (it->Empty(tesseract::RIL_SYMBOL)) continue;
    if (it->IsAtBeginningOf(tesseract::RIL_WORD) && !result.symbols.empty()) result.text += ' ';
    Symbol symbol;
    symbol.text = take_text(it->GetUTF8Text(tesseract::RIL_SYMBOL));
    symbol.confidence = std::clamp(it->Confidence(tesseract::RIL_SYMBOL) / 100.0, 0.0, 1.0);
    int left = 0, top = 0, right = 0, bottom = 0;
    if (it->BoundingBox(tesseract::RIL_SYMBOL, &left, &top, &right, &bottom)) {
      symbol.box = cv::Rect(left - pad, top - pad, right - left, bottom - top);
    }
    tesseract::ChoiceIterator choice(*it);
    do {
      const char* text = choice.GetUTF8Text();
      if (text != nullptr) {
        symbol.alternatives.push_back({text, std::clamp<double>(choice.Confidence(), 0, 1)});
      }
    } while (choice.Next());
    std::sort(
        symbol.alternatives.begin(), symbol.alternatives.end(),
        [](const Alternative& a, const Alternative& b) { return a.probability > b.probability; });
    result.text += symbol.text;
    min_conf = std::min(min_conf, symbol.confidence);
    result.symbols.push_back(std::move(symbol));
  } while (it->Next(tesseract::RIL_SYMBOL));
  result.confidence = result.symbols.empty() ? 0.0 : min_conf;
  it.reset();
  api_->Clear();
  return result;
}

void silence_leptonica_messages() {
  setMsgSeverity(L_SEVERITY_NONE);
}

}  // namespace carescan::recognize
