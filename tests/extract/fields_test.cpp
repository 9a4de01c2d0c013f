#include "extract/fields.h"

#include <gtest/gtest.h>

namespace carescan::extract {
namespace {

using recognize::Content;

// The recogniser is told what a free line holds: the name, the places and a table's acts and
// medicines each have their own word list, any other line is plain text.
TEST(Fields, NameAndPlacesAreToldApartFromOtherFreeText) {
  const auto content = [](const std::string& id) {
    return content_of(text_rule(forms::FieldKind::kHandwrittenText, id), id);
  };
  EXPECT_EQ(content("insured_name"), Content::kName);
  EXPECT_EQ(content("institution"), Content::kPlace);
  EXPECT_EQ(content("signature_place"), Content::kPlace);
  EXPECT_EQ(content("act"), Content::kCare);
  EXPECT_EQ(content("drug"), Content::kCare);
  EXPECT_EQ(content("coefficient"), Content::kText);
}

TEST(StrayFigure, IsALoneUnsureFigureOnATotalsLineOnly) {
  const TextRule total = text_rule(forms::FieldKind::kAmount, "pharmacy_total");
  EXPECT_TRUE(is_stray_figure("2", 0.1, total, 0.5));
  EXPECT_FALSE(is_stray_figure("2", 0.9, total, 0.5));      // read sure: kept
  EXPECT_FALSE(is_stray_figure("25,00", 0.1, total, 0.5));  // an amount, however unsure
  const TextRule cell = text_rule(forms::FieldKind::kAmount, "amount");
  EXPECT_FALSE(is_stray_figure("2", 0.1, cell, 0.5));  // table rows have their own rule
  const TextRule digits = text_rule(forms::FieldKind::kHandwrittenNumber, "quantity");
  EXPECT_FALSE(is_stray_figure("2", 0.1, digits, 0.5));
}

TEST(Fields, APlaceOfFewerThanThreeLettersIsAStrayMark) {
  EXPECT_TRUE(is_no_place("ET"));
  EXPECT_TRUE(is_no_place("S"));
  EXPECT_TRUE(is_no_place("D ."));
  EXPECT_FALSE(is_no_place("FES"));
  EXPECT_FALSE(is_no_place("FST SETTAT"));
}

}  // namespace
}  // namespace carescan::extract
