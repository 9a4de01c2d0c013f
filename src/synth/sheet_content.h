#pragma once
// What is written on one care sheet, drawn from an Rng: the value the truth records and the
// filler draws. Handwriting details (hands, slips of the pen) are the filler's.

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "forms/template.h"
#include "synth/rng.h"
#include "synth/vocabulary.h"

namespace carescan::synth {

// One filled table row.
struct ContentLine {
  std::string table;  // "medical_acts", "pharmacy_items", "dental_acts", "other_acts"
  int row = 0;        // the printed row used, 0-based
  core::Date date;
  bool short_year = false;  // written dd/mm/yy
  std::string description;
  std::optional<std::string> code;
  std::optional<int> coefficient;
  std::optional<int> quantity;
  std::optional<int> tooth;
  core::Money amount;
  bool write_cents = true;                // "150,00" rather than "150"
  bool group_thousands = true;            // "1 250,00" rather than "1250,00"
  std::optional<core::Money> unit_price;  // drugs: the vignette's PPV
};

// A provider as their stamp shows them.
struct Provider {
  std::string inpe;                      // 9 digits
  std::vector<std::string> stamp_lines;  // first line is the name or the practice
};

struct SheetContent {
  std::string form;          // "ambulatoire", "ald", "dentaire"
  std::string sheet_number;  // "A 1234567", as printed
  std::string insured_name;  // "EL AMRANI YOUSSEF"
  std::string cin;
  std::optional<core::Date> birth_date;
  std::optional<char> sex;  // 'M', 'F'
  std::optional<std::string> institution;
  std::optional<std::string> signature_place;
  core::Date signature_date;
  bool insured_signature = true;
  std::optional<core::Money> total_amount;  // declared, as written
  std::optional<core::Money> medical_total, pharmacy_total, dental_total;
  std::optional<std::string> ald_code;    // 2 digits
  std::optional<std::string> pec_number;  // 10 digits
  std::optional<bool> ald_related;
  std::optional<bool> prosthesis_quote;
  std::vector<int> teeth;            // ticked, ascending
  std::vector<ContentLine> lines;    // tables in template order, rows top to bottom
  std::vector<std::string> defects;  // deliberate inconsistencies, e.g. "total_mismatch"

  Provider doctor;  // medical_acts (or dental_acts: the dentist)
  Provider pharmacist;
  Provider lab;  // other_acts
  [[nodiscard]] bool has_table(const std::string& table) const;
};

// The section total box of a table ("medical_total"), empty for other_acts.
[[nodiscard]] std::string section_total_field(const std::string& table);

// Content for a blank `tpl`; the same rng state gives the same content.
SheetContent generate_content(const forms::FormTemplate& tpl, const Vocabulary& vocabulary,
                              Rng& rng);

}  // namespace carescan::synth
