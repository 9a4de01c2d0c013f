#pragma once
// Maps the reader's raw confidences to observed accuracy, per group of fields that err alike.

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/reading.h"

namespace carescan::extract {

// (raw confidence, was the value right) for one field read against the truth.
using CalibrationSamples = std::vector<std::pair<double, bool>>;

// The curve a field's confidence goes through: "key.<id>" for each key field, "printed", "marks",
// "comb", "free", "line.date", "line.amount", "line.text", "line.number"; "summed" for any amount
// the sheet's sums corroborate (extract/arithmetic.h), which is right far more often than its raw
// score says; "listed" for the insured's name when the name list holds every word of it;
// "cin.agreed" for a CIN that the line model, reading its comb as one word, reads alike;
// "near.listed" for a name with a word one letter from a listed word or two listed words run
// together; "mended" for an amount whose value the sheet's sums chose among its recogniser's other
// readings.
[[nodiscard]] std::string calibration_group(std::string_view id, bool line_cell,
                                            bool corroborated = false, bool doubted = false,
                                            bool mended = false);
// The same for a field as read, from the evidence it carries.
[[nodiscard]] std::string calibration_group(std::string_view id, bool line_cell,
                                            const core::ReadField& field);

// Piecewise linear from raw to calibrated confidence; raw values ascending, calibrated
// non-decreasing. Below its first point it holds that value; above its last it rises a little.
struct CalibrationCurve {
  std::vector<std::pair<double, double>> points;
  [[nodiscard]] double apply(double raw) const;
};

class Calibration {
 public:
  // Equal-width bins of raw confidence, the top one cut by decades of the distance to 1
  // ([0.9, 0.99), [0.99, 0.999), [0.999, 1] with ten), each bin's accuracy smoothed towards one
  // half ((hits + 1) / (n + 2)) and then made non-decreasing by pooling adjacent violators.
  static Calibration fit(const std::map<std::string, CalibrationSamples>& samples, int bins = 10);
  // Throws core::DataError naming the file and what is wrong.
  static Calibration load(const std::filesystem::path& file);
  static Calibration from_json(const Poco::JSON::Object::Ptr& obj, const std::string& where);

  [[nodiscard]] Poco::JSON::Object::Ptr to_json() const;
  [[nodiscard]] bool empty() const { return curves_.empty(); }
  // Unknown groups keep their raw confidence.
  [[nodiscard]] double apply(std::string_view group, double raw) const;
  void apply(core::PageReading& reading) const;

  std::map<std::string, CalibrationCurve, std::less<>> curves_;
};

}  // namespace carescan::extract
