#include "extract/calibration.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/json_util.h"

namespace carescan::extract {
namespace {

constexpr std::string_view kSchema = "carescan.calibration/v1";
// Share of the gap to 1 the curve may still climb above its last point.
constexpr double kTopRise = 0.1;

bool is_one_of(std::string_view id, std::initializer_list<std::string_view> ids) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The top equal-width bin is cut by decades of the distance to 1 ([0.9, 0.99), [0.99, 0.999),
// [0.999, 1] with ten bins): a sharp recogniser puts most of its readings there, and a 0.9 and
// a 0.9999 it read are not right equally often (seed 778: names near a listed one, 22 of 22
// right at 0.99 and above, 6 of 8 below, one curve point for both).
constexpr int kTopDecades = 3;

// The bin of `raw` in [0, 1]: one of bins + kTopDecades - 1.
std::size_t bin_of(double raw, int bins) {
  const double top = static_cast<double>(bins - 1) / bins;
  if (raw < top) return static_cast<std::size_t>(raw * bins);
  const double decades = std::log10((1.0 - top) / std::max(1.0 - raw, 1e-12));
  return static_cast<std::size_t>(bins - 1) +
         static_cast<std::size_t>(std::clamp(static_cast<int>(decades), 0, kTopDecades - 1));
}

struct Bin {
  double raw_sum = 0;
  double hits = 0;
  double count = 0;
};

}  // namespace

std::string calibration_group(std::string_view id, bool line_cell, bool corroborated, bool doubted,
                              bool mended) {
  // Chosen by the sums, not by the ink: as sure as the mend, whatever the field.
  if (mended) return "mended";
  // A name the ink and the list nearly agree on is a listed name misread more often than not.
  if (doubted && id == "insured_name") return "near.listed";
  // An amount that adds up, a name whose every word is in the name list, a CIN two recognisers
  // read alike: far more often right than its raw score says, each its own curve.
  if (corroborated) {
    if (id == "insured_name") return "listed";
    if (id == "cin") return "cin.agreed";
    return "summed";
  }
  if (line_cell) {
    if (id == "date" || id == "amount") return "line." + std::string(id);
    if (is_one_of(id, {"coefficient", "quantity", "tooth"})) return "line.number";
    return "line.text";
  }
  // Each key field on its own curve: at one raw score an unlisted name is wrong far more often
  // than a date (seed 777: a pooled curve put both at 0.99, and unlisted names went through).
  if (is_one_of(id, {"insured_name", "cin", "signature_date", "total_amount"})) {
    return "key." + std::string(id);
  }
  if (id == "sheet_number") return "printed";
  // The signature's confidence is graded by its ink; the ticks' is not.
  if (id == "insured_signature") return "signature";
  if (is_one_of(id, {"sex", "teeth", "ald_related", "prosthesis_quote"})) {
    return "marks";
  }
  if (is_one_of(id, {"birth_date", "doctor_inpe", "dentist_inpe", "ald_code", "pec_number"})) {
    return "comb";
  }
  return "free";
}

std::string calibration_group(std::string_view id, bool line_cell, const core::ReadField& field) {
  return calibration_group(id, line_cell, field.corroborated, field.doubted, field.mended);
}

double CalibrationCurve::apply(double raw) const {
  if (points.empty()) return raw;
  if (raw <= points.front().first) return points.front().second;
  if (raw >= points.back().first) {
    // Above the top bin's mean, a flat curve would give every surer reading the same value and
    // leave a threshold nothing to tell apart (a sharp model puts hundreds of names there): the
    // curve keeps rising, by a tenth of what is left to 1 at most, so the order survives.
    const auto [top_raw, top] = points.back();
    if (top_raw >= 1.0) return top;
    return top + kTopRise * (1.0 - top) * (raw - top_raw) / (1.0 - top_raw);
  }
  const auto upper = std::upper_bound(points.begin(), points.end(), raw,
                                      [](double v, const auto& p) { return v < p.first; });
  const auto lower = upper - 1;
  const double t = (raw - lower->first) / (upper->first - lower->first);
  return lower->second + t * (upper->second - lower->second);
}

Calibration Calibration::fit(const std::map<std::string, CalibrationSamples>& samples, int bins) {
  Calibration out;
  for (const auto& [group, pairs] : samples) {
    std::vector<Bin> hist(static_cast<size_t>(bins + kTopDecades - 1));
    for (const auto& [raw, hit] : pairs) {
      const double c = std::clamp(raw, 0.0, 1.0);
      auto& b = hist[bin_of(c, bins)];
      b.raw_sum += c;
      b.hits += hit ? 1 : 0;
      b.count += 1;
    }
    // Pool adjacent violators on the smoothed accuracies, weighted by their counts.
    std::vector<Bin> pooled;
    for (const auto& b : hist) {
      if (b.count == 0) continue;
      pooled.push_back(b);
      auto rate = [](const Bin& x) { return (x.hits + 1) / (x.count + 2); };
      while (pooled.size() > 1 && rate(pooled[pooled.size() - 2]) > rate(pooled.back())) {
        Bin last = pooled.back();
        pooled.pop_back();
        pooled.back().raw_sum += last.raw_sum;
        pooled.back().hits += last.hits;
        pooled.back().count += last.count;
      }
    }
    CalibrationCurve curve;
    for (const auto& b : pooled) {
      curve.points.emplace_back(b.raw_sum / b.count, (b.hits + 1) / (b.count + 2));
    }
    if (!curve.points.empty()) out.curves_.emplace(group, std::move(curve));
  }
  return out;
}

Calibration Calibration::from_json(const Poco::JSON::Object::Ptr& obj, const std::string& where) {
  if (core::require_string(obj, "schema", where) != kSchema) {
    throw core::DataError(where + ": schema must be \"" + std::string(kSchema) + "\"");
  }
  Calibration out;
  auto groups = core::require_object(obj, "groups", where);
  for (const auto& name : groups->getNames()) {
    const std::string gw = where + ": group '" + name + "'";
    auto arr = core::require_array(groups, name, where);
    CalibrationCurve curve;
    for (unsigned i = 0; i < arr->size(); ++i) {
      auto point = arr->getArray(i);
      if (point.isNull() || point->size() != 2) throw core::DataError(gw + ": points are [raw, p]");
      const double raw = core::number_at(point, 0, gw);
      const double p = core::number_at(point, 1, gw);
      if (raw < 0 || raw > 1 || p < 0 || p > 1)
        throw core::DataError(gw + ": values lie in [0, 1]");
      if (!curve.points.empty() &&
          (raw <= curve.points.back().first || p < curve.points.back().second)) {
        throw core::DataError(gw + ": raw must ascend and calibrated values must not fall");
      }
      curve.points.emplace_back(raw, p);
    }
    out.curves_.emplace(name, std::move(curve));
  }
  return out;
}

Calibration Calibration::load(const std::filesystem::path& file) {
  return from_json(core::read_json_object(file), file.string());
}

Poco::JSON::Object::Ptr Calibration::to_json() const {
  Poco::JSON::Object::Ptr obj = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  obj->set("schema", std::string(kSchema));
  Poco::JSON::Object::Ptr groups = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, curve] : curves_) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& [raw, p] : curve.points) {
      Poco::JSON::Array::Ptr point = new Poco::JSON::Array;
      // Four decimals keep the file readable; the fit is not that precise anyway.
      point->add(std::round(raw * 1e4) / 1e4);
      point->add(std::round(p * 1e4) / 1e4);
      arr->add(point);
    }
    groups->set(name, arr);
  }
  obj->set("groups", groups);
  return obj;
}

double Calibration::apply(std::string_view group, double raw) const {
  const auto it = curves_.find(group);
  return it == curves_.end() ? raw : it->second.apply(raw);
}

void Calibration::apply(core::PageReading& reading) const {
  if (empty()) return;
  for (auto& [id, field] : reading.fields) {
    field.confidence = apply(calibration_group(id, false, field), field.confidence);
  }
  for (auto& line : reading.lines) {
    for (auto& [column, cell] : line.cells) {
      cell.confidence = apply(calibration_group(column, true, cell), cell.confidence);
    }
  }
}

}  // namespace carescan::extract
