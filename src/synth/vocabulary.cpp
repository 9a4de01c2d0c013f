#include "synth/vocabulary.h"

#include <algorithm>

#include "core/json_util.h"

namespace carescan::synth {
namespace {

using core::DataError;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::vector<std::string> strings(const Object::Ptr& obj, const std::string& key,
                                 const std::string& where) {
  const Array::Ptr arr = core::require_array(obj, key, where);
  std::vector<std::string> out;
  for (unsigned i = 0; i < arr->size(); ++i) {
    const auto value = arr->get(i);
    if (!value.isString()) throw DataError(where + ": " + key + " must hold strings only");
    out.push_back(value.toString());
  }
  if (out.empty()) throw DataError(where + ": " + key + " must not be empty");
  return out;
}

std::pair<double, double> range(const Object::Ptr& obj, const std::string& key,
                                const std::string& where) {
  const Array::Ptr arr = core::require_array(obj, key, where);
  if (arr->size() != 2) throw DataError(where + ": " + key + " must be [min, max]");
  const double lo = core::number_at(arr, 0, where), hi = core::number_at(arr, 1, where);
  if (lo > hi || lo < 0)
    throw DataError(where + ": " + key + " must be [min, max] with min <= max");
  return {lo, hi};
}

std::vector<ActSpec> acts(const Object::Ptr& obj, const std::string& key,
                          const std::string& where) {
  const Array::Ptr arr = core::require_array(obj, key, where);
  std::vector<ActSpec> out;
  for (unsigned i = 0; i < arr->size(); ++i) {
    const std::string w = where + ": " + key + "[" + std::to_string(i) + "]";
    const Object::Ptr a = arr->getObject(i);
    if (a.isNull()) throw DataError(w + ": must be an object");
    ActSpec spec;
    spec.description = core::require_string(a, "description", w);
    spec.code = a->has("code") ? core::require_string(a, "code", w) : "";
    if (a->has("coefficient")) {
      const auto [lo, hi] = range(a, "coefficient", w);
      spec.coefficient_min = static_cast<int>(lo);
      spec.coefficient_max = static_cast<int>(hi);
    }
    spec.unit_dh = a->has("unit_dh") ? core::require_number(a, "unit_dh", w) : 0;
    const auto [lo, hi] = range(a, "amount_dh", w);
    spec.amount_min_dh = static_cast<int>(lo);
    spec.amount_max_dh = static_cast<int>(hi);
    spec.weight = a->has("weight") ? static_cast<int>(core::require_number(a, "weight", w)) : 1;
    spec.prosthesis = a->has("prosthesis") && a->getValue<bool>("prosthesis");
    out.push_back(std::move(spec));
  }
  if (out.empty()) throw DataError(where + ": " + key + " must not be empty");
  return out;
}

}  // namespace

Vocabulary load_vocabulary(const std::filesystem::path& file) {
  const Object::Ptr obj = core::read_json_object(file);
  const std::string where = file.filename().string();
  Vocabulary v;
  const Object::Ptr dates = core::require_object(obj, "care_dates", where);
  auto date = [&](const std::string& key) {
    const auto text = core::require_string(dates, key, where + ": care_dates");
    const auto parsed = core::parse_iso_date(text);
    if (!parsed) throw DataError(where + ": care_dates: " + key + " is not an ISO date");
    return *parsed;
  };
  v.first_day = date("from");
  v.last_day = date("to");
  if (v.last_day.days_since_epoch() - v.first_day.days_since_epoch() < 60) {
    throw DataError(where + ": care_dates must span at least 60 days");
  }
  v.defect_rate = core::require_number(obj, "defect_rate", where);
  if (v.defect_rate < 0 || v.defect_rate > 1)
    throw DataError(where + ": defect_rate must be in [0, 1]");
  v.last_names = strings(obj, "last_names", where);
  v.first_names_male = strings(obj, "first_names_male", where);
  v.first_names_female = strings(obj, "first_names_female", where);
  v.cin_prefixes = strings(obj, "cin_prefixes", where);
  v.cities = strings(obj, "cities", where);
  v.institution_patterns = strings(obj, "institution_patterns", where);
  v.pharmacy_names = strings(obj, "pharmacy_names", where);
  v.doctor_titles = strings(obj, "doctor_titles", where);
  v.letter_paragraphs = strings(obj, "letter_paragraphs", where);
  for (const auto& prefix : v.cin_prefixes) {
    const bool capitals =
        !prefix.empty() && prefix.size() <= 2 &&
        std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!capitals)
      throw DataError(where + ": cin_prefixes: \"" + prefix + "\" is not 1-2 capitals");
  }
  v.medical_acts = acts(obj, "medical_acts", where);
  v.dental_acts = acts(obj, "dental_acts", where);
  v.other_acts = acts(obj, "other_acts", where);
  v.dental_imaging = acts(obj, "dental_imaging", where);

  const Array::Ptr drugs = core::require_array(obj, "drugs", where);
  for (unsigned i = 0; i < drugs->size(); ++i) {
    const std::string w = where + ": drugs[" + std::to_string(i) + "]";
    const Object::Ptr d = drugs->getObject(i);
    if (d.isNull()) throw DataError(w + ": must be an object");
    const auto [lo, hi] = range(d, "unit_dh", w);
    v.drugs.push_back(
        {core::require_string(d, "description", w), static_cast<int>(lo), static_cast<int>(hi)});
  }
  if (v.drugs.empty()) throw DataError(where + ": drugs must not be empty");

  const Array::Ptr forms = core::require_array(obj, "unrelated_forms", where);
  for (unsigned i = 0; i < forms->size(); ++i) {
    const std::string w = where + ": unrelated_forms[" + std::to_string(i) + "]";
    const Object::Ptr f = forms->getObject(i);
    if (f.isNull()) throw DataError(w + ": must be an object");
    v.unrelated_forms.push_back({core::require_string(f, "title", w), strings(f, "labels", w)});
  }
  if (v.unrelated_forms.empty()) throw DataError(where + ": unrelated_forms must not be empty");
  return v;
}

}  // namespace carescan::synth
