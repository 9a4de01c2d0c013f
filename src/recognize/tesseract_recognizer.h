#pragma once
// The Recognizer behind Tesseract's LSTM engine: one TessBaseAPI, initialised once, reused.
//
// Tesseract's LSTM asks OpenMP for several threads per call (a fixed num_threads clause, which
// omp_set_num_threads cannot lower); on small crops they only spin and take the cores from the
// other workers, making a page 3-4 times slower. Only OMP_THREAD_LIMIT=1 in the environment at
// process start caps them: programs that read pages must be started with it (see
// tests/bench/extract_bench.cpp for a self re-exec).

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

// Leptonica, under Tesseract, writes "Error in boxClipToRectangle" and the like to stderr for a
// crop at the page's edge that Tesseract then reads anyway: noise in an operator's log that
// reads like a failure. Process-wide (Leptonica's own setting): called once, from main.
void silence_leptonica_messages();

}  // namespace carescan::recognize
