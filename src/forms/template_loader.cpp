#include "forms/template_loader.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/json_util.h"

namespace carescan::forms {
namespace {

using core::DataError;
using Poco::JSON::Array;
using Poco::JSON::Object;

BoxMm parse_box(const Array::Ptr& arr, const std::string& where, double page_w, double page_h) {
  if (arr.isNull() || arr->size() != 4)
    throw DataError(where + ": a box needs [x, y, width, height]");
  BoxMm box{core::number_at(arr, 0, where), core::number_at(arr, 1, where),
            core::number_at(arr, 2, where), core::number_at(arr, 3, where)};
  if (box.w <= 0 || box.h <= 0) throw DataError(where + ": box width and height must be positive");
  if (box.x < 0 || box.y < 0 || box.x + box.w > page_w + 0.01 || box.y + box.h > page_h + 0.01) {
    throw DataError(where + ": box lies outside the page");
  }
  return box;
}

FieldKind parse_kind(const Object::Ptr& obj, const std::string& where) {
  const auto text = core::require_string(obj, "kind", where);
  auto kind = field_kind_from_string(text);
  if (!kind) throw DataError(where + ": unknown kind \"" + text + "\"");
  return *kind;
}

std::vector<TableRow> parse_rows(const Object::Ptr& obj, const std::string& where, double pw,
                                 double ph) {
  std::vector<TableRow> rows;
  auto arr = core::require_array(obj, "rows", where);
  if (arr->size() == 0) throw DataError(where + ": a table needs at least one row");
  for (unsigned r = 0; r < arr->size(); ++r) {
    const std::string rw = where + " row " + std::to_string(r);
    auto row_obj = arr->getObject(r);
    if (row_obj.isNull()) throw DataError(rw + ": must be an object of columns");
    TableRow row;
    for (const auto& column : row_obj->getNames()) {
      const std::string cw = rw + " column '" + column + "'";
      auto cell_obj = row_obj->getObject(column);
      if (cell_obj.isNull()) throw DataError(cw + ": must be an object");
      row.cells.push_back(
          TableCell{column, parse_kind(cell_obj, cw),
                    parse_box(core::require_array(cell_obj, "box_mm", cw), cw, pw, ph)});
    }
    if (row.cell("date") == nullptr || row.cell("amount") == nullptr) {
      throw DataError(rw + ": a table row needs a 'date' and an 'amount' column");
    }
    std::sort(row.cells.begin(), row.cells.end(),
              [](const TableCell& a, const TableCell& b) { return a.box.x < b.box.x; });
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

FormTemplate parse_template(const std::string& json_text, const std::string& source_name) {
  auto root = core::parse_json_object(json_text, source_name);
  FormTemplate t;
  t.form = core::require_string(root, "form", source_name);
  t.version = core::require_string(root, "version", source_name);
  auto page = core::require_array(root, "page_mm", source_name);
  if (page->size() != 2) throw DataError(source_name + ": page_mm needs [width, height]");
  t.page_width_mm = core::number_at(page, 0, source_name + ": page_mm");
  t.page_height_mm = core::number_at(page, 1, source_name + ": page_mm");
  if (t.page_width_mm <= 0 || t.page_height_mm <= 0) {
    throw DataError(source_name + ": page_mm must be positive");
  }
  const double dpi = core::require_number(root, "dpi", source_name);
  if (dpi < 50 || dpi > 1200) throw DataError(source_name + ": dpi must be between 50 and 1200");
  t.dpi = static_cast<int>(dpi);

  auto fields = core::require_array(root, "fields", source_name);
  std::set<std::string> seen;
  for (unsigned i = 0; i < fields->size(); ++i) {
    auto obj = fields->getObject(i);
    if (obj.isNull())
      throw DataError(source_name + ": field " + std::to_string(i) + " is not an object");
    FieldSpec f;
    f.id = core::require_string(obj, "id", source_name + ": field " + std::to_string(i));
    const std::string where = source_name + ": field '" + f.id + "'";
    if (!seen.insert(f.id).second) throw DataError(where + ": id is used twice");
    f.kind = parse_kind(obj, where);
    f.box = parse_box(core::require_array(obj, "box_mm", where), where, t.page_width_mm,
                      t.page_height_mm);
    if (obj->has("cells")) {
      auto cells = core::require_array(obj, "cells", where);
      for (unsigned c = 0; c < cells->size(); ++c) {
        f.cells.push_back(parse_box(cells->getArray(c), where + " cell " + std::to_string(c),
                                    t.page_width_mm, t.page_height_mm));
      }
    }
    if ((f.kind == FieldKind::kCin || f.kind == FieldKind::kDigits) && f.cells.empty()) {
      throw DataError(where + ": a " + std::string(to_string(f.kind)) + " field needs its cells");
    }
    if (f.kind == FieldKind::kDate && f.cells.size() != 8 && !f.cells.empty()) {
      throw DataError(where + ": a comb date needs 8 cells (dd mm yyyy)");
    }
    if (obj->has("group")) f.group = core::require_string(obj, "group", where);
    if (obj->has("decimal_sep")) {
      const auto sep = core::require_string(obj, "decimal_sep", where);
      if (sep.size() != 1) throw DataError(where + ": decimal_sep must be one character");
      f.decimal_separator = sep[0];
      if (f.cells.size() < 3) throw DataError(where + ": an amount with decimal_sep needs cells");
    }
    if (f.kind == FieldKind::kTable) {
      f.header_mm = core::require_number(obj, "header_mm", where);
      f.rows = parse_rows(obj, where, t.page_width_mm, t.page_height_mm);
    }
    t.fields.push_back(std::move(f));
  }
  for (const char* required : {"insured_name", "cin", "signature_date", "total_amount"}) {
    if (t.field(required) == nullptr) {
      throw DataError(source_name + ": the template has no '" + std::string(required) + "' field");
    }
  }
  return t;
}

FormTemplate load_template(const std::filesystem::path& fields_json) {
  std::ifstream in(fields_json, std::ios::binary);
  if (!in) throw DataError(fields_json.string() + ": cannot be opened");
  std::ostringstream buf;
  buf << in.rdbuf();
  FormTemplate t = parse_template(buf.str(), fields_json.filename().string());
  const std::string stem = fields_json.filename().string();
  const std::string expected = t.form + ".fields.json";
  if (stem != expected) {
    throw DataError(fields_json.string() + ": declares form '" + t.form + "' but is named " + stem);
  }
  t.image = fields_json.parent_path() / (t.form + ".png");
  if (!std::filesystem::exists(t.image)) {
    throw DataError(fields_json.string() + ": its reference image " + t.image.string() +
                    " is missing");
  }
  return t;
}

std::vector<FormTemplate> load_templates(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.size() > 12 && name.ends_with(".fields.json")) files.push_back(entry.path());
  }
  if (ec) throw DataError(dir.string() + ": cannot list templates: " + ec.message());
  if (files.empty()) throw DataError(dir.string() + ": no *.fields.json template found");
  std::sort(files.begin(), files.end());
  std::vector<FormTemplate> out;
  out.reserve(files.size());
  for (const auto& f : files) out.push_back(load_template(f));
  return out;
}

}  // namespace carescan::forms
