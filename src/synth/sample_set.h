#pragma once
// `carescan samples`: generates a set of filled, captured care sheets and distractors with
// their ground truth (docs/truth-format.md) and a manifest.

#include <filesystem>
#include <map>
#include <string>

#include "core/config.h"
#include "synth/sample_plan.h"

namespace carescan::synth {

struct SampleSetSummary {
  int pages = 0;
  int files = 0;
  int bundles = 0;
  int distractors = 0;
  std::map<std::string, int> per_form;     // care-sheet pages by form
  std::map<std::string, int> per_profile;  // pages by capture profile
  std::map<std::string, int> per_format;   // files by format
  double seconds = 0;

  [[nodiscard]] std::string one_line() const;
};

// Writes the files of `plan_samples(request)`, one NAME.truth.json beside each, and
// manifest.json, into `out` (created if missing). Throws core::DataError for a form the
// configuration lacks, std::runtime_error for a file that cannot be written.
SampleSetSummary generate_samples(const core::Config& config, const PlanRequest& request,
                                  const std::filesystem::path& out);

}  // namespace carescan::synth
