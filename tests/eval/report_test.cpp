#include "eval/report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/json_util.h"

namespace carescan::eval {
namespace {

// cin on 12 care sheets: 8 read at 0.95 (7 right), 2 at 0.5 (right), 2 not read.
Report cin_report() {
  Report r;
  FieldSamples& cin = r.scores.field_samples["cin"];
  for (int i = 0; i < 8; ++i) cin.push_back({0.95, true, i < 7});
  for (int i = 0; i < 2; ++i) cin.push_back({0.5, true, true});
  for (int i = 0; i < 2; ++i) cin.push_back({0.0, false, false});
  r.scores.kind_samples["key"] = cin;
  r.scores.accepted_values = {9, 10};
  r.accept_thresholds = {{"cin", 0.9}, {"insured_name", core::kNeverAccept}};
  r.fitted_fields = {"insured_name"};
  r.kind_threshold = 0.4;
  return r;
}

std::string printed(const Report& r) {
  std::ostringstream out;
  print_report(out, r);
  return out.str();
}

TEST(Report, ShowsEachKeyFieldsCoveragePrecisionAndLowerBoundAtItsThreshold) {
  const std::string text = printed(cin_report());
  const auto at = text.find("  cin ");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string line = text.substr(at, text.find('\n', at) - at);
  EXPECT_NE(line.find("0.900 config"), std::string::npos) << line;
  EXPECT_NE(line.find("(8/12)"), std::string::npos) << line;  // coverage
  EXPECT_NE(line.find("87.5 %"), std::string::npos) << line;  // precision 7/8
  EXPECT_NE(line.find("(7/8)"), std::string::npos) << line;
  char bound[16];
  std::snprintf(bound, sizeof bound, "%.3f", wilson_lower_bound(7, 8));
  EXPECT_NE(line.find(bound), std::string::npos) << line;
  // A field the fit could not vouch for says so, and nothing goes through.
  const auto name = text.find("  insured_name ");
  ASSERT_NE(name, std::string::npos) << text;
  EXPECT_NE(text.find("never fitted", name), std::string::npos) << text;
  // The field-kind table at its own threshold: at 0.4 every cin read goes through, 9 of 10 right.
  const auto kinds = text.find("Field kinds at confidence >= 0.40");
  ASSERT_NE(kinds, std::string::npos) << text;
  EXPECT_NE(text.find("(9/10)", kinds), std::string::npos) << text;
  EXPECT_NE(text.find("all values on accepted pages wrong"), std::string::npos);
}

TEST(Report, WritesTheSameFiguresAsJson) {
  const auto json = core::parse_json_object(core::to_json(report_json(cin_report())), "report");
  const auto cin = json->getObject("acceptance")->getObject("cin");
  EXPECT_DOUBLE_EQ(cin->getValue<double>("threshold"), 0.9);
  EXPECT_EQ(cin->getValue<std::string>("source"), "config");
  EXPECT_EQ(cin->getValue<long>("pages"), 12);
  EXPECT_EQ(cin->getValue<long>("accepted"), 8);
  EXPECT_EQ(cin->getValue<long>("right"), 7);
  EXPECT_NEAR(cin->getValue<double>("lower_bound_95"), wilson_lower_bound(7, 8), 1e-9);
  const auto name = json->getObject("acceptance")->getObject("insured_name");
  EXPECT_TRUE(name->isNull("threshold"));
  EXPECT_EQ(name->getValue<std::string>("source"), "fitted");
  EXPECT_EQ(json->getObject("field_kinds")->getObject("key")->getValue<long>("accepted"), 10);
  EXPECT_EQ(json->getObject("accepted_values")->getValue<long>("hits"), 9);
  EXPECT_FALSE(json->has("threshold_fit"));
}

TEST(Report, ShowsTheFitAndTheDecisionsItGivesOnItsSet) {
  Report r = cin_report();
  ThresholdFit fit;
  fit.file = "models/thresholds.json";
  fit.settings.min_count = 5;
  fit.choices.push_back(fit_threshold("cin", r.scores.field_samples["cin"], fit.settings));
  fit.rescored.straight_through = {3, 12};
  fit.rescored.accepted_with_key_error = {1, 3};
  r.fit = fit;
  const std::string text = printed(r);
  EXPECT_NE(text.find("Threshold fit: target 99.8 %"), std::string::npos) << text;
  EXPECT_NE(text.find("-> models/thresholds.json"), std::string::npos) << text;
  // 7 of 8 at 0.95, 9 of 10 at 0.5: no threshold, and the report says how close it came.
  EXPECT_NE(text.find("none: best 90.0 %"), std::string::npos) << text;
  EXPECT_NE(text.find("25.0 %  (3/12)"), std::string::npos) << text;
  const auto json = report_json(r);
  ASSERT_TRUE(json->has("threshold_fit"));
  EXPECT_EQ(json->getObject("threshold_fit")->getObject("straight_through")->getValue<long>("hits"),
            3);
}

}  // namespace
}  // namespace carescan::eval
