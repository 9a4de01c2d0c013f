#pragma once
// Per-field reading rules: which characters, which layout, which value shape, how sure to be.

#include <string>
#include <utility>
#include <vector>

#include "core/reading.h"
#include "extract/comb.h"
#include "extract/normalize.h"
#include "forms/template.h"
#include "recognize/recognizer.h"

namespace carescan::extract {

struct TextRule {
  recognize::Layout layout = recognize::Layout::kLine;
  std::string allowed;
  ValueKind value = ValueKind::kText;
  bool table_cell = false;   // neighbours sit right beside it: read no margin sideways
  bool cross_check = false;  // a key field: read twice, lower the confidence on disagreement
};

struct CombRule {
  std::vector<std::string> allowed;  // per cell
  ValueKind value = ValueKind::kDigits;
  TextRule text;
};

// A free (non-comb) field or table cell: `name` is the field id or the table column.
TextRule text_rule(forms::FieldKind kind, const std::string& name);
CombRule comb_rule(const forms::FieldSpec& spec);

// What a recogniser is told the value is: `name` as in text_rule (the insured's name reads as a
// name, the institution and the place of signature as places).
recognize::Content content_of(const TextRule& rule, const std::string& name);

// The comb's characters as the value's parser expects them: amounts get their decimal separator
// back, right-aligned integer part and all.
std::string comb_text(const forms::FieldSpec& spec, const CombReading& reading);

// A lone figure read unsure (raw confidence under `min_confidence`) on a total's line: what a
// grammar-bound recogniser makes of a stamp's edge or a guide line's remains in a blank box (seen
// in empty section totals as 0, 1, 2, 4 or 7 at raw 0.1 to 0.3, each an error-level sum finding).
// Nobody writes a section total as one figure; table cells have their own rule (row amounts).
bool is_stray_figure(const std::string& text, double raw_confidence, const TextRule& rule,
                     double min_confidence);

// A place or an institution of fewer than three letters: no town or higher-education
// abbreviation is that short (FES, FST, ENS are the shortest). What a line recogniser makes of a
// stray mark on a blank line (a flourish, what is left of the printed "Fait à"): ET, S, D.
bool is_no_place(const std::string& text);

// A recogniser's confidence, lowered when the value does not have its expected shape.
double scored(double recognizer_confidence, const Normalized& value, const TextRule& rule);

// The claim contract's name for a table column: act/drug -> description, key_letter -> code.
std::string contract_column(const std::string& column);

// The field a checkbox answers together with others ("sex", "teeth"); "" when it stands alone.
std::string checkbox_group(const forms::FieldSpec& spec);

// One value for a group of tick boxes: sex "M"/"F", yes/no groups as a boolean, teeth as the
// sorted ticked numbers "11,36".
core::ReadField resolve_group(const std::string& group,
                              const std::vector<std::pair<std::string, core::ReadField>>& members);

}  // namespace carescan::extract
