#include "eval/thresholds.h"

#include <gtest/gtest.h>

#include "core/json_util.h"

namespace carescan::eval {
namespace {

// `right` right and `wrong` wrong values read at `confidence`.
void add(FieldSamples& samples, double confidence, int right, int wrong) {
  for (int i = 0; i < right + wrong; ++i) samples.push_back({confidence, true, i < right});
}

core::ThresholdFitConfig target(double precision, int min_count, bool lower_bound = false) {
  core::ThresholdFitConfig fit;
  fit.target_precision = precision;
  fit.min_count = min_count;
  fit.use_lower_bound = lower_bound;
  return fit;
}

TEST(Wilson, IsHonestAboutSmallSamples) {
  EXPECT_EQ(wilson_lower_bound(0, 0), 0.0);
  // 3 right out of 3 vouches for little; 1000 out of 1000 for nearly everything.
  EXPECT_NEAR(wilson_lower_bound(3, 3), 0.4385, 1e-3);
  EXPECT_NEAR(wilson_lower_bound(50, 50), 0.9287, 1e-3);
  EXPECT_GT(wilson_lower_bound(1000, 1000), 0.996);
  // Textbook value: 81 of 100 -> 0.7222.
  EXPECT_NEAR(wilson_lower_bound(81, 100), 0.7222, 1e-3);
  EXPECT_LT(wilson_lower_bound(99, 100), 0.99);
}

TEST(OperatingPoints, CountCoverageOverEveryPageAndPrecisionOverWhatGoesThrough) {
  FieldSamples s;
  add(s, 0.95, 8, 0);
  add(s, 0.80, 3, 1);
  s.push_back({0.99, false, false});  // not read: never goes through, still a page
  const auto high = operating_point(s, 0.9);
  EXPECT_EQ(high.pages, 13);
  EXPECT_EQ(high.accepted, 8);
  EXPECT_EQ(high.right, 8);
  EXPECT_DOUBLE_EQ(high.precision(), 1.0);
  EXPECT_DOUBLE_EQ(high.coverage(), 8.0 / 13);
  EXPECT_NEAR(high.lower_bound(), wilson_lower_bound(8, 8), 1e-12);
  const auto low = operating_point(s, 0.8);  // at the threshold counts as above it
  EXPECT_EQ(low.accepted, 12);
  EXPECT_EQ(low.right, 11);
  const auto never = operating_point(s, core::kNeverAccept);
  EXPECT_EQ(never.accepted, 0);
  EXPECT_EQ(never.precision(), 0.0);
}

TEST(ThresholdFit, PicksTheLowestConfidenceWhosePrecisionMeetsTheTarget) {
  FieldSamples s;
  add(s, 0.99, 150, 0);
  add(s, 0.95, 50, 0);
  add(s, 0.90, 40, 1);  // from 0.90 down: 240/241 = 99.59 % still meets 99.5 %
  add(s, 0.70, 30, 10);
  const auto c = fit_threshold("cin", s, target(0.995, 50));
  ASSERT_TRUE(c.threshold.has_value()) << c.reason;
  EXPECT_DOUBLE_EQ(*c.threshold, 0.90);
  EXPECT_EQ(c.at.accepted, 241);
  EXPECT_EQ(c.at.right, 240);
  EXPECT_EQ(c.at.pages, 281);
  EXPECT_EQ(c.field, "cin");

  // A stricter target stops above the one wrong value.
  const auto strict = fit_threshold("cin", s, target(0.999, 50));
  ASSERT_TRUE(strict.threshold.has_value()) << strict.reason;
  EXPECT_DOUBLE_EQ(*strict.threshold, 0.95);
  EXPECT_EQ(strict.at.accepted, 200);
}

TEST(ThresholdFit, RefusesToChooseFromTooFewValues) {
  FieldSamples s;
  add(s, 0.99, 3, 0);  // three perfect values
  add(s, 0.50, 20, 20);
  const auto c = fit_threshold("insured_name", s, target(0.995, 50));
  EXPECT_FALSE(c.threshold.has_value());
  EXPECT_NE(c.reason.find("43 values read"), std::string::npos) << c.reason;

  // With enough values overall but too few above any precise enough point: none either, and the
  // reason names the best precision seen.
  FieldSamples t;
  add(t, 0.99, 10, 0);
  add(t, 0.90, 90, 10);
  const auto d = fit_threshold("insured_name", t, target(0.995, 50));
  EXPECT_FALSE(d.threshold.has_value());
  EXPECT_EQ(d.at.accepted, 110);
  EXPECT_NE(d.reason.find("90.9 %"), std::string::npos) << d.reason;
}

TEST(ThresholdFit, NeverGoesBelowItsFloorHoweverCleanTheWeakReadings) {
  FieldSamples s;
  add(s, 0.95, 100, 0);
  add(s, 0.60, 20, 0);
  add(s, 0.20, 30, 0);  // all right, but too weak to vouch for the next set
  auto fit = target(0.995, 50);
  fit.min_threshold = 0.5;
  const auto c = fit_threshold("insured_signature", s, fit);
  ASSERT_TRUE(c.threshold.has_value()) << c.reason;
  EXPECT_DOUBLE_EQ(*c.threshold, 0.60);
  EXPECT_EQ(c.at.accepted, 120);
  fit.min_threshold = 0.0;
  EXPECT_DOUBLE_EQ(*fit_threshold("insured_signature", s, fit).threshold, 0.20);
  fit.min_threshold = 0.99;  // nothing left above the floor
  const auto none = fit_threshold("insured_signature", s, fit);
  EXPECT_FALSE(none.threshold.has_value());
  EXPECT_NE(none.reason.find("only 0 values read at confidence >= 0.99"), std::string::npos)
      << none.reason;
}

TEST(ThresholdFit, CanAskTheLowerBoundToMeetTheTarget) {
  FieldSamples s;
  add(s, 0.99, 60, 0);
  add(s, 0.97, 200, 0);
  // 60/60 measures 100 % but its lower bound is 0.94: by the bound only the larger set passes 0.98.
  const auto measured = fit_threshold("cin", s, target(0.98, 50));
  ASSERT_TRUE(measured.threshold.has_value());
  EXPECT_DOUBLE_EQ(*measured.threshold, 0.97);
  const auto bound_small =
      fit_threshold("cin", FieldSamples(s.begin(), s.begin() + 60), target(0.98, 50, true));
  EXPECT_FALSE(bound_small.threshold.has_value());
  const auto bound = fit_threshold("cin", s, target(0.98, 50, true));
  ASSERT_TRUE(bound.threshold.has_value()) << bound.reason;
  EXPECT_DOUBLE_EQ(*bound.threshold, 0.97);
  EXPECT_GE(bound.at.lower_bound(), 0.98);
}

TEST(ThresholdFit, IgnoresUnreadValuesButCountsTheirPages) {
  FieldSamples s;
  add(s, 0.95, 60, 0);
  for (int i = 0; i < 40; ++i) s.push_back({1.0, false, false});
  const auto c = fit_threshold("cin", s, target(0.995, 50));
  ASSERT_TRUE(c.threshold.has_value());
  EXPECT_DOUBLE_EQ(*c.threshold, 0.95);
  EXPECT_DOUBLE_EQ(c.at.coverage(), 0.6);
}

TEST(ThresholdFile, RecordsEachChoiceAndNullWhereNoneMetTheTarget) {
  FieldSamples good;
  add(good, 0.93, 80, 0);
  FieldSamples bad;
  add(bad, 0.93, 40, 40);
  const auto fit = target(0.995, 50);
  const std::vector<ThresholdChoice> choices = {fit_threshold("cin", good, fit),
                                                fit_threshold("insured_name", bad, fit)};
  const auto json = thresholds_json(choices, fit, 80, "fit777");
  const auto reparsed = core::parse_json_object(core::to_json(json), "thresholds");
  EXPECT_EQ(reparsed->getValue<std::string>("schema"), "carescan.thresholds/v1");
  EXPECT_EQ(reparsed->getValue<std::string>("fitted_on"), "fit777");
  const auto fields = reparsed->getObject("fields");
  EXPECT_DOUBLE_EQ(fields->getObject("cin")->getValue<double>("threshold"), 0.93);
  EXPECT_EQ(fields->getObject("cin")->getValue<long>("accepted"), 80);
  EXPECT_TRUE(fields->getObject("insured_name")->isNull("threshold"));
  EXPECT_FALSE(fields->getObject("insured_name")->getValue<std::string>("reason").empty());

  const auto applied =
      apply_choices({{"cin", 0.9}, {"insured_name", 0.9}, {"total_amount", 0.9}}, choices);
  EXPECT_DOUBLE_EQ(applied.at("cin"), 0.93);
  EXPECT_EQ(applied.at("insured_name"), core::kNeverAccept);
  EXPECT_DOUBLE_EQ(applied.at("total_amount"), 0.9);
}

}  // namespace
}  // namespace carescan::eval
