#pragma once
// Pages that reach the mailroom with the care sheets but are not care sheets.

#include <opencv2/core.hpp>
#include <string>

#include "synth/fill.h"
#include "synth/rng.h"
#include "synth/vocabulary.h"

namespace carescan::synth {

// The distractor kinds, as the truth names them.
inline const std::vector<std::string>& distractor_kinds() {
  static const std::vector<std::string> kinds{"blank", "letter", "unrelated_form"};
  return kinds;
}

// An A4 page at kFillDpi, 8-bit BGR, of the given kind ("blank", "letter", "unrelated_form").
cv::Mat distractor_page(const std::string& kind, const Vocabulary& vocabulary, FontKit fonts,
                        Rng& rng);

}  // namespace carescan::synth
