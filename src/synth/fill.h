#pragma once
// Fills a blank care sheet with a sheet's content, as the student and the providers do.

#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "forms/template.h"
#include "synth/fonts.h"
#include "synth/rng.h"
#include "synth/sheet_content.h"

namespace carescan::synth {

// The generator's fonts: handwriting (config samples.handwriting_fonts) and print (stamps,
// typed text, the sheet number).
struct FontKit {
  FontSet& hands;
  FontSet& print;
};

// The text exactly as the pen drew it ("1 250,00", "12/03/25", comb cells run together), so
// that a recogniser can be trained and scored on what is on the paper, not on the normalised
// value. A crossed-out character is left out: this is what the writer meant.
struct WrittenLine {
  std::string table;
  int row = 0;
  std::vector<std::pair<std::string, std::string>> cells;  // column -> text, in template order
};

struct Written {
  std::vector<std::pair<std::string, std::string>> fields;  // field id -> text, in drawing order
  std::vector<WrittenLine> lines;
};

struct FilledSheet {
  cv::Mat page;  // 8-bit BGR
  Written written;
};

// `blank` is the template's reference image (grey, kFillDpi).
FilledSheet fill_sheet(const forms::FormTemplate& tpl, const cv::Mat& blank,
                       const SheetContent& content, FontKit fonts, Rng& rng);

// Replaces the template's pre-printed serial number ("A 0000000") by `number`, same size and
// place, in the print font's bold face.
void print_sheet_number(cv::Mat& page, const cv::Mat& blank, const cv::Rect2d& zone,
                        const std::string& number, FontSet& print, Rng& rng);

}  // namespace carescan::synth
