#pragma once
// Reads a row of comb boxes (one character per printed cell) with the cell walls taken away.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "extract/settings.h"
#include "recognize/recognizer.h"

namespace carescan::extract {

struct CombCell {
  std::string text;         // one character, "" when the cell is blank
  double confidence = 1.0;  // 0..1; how sure the cell holds `text` (blank cells included)
  bool agreed = false;      // the whole-comb and the cell-by-cell readings gave the same
};

struct CombReading {
  std::vector<CombCell> cells;
  int ink_pixels = 0;
  // A second recogniser, reading the comb's ink as one line, found the same characters.
  bool corroborated = false;
  [[nodiscard]] bool blank() const;
  [[nodiscard]] std::string text() const;   // the non-blank cells, in order
  [[nodiscard]] double confidence() const;  // the least sure cell
};

// The writer's ink of each comb cell, walls and printing removed: per cell a mask the size of
// the comb's region (255 = ink), empty when the cell holds too little ink to be written.
struct CombInk {
  std::vector<cv::Mat> cells;
  int ink_pixels = 0;  // in the whole comb region
};

// `cells` in template pixels, left to right. Each stroke belongs to the cell under its centre:
// writers overrun the walls.
CombInk comb_ink(const cv::Mat& page, const cv::Mat& printed, const std::vector<cv::Rect>& cells,
                 const ExtractionSettings& settings);

// One written cell as a recogniser sees it: dark ink on white, cropped to the ink plus a margin.
cv::Mat cell_image(const cv::Mat& cell_mask);

// `cells` in template pixels, left to right; `allowed[i]` the characters cell i may hold.
// Reads the written cells (walls removed) as one line in three layouts and keeps, per cell, the
// character most layouts agree on, with a confidence that falls fast when they disagree.
CombReading read_comb(const cv::Mat& page, const cv::Mat& printed,
                      const std::vector<cv::Rect>& cells, const std::vector<std::string>& allowed,
                      recognize::Recognizer& recognizer, const ExtractionSettings& settings);

}  // namespace carescan::extract
