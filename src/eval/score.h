#pragma once
// Scores claims against the ground truth of a generated set: the benchmark's figures.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "claim/claim.h"
#include "eval/thresholds.h"
#include "eval/truth.h"
#include "extract/calibration.h"

namespace carescan::eval {

struct Rate {
  long hits = 0;
  long total = 0;
  void add(bool hit) {
    hits += hit ? 1 : 0;
    ++total;
  }
  [[nodiscard]] double value() const {
    return total == 0 ? 0 : static_cast<double>(hits) / static_cast<double>(total);
  }
};

// One truth page and what carescan made of it (nullopt: the file could not be read).
struct ScoredPage {
  std::string file;
  TruthPage truth;
  std::optional<claim::Claim> claim;
};

// How a field is written on the sheet: the targets differ per group.
enum class FieldGroup { kPrinted, kKeyHandwritten, kOtherHandwritten, kMark };
[[nodiscard]] std::string_view to_string(FieldGroup group);
[[nodiscard]] FieldGroup group_of(const std::string& field);

struct FieldScore {
  std::string field;
  FieldGroup group = FieldGroup::kOtherHandwritten;
  Rate exact;
};

struct LineScores {
  Rate found;           // truth rows with a claim row at the same table and row
  Rate dates;           // truth rows whose date was read exactly
  Rate amounts;         // ... amount
  Rate rows_exact;      // ... every cell
  long extra_rows = 0;  // claim rows the sheet does not have
};

struct ReliabilityBin {
  double low = 0;
  double high = 0;
  long count = 0;
  double mean_confidence = 0;
  double accuracy = 0;
};

struct Scores {
  long pages = 0;
  long unreadable_pages = 0;  // no claim: the file failed to decode or the page was missing
  Rate form_type;             // every page, distractors included ("not a care sheet" is a type)
  Rate care_sheets_typed;     // care-sheet pages given their form
  Rate distractors_rejected;  // distractor pages rejected as not care sheets
  std::vector<FieldScore> fields;
  std::map<FieldGroup, Rate> groups;
  LineScores lines;
  Rate straight_through;         // care-sheet pages accepted
  Rate accepted_with_key_error;  // accepted pages with any key field wrong (or not a sheet)
  // Values that went through without a reviewer: the key fields of accepted care sheets, and
  // every field and table cell of them (hits: right).
  Rate accepted_key_values;
  Rate accepted_values;
  std::map<std::string, long> statuses;
  double expected_calibration_error = 0;
  // (raw confidence, right) per calibration group, for `eval --fit-calibration`.
  std::map<std::string, extract::CalibrationSamples> calibration_samples;
  std::vector<ReliabilityBin> reliability;
  // Per field id (care sheets, truth fields), and per field kind (calibration group: fields and
  // table cells): for acceptance thresholds, what each would let through and how much of it is
  // right.
  std::map<std::string, FieldSamples> field_samples;
  std::map<std::string, FieldSamples> kind_samples;
};

// `key_fields`: the fields whose errors make an accepted page wrong (the acceptance keys).
[[nodiscard]] Scores score_pages(const std::vector<ScoredPage>& pages,
                                 const std::vector<std::string>& key_fields, int bins = 10);

// Expected calibration error over (confidence, correct) samples in `bins` equal bins.
[[nodiscard]] double expected_calibration_error(const std::vector<std::pair<double, bool>>& samples,
                                                int bins, std::vector<ReliabilityBin>* table);

}  // namespace carescan::eval
