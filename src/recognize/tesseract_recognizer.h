#pragma once
// The Recognizer behind Tesseract's LSTM engine: one TessBaseAPI, initialised once, reused.

#include <filesystem>
#include <memory>
#include <string>

#include "recognize/recognizer.h"

namespace tesseract {
class TessBaseAPI;
}

namespace carescan::recognize {

class TesseractRecognizer final : public Recognizer {
 public:
  // `tessdata_dir` empty: Tesseract's default. `languages` as Tesseract spells them ("eng").
  // Throws std::runtime_error when the language data cannot be loaded.
  explicit TesseractRecognizer(const std::filesystem::path& tessdata_dir = {},
                               const std::string& languages = "eng");
  ~TesseractRecognizer() override;
  TesseractRecognizer(const TesseractRecognizer&) = delete;
  TesseractRecognizer& operator=(const TesseractRecognizer&) = delete;

  Recognition recognize(const cv::Mat& crop, const FieldRequest& request) override;

 private:
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace carescan::recognize
