#include "forms/template.h"

#include <array>
#include <utility>

namespace carescan::forms {
namespace {

constexpr std::array<std::pair<FieldKind, std::string_view>, 12> kKindNames = {{
    {FieldKind::kPrintedText, "printed_text"},
    {FieldKind::kHandwrittenText, "handwritten_text"},
    {FieldKind::kHandwrittenNumber, "handwritten_number"},
    {FieldKind::kCin, "cin"},
    {FieldKind::kDate, "date"},
    {FieldKind::kDigits, "digits"},
    {FieldKind::kAmount, "amount"},
    {FieldKind::kTable, "table"},
    {FieldKind::kCheckbox, "checkbox"},
    {FieldKind::kSignature, "signature"},
    {FieldKind::kStampSignature, "stamp_signature"},
    {FieldKind::kVignetteArea, "vignette_area"},
}};

}  // namespace

std::string_view to_string(FieldKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<FieldKind> field_kind_from_string(std::string_view text) {
  for (const auto& [k, name] : kKindNames) {
    if (name == text) return k;
  }
  return std::nullopt;
}

const TableCell* TableRow::cell(std::string_view column) const {
  for (const auto& c : cells) {
    if (c.column == column) return &c;
  }
  return nullptr;
}

const FieldSpec* FormTemplate::field(std::string_view id) const {
  for (const auto& f : fields) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::vector<const FieldSpec*> FormTemplate::tables() const {
  std::vector<const FieldSpec*> out;
  for (const auto& f : fields) {
    if (f.kind == FieldKind::kTable) out.push_back(&f);
  }
  return out;
}

}  // namespace carescan::forms
