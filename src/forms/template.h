#pragma once
// A care-sheet template: the printed form's field map, in millimetres from the page's top-left.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carescan::forms {

enum class FieldKind {
  kPrintedText,        // the sheet's pre-printed serial number
  kHandwrittenText,    // a free line: names in capitals, institution, place
  kHandwrittenNumber,  // a free number in a table cell: quantity, coefficient, tooth
  kCin,                // comb boxes, one character per cell
  kDate,               // comb boxes dd mm yyyy, or a free date in a table cell
  kDigits,             // comb boxes of digits: INPE, ALD code, prise-en-charge number
  kAmount,             // comb boxes with a printed decimal separator, or a free amount
  kTable,
  kCheckbox,
  kSignature,
  kStampSignature,
  kVignetteArea,
};

[[nodiscard]] std::string_view to_string(FieldKind kind);
[[nodiscard]] std::optional<FieldKind> field_kind_from_string(std::string_view text);

struct BoxMm {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
};

struct TableCell {
  std::string column;  // "date", "act", "drug", "amount", ...
  FieldKind kind = FieldKind::kHandwrittenText;
  BoxMm box;
};

struct TableRow {
  std::vector<TableCell> cells;  // in the order the columns are printed, left to right
  [[nodiscard]] const TableCell* cell(std::string_view column) const;
};

struct FieldSpec {
  std::string id;
  FieldKind kind = FieldKind::kHandwrittenText;
  BoxMm box;
  std::vector<BoxMm> cells;    // comb boxes, left to right; empty for free fields
  std::string group;           // checkbox group ("sex"), empty when none
  char decimal_separator = 0;  // amounts in comb boxes: the printed separator between cells
  double header_mm = 0;        // tables: height of the printed header row
  std::vector<TableRow> rows;  // tables only

  [[nodiscard]] bool is_comb() const { return !cells.empty(); }
};

struct FormTemplate {
  std::string form;     // "ambulatoire", "ald", "dentaire"
  std::string version;  // of the printed model, "2024-01"
  double page_width_mm = 0;
  double page_height_mm = 0;
  int dpi = 0;                  // of the reference image
  std::filesystem::path image;  // the blank reference sheet, grey, at `dpi`
  std::vector<FieldSpec> fields;

  [[nodiscard]] const FieldSpec* field(std::string_view id) const;
  [[nodiscard]] std::vector<const FieldSpec*> tables() const;
  // Millimetres to pixels of an image of this page at `dpi`.
  [[nodiscard]] static double mm_to_px(double mm, double dpi) { return mm * dpi / 25.4; }
};

}  // namespace carescan::forms
