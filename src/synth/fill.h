#pragma once
// Fills a blank care sheet with a sheet's content, as the student and the providers do.

#include <opencv2/core.hpp>

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

// `blank` is the template's reference image (grey, kFillDpi). Returns a new 8-bit BGR page.
cv::Mat fill_sheet(const forms::FormTemplate& tpl, const cv::Mat& blank,
                   const SheetContent& content, FontKit fonts, Rng& rng);

// Replaces the template's pre-printed serial number ("A 0000000") by `number`, same size and
// place, in the print font's bold face.
void print_sheet_number(cv::Mat& page, const cv::Mat& blank, const cv::Rect2d& zone,
                        const std::string& number, FontSet& print, Rng& rng);

}  // namespace carescan::synth
