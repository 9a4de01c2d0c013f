#pragma once
// The sheet's pre-printed serial number ("A 1234567"): found near its box on the registered page
// and read with its known shape.
//
// The serial is printed by the insurer's printer, not written: it is the darkest, tallest text in
// its box, right-aligned, in one bold font. What makes it hard is the capture: a photo blurs it
// and lights it unevenly, a photocopy greys it, and registration may leave it a few pixels past
// the box's border, so the crop is searched around the box and binarised by the text's own
// contrast rather than the fixed ink threshold that suits handwriting.

#include <opencv2/core.hpp>
#include <vector>

#include "extract/settings.h"
#include "recognize/print_glyphs.h"
#include "recognize/recognizer.h"

namespace carescan::extract {

// The serial's glyphs, cut out of the page.
struct PrintedLine {
  cv::Mat image;                 // the glyphs, dark on white (flattened grey), padded; may be empty
  std::vector<cv::Rect> glyphs;  // connected glyphs in `image`, left to right
  int pixels = 0;                // ink pixels of the glyphs
};

// The printed line in and around `box` (template pixels of the registered grey `page`): the
// tallest row of glyphs, right-aligned in the box, without the box's borders or its smaller
// label. Empty when the box holds no print.
PrintedLine find_printed_line(const cv::Mat& page, cv::Rect box,
                              const ExtractionSettings& settings);

// Reads the serial from `line`: the whole line, and the series letter and the seven digits each
// on their own, the letter by its shape when `glyphs` is given (else by the recogniser).
// Agreement of two readings keeps their confidence; a disagreement, or a reading that does not
// have the serial's shape, is never confident.
recognize::Recognition read_serial(const PrintedLine& line, recognize::Recognizer& recognizer,
                                   const recognize::PrintGlyphs* glyphs = nullptr);

}  // namespace carescan::extract
