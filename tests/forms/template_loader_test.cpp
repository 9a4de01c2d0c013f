#include "forms/template_loader.h"

#include <gtest/gtest.h>

#include "core/json_util.h"

using carescan::core::DataError;
using carescan::forms::FieldKind;
using carescan::forms::load_templates;
using carescan::forms::parse_template;

namespace {

const std::filesystem::path kFormsDir =
    std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config" / "forms";

std::string error_of(const std::string& json) {
  try {
    parse_template(json, "test.fields.json");
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

const std::string kMinimalFields = R"(
  {"id": "insured_name", "kind": "handwritten_text", "box_mm": [40, 53, 130, 7]},
  {"id": "cin", "kind": "cin", "box_mm": [64, 63, 10, 6], "cells": [[64, 63, 5, 6], [69, 63, 5, 6]]},
  {"id": "signature_date", "kind": "date", "box_mm": [67, 273, 46, 6]},
  {"id": "total_amount", "kind": "amount", "box_mm": [66, 263, 48, 7]})";

std::string form_with(const std::string& extra_field) {
  return R"({"form": "test", "version": "1", "page_mm": [210, 297], "dpi": 300, "fields": [)" +
         kMinimalFields + (extra_field.empty() ? "" : ", " + extra_field) + "]}";
}

}  // namespace

TEST(TemplateLoader, LoadsTheThreeReferenceSheets) {
  const auto templates = load_templates(kFormsDir);
  ASSERT_EQ(templates.size(), 3u);
  EXPECT_EQ(templates[0].form, "ald");
  EXPECT_EQ(templates[1].form, "ambulatoire");
  EXPECT_EQ(templates[2].form, "dentaire");
  for (const auto& t : templates) {
    EXPECT_TRUE(std::filesystem::exists(t.image));
    EXPECT_EQ(t.dpi, 300);
    ASSERT_NE(t.field("cin"), nullptr);
    EXPECT_EQ(t.field("cin")->kind, FieldKind::kCin);
    EXPECT_EQ(t.field("cin")->cells.size(), 8u);
    EXPECT_EQ(t.field("total_amount")->decimal_separator, ',');
    EXPECT_EQ(t.field("total_amount")->cells.size(), 9u);
    EXPECT_FALSE(t.tables().empty());
  }
}

TEST(TemplateLoader, KeepsTableColumnsInPrintedOrder) {
  const auto templates = load_templates(kFormsDir);
  const auto* table = templates[1].field("medical_acts");
  ASSERT_NE(table, nullptr);
  ASSERT_EQ(table->rows.size(), 4u);
  const auto& cells = table->rows[0].cells;
  ASSERT_EQ(cells.size(), 5u);
  EXPECT_EQ(cells.front().column, "date");
  EXPECT_EQ(cells.back().column, "amount");
  EXPECT_EQ(table->rows[0].cell("amount")->kind, FieldKind::kAmount);
  EXPECT_EQ(templates[2].field("dental_acts")->rows.size(), 7u);
}

TEST(TemplateLoader, AcceptsAMinimalTemplate) {
  EXPECT_EQ(error_of(form_with("")), "");
}

TEST(TemplateLoader, RejectsMalformedJson) {
  EXPECT_NE(error_of("{\"form\": ").find("not valid JSON"), std::string::npos);
}

TEST(TemplateLoader, RejectsAnUnknownKind) {
  const auto e = error_of(form_with(R"({"id": "x", "kind": "hologram", "box_mm": [1, 1, 1, 1]})"));
  EXPECT_NE(e.find("field 'x'"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown kind \"hologram\""), std::string::npos) << e;
}

TEST(TemplateLoader, RejectsABoxOutsideThePage) {
  const auto e =
      error_of(form_with(R"({"id": "x", "kind": "checkbox", "box_mm": [200, 1, 20, 5]})"));
  EXPECT_NE(e.find("outside the page"), std::string::npos) << e;
}

TEST(TemplateLoader, RejectsADuplicateId) {
  const auto e =
      error_of(form_with(R"({"id": "cin", "kind": "checkbox", "box_mm": [1, 1, 1, 1]})"));
  EXPECT_NE(e.find("used twice"), std::string::npos) << e;
}

TEST(TemplateLoader, RejectsAMissingKeyField) {
  const auto e =
      error_of(R"({"form": "t", "version": "1", "page_mm": [210, 297], "dpi": 300, "fields": []})");
  EXPECT_NE(e.find("no 'insured_name' field"), std::string::npos) << e;
}

TEST(TemplateLoader, RejectsATableRowWithoutAmount) {
  const auto e = error_of(form_with(
      R"({"id": "t", "kind": "table", "box_mm": [10, 90, 100, 30], "header_mm": 9,
          "rows": [{"date": {"kind": "date", "box_mm": [10, 99, 20, 7]}}]})"));
  EXPECT_NE(e.find("'amount' column"), std::string::npos) << e;
}

TEST(TemplateLoader, RejectsACombDateWithoutEightCells) {
  const auto e = error_of(form_with(
      R"({"id": "d", "kind": "date", "box_mm": [10, 10, 20, 7], "cells": [[10, 10, 5, 7]]})"));
  EXPECT_NE(e.find("8 cells"), std::string::npos) << e;
}

TEST(TemplateLoader, RejectsAMissingDirectory) {
  EXPECT_THROW(load_templates("/nonexistent/forms"), DataError);
}
