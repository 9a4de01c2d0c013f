#pragma once
// Writes the crops the reader hands to its recognisers, labelled from a generated set's truth:
// the training and test data of the handwriting models, seen exactly as at inference.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/config.h"
#include "forms/template.h"

namespace carescan::pipeline {

struct CropDumpOptions {
  std::filesystem::path samples;  // a folder written by `carescan samples`
  std::filesystem::path out;      // gets comb/ and line/, each with PNGs and labels.tsv
  int limit = 0;                  // > 0: only the first `limit` files
  int workers = 1;
};

struct CropDumpStats {
  long pages = 0;          // care-sheet pages in the truth
  long pages_skipped = 0;  // care sheets that did not register (or failed to decode)
  long comb_crops = 0;     // inked comb cells written
  long comb_missed = 0;    // cells the truth fills that showed no ink to the reader
  long line_crops = 0;     // inked free fields and table cells written
};

// The character the writer meant in each comb cell of `spec` for the truth value `value` (claim
// vocabulary: ISO dates, "420.50", "BE123456"), "_" for a cell left empty: CIN and digits
// left-aligned, dates ddmmyyyy, amounts with the whole part right-aligned before the centimes.
std::vector<std::string> comb_cell_labels(const forms::FieldSpec& spec,
                                          const std::optional<std::string>& value);

// Reads every care-sheet page of the set through the real reader path and writes its crops.
// Throws core::DataError when the set or the output cannot be used.
CropDumpStats dump_crops(const core::Config& config, const CropDumpOptions& options);

}  // namespace carescan::pipeline
