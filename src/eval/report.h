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

struct Report {
  Scores scores;
  Throughput throughput;
  long peak_memory_kb = 0;  // getrusage ru_maxrss of the process
  std::optional<Baseline> baseline;
};

void print_report(std::ostream& out, const Report& report);
[[nodiscard]] Poco::JSON::Object::Ptr report_json(const Report& report);

}  // namespace carescan::eval
