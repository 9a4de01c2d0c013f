#include "extract/arithmetic.h"

#include <gtest/gtest.h>

namespace carescan::extract {
namespace {

core::ReadField amount(const char* value) {
  core::ReadField f;
  if (value != nullptr) f.value = value;
  return f;
}

core::ReadLine row(const char* table, const char* value) {
  core::ReadLine line;
  line.table = table;
  line.cells["amount"] = amount(value);
  line.cells["date"] = amount("2025-03-12");
  return line;
}

struct Sheet {
  std::map<std::string, core::ReadField> fields;
  std::vector<core::ReadLine> lines;
};

// An ambulatory sheet: two medical acts (150 + 80), one drug (42.50), section totals and the
// declared total as written.
Sheet ambulatory(const char* medical_total, const char* pharmacy_total, const char* declared) {
  Sheet s;
  s.lines = {row("medical_acts", "150.00"), row("medical_acts", "80.00"),
             row("pharmacy_items", "42.50")};
  s.fields["medical_total"] = amount(medical_total);
  s.fields["pharmacy_total"] = amount(pharmacy_total);
  s.fields["total_amount"] = amount(declared);
  return s;
}

TEST(CorroborateSums, EverythingThatAddsUpIsMarked) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  corroborate_sums(s.fields, s.lines);
  for (const auto& [id, f] : s.fields) EXPECT_TRUE(f.corroborated) << id;
  for (const auto& line : s.lines) {
    EXPECT_TRUE(line.cells.at("amount").corroborated);
    EXPECT_FALSE(line.cells.at("date").corroborated);
  }
}

TEST(CorroborateSums, AMisreadRowLeavesItsSectionUnmarkedButNotTheOther) {
  Sheet s = ambulatory("230.00", "42.50", "272.50");
  s.lines[1].cells["amount"] = amount("86.00");
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.lines[0].cells.at("amount").corroborated);
  EXPECT_FALSE(s.lines[1].cells.at("amount").corroborated);
  EXPECT_TRUE(s.lines[2].cells.at("amount").corroborated);
  // The totals still agree with each other: the declared total and both section totals.
  EXPECT_TRUE(s.fields.at("total_amount").corroborated);
  EXPECT_TRUE(s.fields.at("medical_total").corroborated);
}

TEST(CorroborateSums, AMisreadDeclaredTotalIsNotMarked) {
  Sheet s = ambulatory("230.00", "42.50", "212.50");
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.fields.at("total_amount").corroborated);
  EXPECT_TRUE(s.fields.at("medical_total").corroborated);  // its rows add up
}

TEST(CorroborateSums, ABlankSectionTotalCountsItsRows) {
  Sheet s = ambulatory(nullptr, "42.50", "272.50");
  corroborate_sums(s.fields, s.lines);
  EXPECT_TRUE(s.fields.at("total_amount").corroborated);
  EXPECT_TRUE(s.lines[0].cells.at("amount").corroborated);
}

TEST(CorroborateSums, AnUnreadAmountProvesNothing) {
  Sheet s = ambulatory(nullptr, "42.50", "272.50");
  s.lines[0].cells["amount"] = amount(nullptr);
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.fields.at("total_amount").corroborated);
  EXPECT_FALSE(s.lines[1].cells.at("amount").corroborated);
  // The pharmacy section still adds up on its own.
  EXPECT_TRUE(s.fields.at("pharmacy_total").corroborated);
}

TEST(CorroborateSums, NoRowsAndNoSectionsProveNothing) {
  Sheet s;
  s.fields["total_amount"] = amount("0.00");
  corroborate_sums(s.fields, s.lines);
  EXPECT_FALSE(s.fields.at("total_amount").corroborated);
}

}  // namespace
}  // namespace carescan::extract
