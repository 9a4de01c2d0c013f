#pragma once
// The comparison: plain full-page Tesseract, and which key truth values its text contains.

#include <map>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "eval/score.h"
#include "eval/truth.h"

namespace tesseract {
class TessBaseAPI;
}

namespace carescan::eval {

// Per kind of value (cin, insured_name, signature_date, total_amount, line_date, line_amount):
// how often the truth value appears anywhere in the page's text.
struct BaselineFinds {
  std::map<std::string, Rate> by_kind;
  Rate key_fields;  // cin, insured_name, signature_date, total_amount together
};

// Looks for each key truth value of `truth` in `text` as a person writes it, ignoring spaces
// and punctuation (so "14/03/2025", "14 03 2025" and comb digits all match): CIN and name in
// capitals, dates dd mm yyyy or dd mm yy, amounts as "420,50" (or "350" for whole dirhams).
void find_key_values(const std::string& text, const TruthPage& truth, BaselineFinds& out);

// One whole-page Tesseract with automatic page segmentation: what a generic OCR gives.
// Not thread-safe: one per thread.
class FullPageTesseract {
 public:
  FullPageTesseract(const std::string& tessdata_dir, const std::string& languages);
  ~FullPageTesseract();
  FullPageTesseract(const FullPageTesseract&) = delete;
  FullPageTesseract& operator=(const FullPageTesseract&) = delete;
  std::string read(const cv::Mat& image);

 private:
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace carescan::eval
