#pragma once
// The benchmark's table for a terminal and its figures as JSON.

#include <Poco/JSON/Object.h>

#include <optional>
#include <ostream>

#include "eval/score.h"
#include "eval/tesseract_baseline.h"

namespace carescan::eval {

struct Throughput {
  long pages = 0;
  double seconds = 0;  // wall clock, all workers
  int workers = 1;
  [[nodiscard]] double pages_per_second() const { return seconds > 0 ? pages / seconds : 0; }
};

struct Baseline {
  Throughput throughput;
  BaselineFinds finds;
};

// `eval --fit-thresholds`: the thresholds chosen on this set, and the decisions they give on it.
struct ThresholdFit {
  std::vector<ThresholdChoice> choices;
  core::ThresholdFitConfig settings;
  Scores rescored;  // every page decided again with the chosen thresholds
  std::string file;
};

struct Report {
  Scores scores;
  // The status decision's threshold per key field (claims.accept_min_confidence as loaded), and
  // which of them came from the fitted file (claims.thresholds).
  std::map<std::string, double> accept_thresholds;
  std::vector<std::string> fitted_fields;
  // The field-kind table's threshold: informative, no decision uses it.
  double kind_threshold = 0.9;
  std::optional<ThresholdFit> fit;
  Throughput throughput;
  long peak_memory_kb = 0;  // getrusage ru_maxrss of the process
  std::optional<Baseline> baseline;
};

void print_report(std::ostream& out, const Report& report);
[[nodiscard]] Poco::JSON::Object::Ptr report_json(const Report& report);

}  // namespace carescan::eval
