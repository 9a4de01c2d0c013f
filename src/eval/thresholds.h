#pragma once
// Acceptance thresholds measured against the truth: what a confidence threshold does to one
// field (how many pages it lets through, how many of those are right, with a lower bound that is
// honest about small counts), and the choice of each key field's threshold on a calibration set
// (`carescan eval --fit-thresholds`).

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"

namespace carescan::eval {

// One field (or table cell) of one care-sheet page, against the truth.
struct FieldSample {
  double confidence = 0;  // calibrated, as the status decision sees it
  bool read = false;      // a value was read (an unread field never goes through on its own)
  bool right = false;     // the value read is the truth's
};
using FieldSamples = std::vector<FieldSample>;

// 95 % (z = 1.96) Wilson score lower bound of the share hits / total; 0 when total is 0. With 50
// right out of 50 it is 0.929: a small sample cannot vouch for 99.5 %.
[[nodiscard]] double wilson_lower_bound(long hits, long total, double z = 1.96);

// What accepting a field at `threshold` and above does on a set of pages.
struct OperatingPoint {
  double threshold = 0;
  long pages = 0;     // samples: pages whose truth has the field
  long accepted = 0;  // read with confidence >= threshold
  long right = 0;     // ... and right
  [[nodiscard]] double coverage() const {
    return pages == 0 ? 0 : static_cast<double>(accepted) / static_cast<double>(pages);
  }
  [[nodiscard]] double precision() const {
    return accepted == 0 ? 0 : static_cast<double>(right) / static_cast<double>(accepted);
  }
  [[nodiscard]] double lower_bound() const { return wilson_lower_bound(right, accepted); }
};

[[nodiscard]] OperatingPoint operating_point(const FieldSamples& samples, double threshold);

// One key field's fitted threshold.
struct ThresholdChoice {
  std::string field;
  // The lowest observed confidence whose values at or above it meet the target; nullopt: none
  // does, the field always goes to a reviewer.
  std::optional<double> threshold;
  // At the chosen threshold; without one, at the candidate that came closest (the most precise
  // among those with enough values), so the report says how far off the target the field is.
  OperatingPoint at;
  std::string reason;  // why no threshold was chosen
};

// Candidates are the confidences observed; a candidate qualifies when at least
// `fit.min_count` values are read at or above it and their precision (or its Wilson lower
// bound, with fit.use_lower_bound) reaches fit.target_precision, and it is not below
// fit.min_threshold. The lowest qualifying one wins: it sends the fewest pages to review.
[[nodiscard]] ThresholdChoice fit_threshold(const std::string& field, const FieldSamples& samples,
                                            const core::ThresholdFitConfig& fit);

// The carescan.thresholds/v1 file that claims.thresholds names: per field its threshold (null:
// none) and the figures it was chosen on.
[[nodiscard]] Poco::JSON::Object::Ptr thresholds_json(const std::vector<ThresholdChoice>& choices,
                                                      const core::ThresholdFitConfig& fit,
                                                      long pages, const std::string& fitted_on);

// `configured` with each choice's field replaced by its threshold (core::kNeverAccept when none).
[[nodiscard]] std::map<std::string, double> apply_choices(
    std::map<std::string, double> configured, const std::vector<ThresholdChoice>& choices);

}  // namespace carescan::eval
