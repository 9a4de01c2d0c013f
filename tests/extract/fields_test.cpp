#include "extract/fields.h"

#include <gtest/gtest.h>

namespace carescan::extract {
namespace {

using recognize::Content;

// The recogniser is told what a free line holds: the name and the places each have their own
// word list, any other line is plain text.
TEST(Fields, NameAndPlacesAreToldApartFromOtherFreeText) {
  const auto content = [](const std::string& id) {
    return content_of(text_rule(forms::FieldKind::kHandwrittenText, id), id);
  };
  EXPECT_EQ(content("insured_name"), Content::kName);
  EXPECT_EQ(content("institution"), Content::kPlace);
  EXPECT_EQ(content("signature_place"), Content::kPlace);
  EXPECT_EQ(content("act"), Content::kText);
}

}  // namespace
}  // namespace carescan::extract
