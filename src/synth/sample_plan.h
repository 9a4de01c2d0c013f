#pragma once
// Which page goes in which file, with which form and capture profile: a deterministic mix so
// that any count of 10 or more covers every form and profile asked for.

#include <cstdint>
#include <string>
#include <vector>

#include "synth/capture.h"
#include "synth/writers.h"

namespace carescan::synth {

struct PlannedPage {
  int index = 0;           // in the whole set
  std::uint64_t seed = 0;  // derive_seed(set seed, index): a page does not depend on the count
  std::string form;        // empty for a distractor
  std::string distractor;  // "blank", "letter", "unrelated_form", or empty
};

struct PlannedFile {
  std::string name;  // "0007-ambulatoire-scan.jpg", "0001-bundle-fax.tiff"
  FileFormat format = FileFormat::kPng;
  CaptureProfile profile = CaptureProfile::kScan;
  bool bundle = false;
  std::vector<PlannedPage> pages;
};

struct PlanRequest {
  int count = 0;  // pages
  std::uint64_t seed = 0;
  std::vector<CaptureProfile> profiles;  // not empty
  std::vector<std::string> forms;        // not empty
};

// Pages come in blocks of kPlanBlock: in each, a TIFF bundle and a PDF bundle of 2-4 pages
// (when the set has at least 10 pages) and two distractor pages (8 %).
inline constexpr int kPlanBlock = 25;

std::vector<PlannedFile> plan_samples(const PlanRequest& request);

// The truth's name of a file format: "png", "jpeg", "tiff", "tiff_g4", "pdf".
std::string_view format_name(FileFormat format);

}  // namespace carescan::synth
