#include "extract/fields.h"

#include <algorithm>
#include <cctype>

namespace carescan::extract {
namespace {

using forms::FieldKind;
using recognize::Layout;

const std::string kDigits = "0123456789";
const std::string kCapitals = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// A recogniser's figure for a value of the wrong shape says little: the reading is most likely
// wrong, whatever the engine thought of each character.
constexpr double kWrongShape = 0.05;
constexpr double kUnusualShape = 0.3;

bool is_ticked(const core::ReadField& f) {
  return f.value && *f.value == "true";
}

}  // namespace

TextRule text_rule(FieldKind kind, const std::string& name) {
  TextRule rule;
  rule.table_cell = name == "date" || name == "act" || name == "drug" || name == "key_letter" ||
                    name == "code" || name == "coefficient" || name == "quantity" ||
                    name == "tooth" || name == "amount";
  switch (kind) {
    case FieldKind::kPrintedText:
      return {Layout::kLine, kCapitals + kDigits + " ", ValueKind::kSerial, false};
    case FieldKind::kHandwrittenNumber:
      return {Layout::kWord, kDigits, ValueKind::kDigits, rule.table_cell};
    case FieldKind::kDate:
      return {Layout::kLine, kDigits + "/", ValueKind::kDate, rule.table_cell, true};
    case FieldKind::kAmount:
      return {Layout::kLine, kDigits + ",. ", ValueKind::kMoney, rule.table_cell, true};
    case FieldKind::kDigits:
      return {Layout::kWord, kDigits, ValueKind::kDigits, rule.table_cell};
    case FieldKind::kCin:
      return {Layout::kWord, kCapitals + kDigits, ValueKind::kCin, false};
    default:
      break;
  }
  // Providers write acts, drugs and key letters in capitals (CONSULTATION, DOLIPRANE 1G, CS).
  if (name == "key_letter" || name == "code") {
    return {Layout::kWord, kCapitals, ValueKind::kCode, true};
  }
  if (name == "act" || name == "drug") {
    return {Layout::kLine, kCapitals + kDigits + " -'./%", ValueKind::kText, true, true};
  }
  return {Layout::kLine, kCapitals + " -'", ValueKind::kCapitals, false, true};
}

CombRule comb_rule(const forms::FieldSpec& spec) {
  CombRule rule;
  rule.text = text_rule(spec.kind, spec.id);
  rule.value = rule.text.value;
  for (std::size_t i = 0; i < spec.cells.size(); ++i) {
    if (spec.kind == FieldKind::kCin) {
      // One or two letters, then digits: the second cell may be either.
      rule.allowed.push_back(i == 0 ? kCapitals : i == 1 ? kCapitals + kDigits : kDigits);
    } else {
      rule.allowed.push_back(kDigits);
    }
  }
  return rule;
}

recognize::Content content_of(const TextRule& rule, const std::string& name) {
  using recognize::Content;
  switch (rule.value) {
    case ValueKind::kCapitals:
      if (name == "insured_name") return Content::kName;
      return name == "institution" || name == "signature_place" ? Content::kPlace : Content::kText;
    case ValueKind::kText:
      return contract_column(name) == "description" ? Content::kCare : Content::kText;
    case ValueKind::kSerial:
      return Content::kText;
    case ValueKind::kCode:
      return Content::kCode;
    case ValueKind::kDigits:
      return Content::kDigits;
    case ValueKind::kDate:
      return Content::kDate;
    case ValueKind::kMoney:
      return Content::kAmount;
    case ValueKind::kCin:
      return Content::kCin;
  }
  return Content::kAny;
}

std::string comb_text(const forms::FieldSpec& spec, const CombReading& reading) {
  if (spec.kind != FieldKind::kAmount || spec.decimal_separator == 0) return reading.text();
  // The printed separator stands before the last two cells (centimes).
  const std::size_t split = reading.cells.size() >= 2 ? reading.cells.size() - 2 : 0;
  std::string whole;
  std::string cents;
  for (std::size_t i = 0; i < reading.cells.size(); ++i) {
    (i < split ? whole : cents) += reading.cells[i].text;
  }
  if (whole.empty()) whole = "0";
  while (cents.size() < 2) cents.push_back('0');
  return whole + "," + cents;
}

bool is_stray_figure(const std::string& text, double raw_confidence, const TextRule& rule,
                     double min_confidence) {
  return rule.value == ValueKind::kMoney && !rule.table_cell && text.size() == 1 &&
         raw_confidence < min_confidence;
}

bool is_no_place(const std::string& text) {
  constexpr int kShortestPlace = 3;
  return std::count_if(text.begin(), text.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c)) != 0;
         }) < kShortestPlace;
}

double scored(double recognizer_confidence, const Normalized& value, const TextRule& rule) {
  double confidence = std::clamp(recognizer_confidence, 0.0, 1.0);
  if (!value.value) return confidence * kWrongShape;
  if (!value.valid) {
    const bool shape_matters = rule.value == ValueKind::kCin || rule.value == ValueKind::kSerial ||
                               rule.value == ValueKind::kMoney;
    confidence *= shape_matters ? kUnusualShape : kWrongShape;
  }
  return confidence;
}

std::string contract_column(const std::string& column) {
  if (column == "act" || column == "drug") return "description";
  if (column == "key_letter") return "code";
  return column;
}

std::string checkbox_group(const forms::FieldSpec& spec) {
  if (!spec.group.empty()) return spec.group;
  if (spec.id.rfind("tooth_", 0) == 0) return "teeth";
  return "";
}

core::ReadField resolve_group(const std::string& group,
                              const std::vector<std::pair<std::string, core::ReadField>>& members) {
  core::ReadField out;
  out.source = core::Source::kDetector;
  out.confidence = 1.0;
  std::vector<std::string> ticked;
  for (const auto& [id, field] : members) {
    out.confidence = std::min(out.confidence, field.confidence);
    if (is_ticked(field)) ticked.push_back(id.substr(std::min(id.size(), group.size() + 1)));
    if (field.box && !out.box) out.box = field.box;
  }
  if (group == "teeth") {
    std::sort(ticked.begin(), ticked.end());
    std::string list;
    for (const auto& t : ticked) list += (list.empty() ? "" : ",") + t;
    if (!list.empty()) out.value = list;
    return out;
  }
  if (ticked.size() > 1) {
    // Both boxes of an either/or question ticked: the writer changed their mind.
    out.confidence = std::min(out.confidence, 0.3);
    return out;
  }
  if (ticked.empty()) return out;
  std::string answer = ticked.front();
  if (answer == "yes" || answer == "no") {
    out.boolean = true;
    out.value = answer == "yes" ? "true" : "false";
    return out;
  }
  for (char& c : answer) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out.value = answer;
  return out;
}

}  // namespace carescan::extract
