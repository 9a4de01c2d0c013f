#pragma once
// Handwriting from fonts, with the variation of a real hand: size, slant, baseline wander,
// spacing, stroke width, rotation, and now and then a crossed-out character.

#include <string_view>

#include "synth/fonts.h"
#include "synth/ink.h"
#include "synth/rng.h"

namespace carescan::synth {

// One writer's habits, drawn once per writer and kept for all they write on a sheet.
struct Hand {
  size_t font = 0;
  double cap_mm = 3.4;      // height of a capital
  double slant = 0.1;       // shear: x moves right by slant x height above the baseline
  double rotation_deg = 0;  // the whole line, counter-clockwise
  double wander_mm = 0.3;   // baseline wander amplitude
  double wander_period_mm = 40;
  double wander_phase = 0;
  double spacing_mm = 0.3;  // extra space between letters
  double spacing_jitter_mm = 0.2;
  double size_jitter = 0.06;  // relative, per character
  int stroke = 0;             // -1 thinner, +1/+2 thicker than the font (pixels at 300 dpi)
  Ink ink;
};

// A writer whose font is drawn from `font_count` handwriting fonts.
Hand random_hand(Rng& rng, size_t font_count);
// Typed or printed text: no variation at all.
Hand print_hand(size_t font, double cap_mm, const Ink& ink);

// A slip of the pen: the character at `at` is first written wrong, struck out, then written right.
struct Slip {
  int at = -1;  // index in the text, -1 for none
  char32_t wrong = U'?';
};

// Renders `text` (UTF-8) as ink; the anchor is the start of the baseline. Empty text gives an
// empty mark.
InkMark write_text(FontSet& fonts, const Hand& hand, std::string_view text, double px_per_mm,
                   Rng& rng, const Slip& slip = {});

// A character a writer might have put by mistake in place of `right`.
char32_t plausible_mistake(char32_t right, Rng& rng);

}  // namespace carescan::synth
