#include "eval/thresholds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace carescan::eval {
namespace {

Poco::JSON::Object::Ptr ordered() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

// Rounded for the file: six decimals say more than any calibration set can.
double rounded(double v) {
  return std::round(v * 1e6) / 1e6;
}

bool meets(const OperatingPoint& p, const core::ThresholdFitConfig& fit) {
  if (p.accepted < fit.min_count) return false;
  if (fit.use_lower_bound) return p.lower_bound() >= fit.target_precision;
  // right / accepted >= target without the rounding of a division (199 / 200 meets 0.995).
  return static_cast<double>(p.right) >=
         fit.target_precision * static_cast<double>(p.accepted) - 1e-9;
}

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100 * v);
  return buf;
}

}  // namespace

double wilson_lower_bound(long hits, long total, double z) {
  if (total <= 0) return 0;
  const auto n = static_cast<double>(total);
  const double p = static_cast<double>(hits) / n;
  const double z2 = z * z;
  const double centre = p + z2 / (2 * n);
  const double spread = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return std::max(0.0, (centre - spread) / (1 + z2 / n));
}

OperatingPoint operating_point(const FieldSamples& samples, double threshold) {
  OperatingPoint out;
  out.threshold = threshold;
  for (const auto& s : samples) {
    ++out.pages;
    if (!s.read || s.confidence < threshold) continue;
    ++out.accepted;
    out.right += s.right ? 1 : 0;
  }
  return out;
}

ThresholdChoice fit_threshold(const std::string& field, const FieldSamples& samples,
                              const core::ThresholdFitConfig& fit) {
  ThresholdChoice out;
  out.field = field;
  std::vector<FieldSample> read;
  for (const auto& s : samples) {
    if (s.read) read.push_back(s);
  }
  std::sort(read.begin(), read.end(),
            [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
  // Walking down from the most confident value, each distinct confidence is a candidate with
  // every value at or above it accepted.
  OperatingPoint point;
  point.pages = static_cast<long>(samples.size());
  std::optional<OperatingPoint> best;  // most precise candidate with enough values
  for (size_t i = 0; i < read.size(); ++i) {
    if (read[i].confidence < fit.min_threshold) break;
    ++point.accepted;
    point.right += read[i].right ? 1 : 0;
    if (i + 1 < read.size() && read[i + 1].confidence == read[i].confidence) continue;
    point.threshold = read[i].confidence;
    if (meets(point, fit)) {
      out.threshold = point.threshold;
      out.at = point;
    }
    if (point.accepted >= fit.min_count && (!best || point.precision() > best->precision())) {
      best = point;
    }
  }
  if (out.threshold) return out;
  if (best) {
    out.at = *best;
    out.reason = "best " + percent(best->precision()) + " right (" + std::to_string(best->right) +
                 "/" + std::to_string(best->accepted) + ") at " + std::to_string(best->threshold) +
                 ", target " + percent(fit.target_precision);
  } else {
    out.at = point;
    char floor[16];
    std::snprintf(floor, sizeof floor, "%.2f", fit.min_threshold);
    out.reason = "only " + std::to_string(point.accepted) +
                 " values read at confidence >= " + floor + ", at least " +
                 std::to_string(fit.min_count) + " needed";
  }
  if (fit.use_lower_bound && best) out.reason += " (by the 95 % lower bound)";
  return out;
}

Poco::JSON::Object::Ptr thresholds_json(const std::vector<ThresholdChoice>& choices,
                                        const core::ThresholdFitConfig& fit, long pages,
                                        const std::string& fitted_on) {
  auto out = ordered();
  out->set("schema", "carescan.thresholds/v1");
  out->set("fitted_on", fitted_on);
  out->set("pages", pages);
  out->set("target_precision", fit.target_precision);
  out->set("min_count", fit.min_count);
  out->set("use_lower_bound", fit.use_lower_bound);
  out->set("min_threshold", fit.min_threshold);
  auto fields = ordered();
  for (const auto& c : choices) {
    auto f = ordered();
    if (c.threshold) {
      f->set("threshold", rounded(*c.threshold));
    } else {
      f->set("threshold", Poco::Dynamic::Var());
      f->set("reason", c.reason);
    }
    f->set("pages", c.at.pages);
    f->set("accepted", c.at.accepted);
    f->set("right", c.at.right);
    f->set("coverage", rounded(c.at.coverage()));
    f->set("precision", rounded(c.at.precision()));
    f->set("lower_bound_95", rounded(c.at.lower_bound()));
    fields->set(c.field, f);
  }
  out->set("fields", fields);
  return out;
}

std::map<std::string, double> apply_choices(std::map<std::string, double> configured,
                                            const std::vector<ThresholdChoice>& choices) {
  for (const auto& c : choices) {
    auto it = configured.find(c.field);
    if (it != configured.end()) it->second = c.threshold.value_or(core::kNeverAccept);
  }
  return configured;
}

}  // namespace carescan::eval
