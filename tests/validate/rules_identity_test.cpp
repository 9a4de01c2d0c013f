#include <gtest/gtest.h>

#include "validate/reading_builder.h"
#include "validate/validate.h"

namespace carescan::validate {
namespace {

using testing::field;
using testing::with_rule;

class IdentityRules : public testing::RuleTest {};

TEST_F(IdentityRules, AcceptsAWellFormedSheetWithoutFindings) {
  const auto findings = run();
  for (const auto& f : findings) ADD_FAILURE() << f.rule << ": " << f.message;
}

TEST_F(IdentityRules, RequiresNameCinSignatureDateAndTotal) {
  for (const std::string id : {"insured_name", "cin", "signature_date", "total_amount"}) {
    reading = testing::good_reading();
    reading.fields[id] = testing::blank();
    const auto found = with_rule(run(), "required_fields_present");
    ASSERT_EQ(found.size(), 1U) << id;
    EXPECT_EQ(found[0].severity, core::Severity::kError);
    EXPECT_EQ(found[0].fields, std::vector<std::string>{id});
  }
}

TEST_F(IdentityRules, TreatsAMissingFieldLikeABlankOne) {
  reading.fields.erase("cin");
  EXPECT_EQ(with_rule(run(), "required_fields_present").size(), 1U);
  EXPECT_TRUE(with_rule(run(), "cin_format").empty());
}

TEST_F(IdentityRules, RejectsACinThatIsNotLettersThenDigits) {
  reading.fields["cin"] = field("12BE3456");
  const auto found = with_rule(run(), "cin_format");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kError);
  EXPECT_EQ(found[0].message.find("12BE3456"), std::string::npos);
}

TEST_F(IdentityRules, WarnsOnUnusualCinShape) {
  reading.fields["cin"] = field("BEK1234");
  EXPECT_TRUE(with_rule(run(), "cin_format").empty());
  const auto found = with_rule(run(), "cin_unusual_shape");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kWarning);
  EXPECT_EQ(found[0].message.find("BEK1234"), std::string::npos);
}

TEST_F(IdentityRules, AcceptsStrictCinShapes) {
  for (const char* cin : {"A12345", "BE123456", "J654321"}) {
    reading.fields["cin"] = field(cin);
    EXPECT_TRUE(with_rule(run(), "cin_format").empty()) << cin;
    EXPECT_TRUE(with_rule(run(), "cin_unusual_shape").empty()) << cin;
  }
}

TEST_F(IdentityRules, RejectsAnUnsignedSheet) {
  auto unsigned_box = field("false");
  unsigned_box.boolean = true;
  reading.fields["insured_signature"] = unsigned_box;
  const auto found = with_rule(run(), "signature_present");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].fields, std::vector<std::string>{"insured_signature"});
}

TEST_F(IdentityRules, SkipsSignatureRuleWhenTheBoxWasNotRead) {
  reading.fields["insured_signature"] = testing::blank();
  EXPECT_TRUE(with_rule(run(), "signature_present").empty());
}

TEST_F(IdentityRules, RejectsAnInsuredOlderThanTheLimitOnTheCareDate) {
  reading.fields["birth_date"] = field("1994-03-11");  // 31 on 2025-03-12
  const auto found = with_rule(run(), "age_limit");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].severity, core::Severity::kError);
  EXPECT_EQ(found[0].fields[0], "birth_date");
}

TEST_F(IdentityRules, AcceptsAnInsuredWhoTurnsThirtyOneAfterTheCareDate) {
  reading.fields["birth_date"] = field("1994-03-13");  // still 30 on 2025-03-12
  EXPECT_TRUE(with_rule(run(), "age_limit").empty());
}

TEST_F(IdentityRules, SkipsAgeLimitWithoutABirthDate) {
  reading.fields["birth_date"] = testing::blank();
  EXPECT_TRUE(with_rule(run(), "age_limit").empty());
}

TEST_F(IdentityRules, ChecksAgeOnTheSignatureDateWhenNoRowHasADate) {
  reading.lines.clear();
  reading.fields["medical_total"] = testing::blank();
  reading.fields["pharmacy_total"] = testing::blank();
  reading.fields["birth_date"] = field("1990-01-01");
  const auto found = with_rule(run(), "age_limit");
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].fields[1], "signature_date");
}

}  // namespace
}  // namespace carescan::validate
