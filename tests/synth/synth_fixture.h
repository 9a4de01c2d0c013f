#pragma once
// What the generator's tests draw with: the repository's config, templates, vocabulary and fonts,
// loaded once per test program (fonts are slow to open).

#include <string>
#include <vector>

#include "core/config.h"
#include "forms/template_loader.h"
#include "synth/fonts.h"
#include "synth/vocabulary.h"

namespace carescan::synth::testing {

struct Fixture {
  core::Config config =
      core::load_config(std::string(CARESCAN_SOURCE_ROOT) + "/config/carescan.json");
  std::vector<forms::FormTemplate> templates = forms::load_templates(config.forms_dir);
  Vocabulary vocabulary = load_vocabulary(config.samples.vocabulary);
  FontSet hands{config.samples.handwriting_fonts};
  FontSet print{config.samples.print_fonts};
};

inline Fixture& fixture() {
  static Fixture f;
  return f;
}

}  // namespace carescan::synth::testing
