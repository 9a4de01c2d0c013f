#pragma once
// What the generator fills sheets with: names, CIN prefixes, places, acts, drugs and fees,
// from config/samples/vocabulary.json (synthetic material, no real person).

#include <filesystem>
#include <string>
#include <vector>

#include "core/date.h"

namespace carescan::synth {

struct ActSpec {
  std::string description;  // as a provider writes it, capitals
  std::string code;         // key letter or dental code; empty for analyses and imaging
  int coefficient_min = 1;
  int coefficient_max = 1;
  double unit_dh = 0;  // value of one coefficient unit; 0: fee drawn from the range
  int amount_min_dh = 0;
  int amount_max_dh = 0;
  int weight = 1;  // how often, relative to the other acts
  bool prosthesis = false;
};

struct DrugSpec {
  std::string description;
  int unit_min_dh = 0;
  int unit_max_dh = 0;
};

struct UnrelatedFormSpec {
  std::string title;
  std::vector<std::string> labels;
};

struct Vocabulary {
  core::Date first_day;  // care and signature dates lie in [first_day, last_day]
  core::Date last_day;
  double defect_rate = 0.03;  // share of sheets with a deliberate inconsistency
  std::vector<std::string> last_names;
  std::vector<std::string> first_names_male;
  std::vector<std::string> first_names_female;
  std::vector<std::string> cin_prefixes;
  std::vector<std::string> cities;
  std::vector<std::string> institution_patterns;  // "{city}" stands for the city
  std::vector<std::string> pharmacy_names;
  std::vector<std::string> doctor_titles;
  std::vector<std::string> letter_paragraphs;
  std::vector<ActSpec> medical_acts;
  std::vector<ActSpec> dental_acts;
  std::vector<ActSpec> other_acts;      // analyses and imaging beside a doctor's acts
  std::vector<ActSpec> dental_imaging;  // the dental sheet's radiographs
  std::vector<DrugSpec> drugs;
  std::vector<UnrelatedFormSpec> unrelated_forms;
};

// Throws core::DataError naming the file and the key that is missing or wrong.
Vocabulary load_vocabulary(const std::filesystem::path& file);

}  // namespace carescan::synth
