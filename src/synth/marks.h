#pragma once
// What is on a sheet besides handwriting: signatures, ink stamps, vignette stickers.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "synth/fonts.h"
#include "synth/ink.h"
#include "synth/rng.h"

namespace carescan::synth {

// A scribbled signature of random spline strokes filling about `size_px`; anchor at the centre.
InkMark scribble_signature(cv::Size size_px, double px_per_mm, Rng& rng);

// A provider's ink stamp (print font text in a round or rectangular frame), already rotated and
// worn; anchor at the centre. `lines` go top to bottom; a round stamp bends the first around
// its rim.
InkMark ink_stamp(FontSet& print_fonts, const std::vector<std::string>& lines, double px_per_mm,
                  Rng& rng);

// A medicine's vignette sticker: white label, barcode, name and "PPV 45,00 DH"; the patch is
// BGR, the mask says where the label is (it is opaque, unlike ink).
struct Sticker {
  cv::Mat patch;
  cv::Mat mask;
};
Sticker vignette_sticker(FontSet& print_fonts, const std::string& name, const std::string& ppv,
                         double px_per_mm, Rng& rng);

}  // namespace carescan::synth
