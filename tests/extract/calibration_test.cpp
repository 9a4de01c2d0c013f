#include "extract/calibration.h"

#include <gtest/gtest.h>

#include "core/json_util.h"

namespace carescan::extract {
namespace {

TEST(Calibration, FitMapsOverconfidentReadsDownToTheirAccuracy) {
  CalibrationSamples samples;
  // Read at 0.95 but right only half the time; read at 0.35, right a third of the time.
  for (int i = 0; i < 200; ++i) samples.emplace_back(0.95, i % 2 == 0);
  for (int i = 0; i < 300; ++i) samples.emplace_back(0.35, i % 3 == 0);
  const auto cal = Calibration::fit({{"key", samples}});
  EXPECT_NEAR(cal.apply("key", 0.95), 0.5, 0.01);
  EXPECT_NEAR(cal.apply("key", 0.35), 1.0 / 3, 0.01);
  // Between the two bins the curve interpolates; outside it holds the end values.
  EXPECT_GT(cal.apply("key", 0.6), 1.0 / 3);
  EXPECT_LT(cal.apply("key", 0.6), 0.5);
  EXPECT_NEAR(cal.apply("key", 0.01), 1.0 / 3, 0.01);
  EXPECT_DOUBLE_EQ(cal.apply("other", 0.77), 0.77);
}

TEST(Calibration, FitNeverLetsAHigherRawConfidenceMeanLessAccuracy) {
  CalibrationSamples samples;
  for (int i = 0; i < 100; ++i) samples.emplace_back(0.55, i < 80);  // 80 % right
  for (int i = 0; i < 100; ++i) samples.emplace_back(0.85, i < 50);  // 50 % right
  for (int i = 0; i < 100; ++i) samples.emplace_back(0.97, i < 95);  // 95 % right
  const auto curve = Calibration::fit({{"g", samples}}).curves_.at("g");
  for (size_t i = 1; i < curve.points.size(); ++i) {
    EXPECT_GE(curve.points[i].second, curve.points[i - 1].second);
  }
  EXPECT_NEAR(curve.apply(0.97), 96.0 / 102, 1e-9);
}

// Readings surer than the top bin's mean keep their order (a threshold must be able to tell
// them apart) but claim little more than the top bin measured.
TEST(Calibration, AboveTheTopBinTheCurveRisesALittleAndKeepsTheOrder) {
  CalibrationSamples samples;
  for (int i = 0; i < 100; ++i) samples.emplace_back(0.55, i < 60);
  for (int i = 0; i < 100; ++i) samples.emplace_back(0.85, i < 90);
  const auto curve = Calibration::fit({{"g", samples}}).curves_.at("g");
  const double top = curve.apply(0.85);
  EXPECT_NEAR(top, 91.0 / 102, 1e-9);
  double last = top;
  for (const double raw : {0.9, 0.95, 0.99, 1.0}) {
    const double p = curve.apply(raw);
    EXPECT_GT(p, last) << raw;
    EXPECT_LE(p, top + 0.1 * (1 - top) + 1e-12) << raw;
    last = p;
  }
}

// A sharp recogniser puts most readings above 0.9, where one equal-width bin would give a 0.93
// and a 0.9995 the same value: the top bin is cut by decades of the distance to 1.
TEST(Calibration, TheTopBinTellsASureReadingFromAMerelyLikelyOne) {
  CalibrationSamples samples;
  for (int i = 0; i < 100; ++i) samples.emplace_back(0.93, i < 80);     // 80 % right
  for (int i = 0; i < 100; ++i) samples.emplace_back(0.995, i < 95);    // 95 % right
  for (int i = 0; i < 400; ++i) samples.emplace_back(0.9995, i < 399);  // 99.75 % right
  const auto curve = Calibration::fit({{"g", samples}}).curves_.at("g");
  ASSERT_EQ(curve.points.size(), 3U);
  EXPECT_NEAR(curve.apply(0.93), 81.0 / 102, 1e-9);
  EXPECT_NEAR(curve.apply(0.995), 96.0 / 102, 1e-9);
  EXPECT_NEAR(curve.apply(0.9995), 400.0 / 402, 1e-9);
}

TEST(Calibration, CorroboratedOrDoubtedReadingsHaveTheirOwnCurves) {
  // Each key field has its own curve: an unlisted name and a date err differently.
  EXPECT_EQ(calibration_group("insured_name", false), "key.insured_name");
  EXPECT_EQ(calibration_group("insured_name", false, true), "listed");
  EXPECT_EQ(calibration_group("cin", false, true), "cin.agreed");
  EXPECT_EQ(calibration_group("insured_name", false, false, true), "near.listed");
  EXPECT_EQ(calibration_group("total_amount", false, true), "summed");
  EXPECT_EQ(calibration_group("amount", true, true), "summed");
}

TEST(Calibration, AppliesToFieldsAndLineCellsByGroup) {
  Calibration cal;
  cal.curves_["key.cin"].points = {{0.0, 0.0}, {1.0, 0.5}};
  cal.curves_["line.amount"].points = {{0.0, 0.1}, {1.0, 0.1}};
  core::PageReading reading;
  reading.fields["cin"].confidence = 0.8;
  reading.fields["sheet_number"].confidence = 0.8;
  core::ReadLine line;
  line.cells["amount"].confidence = 0.9;
  reading.lines.push_back(line);
  cal.apply(reading);
  EXPECT_DOUBLE_EQ(reading.fields["cin"].confidence, 0.4);
  EXPECT_DOUBLE_EQ(reading.fields["sheet_number"].confidence, 0.8);
  EXPECT_DOUBLE_EQ(reading.lines[0].cells["amount"].confidence, 0.1);
}

TEST(Calibration, RoundTripsThroughJson) {
  CalibrationSamples samples;
  for (int i = 0; i < 50; ++i) samples.emplace_back(0.2 + 0.015 * i, i % 4 != 0);
  const auto cal = Calibration::fit({{"free", samples}});
  const auto back = Calibration::from_json(cal.to_json(), "test");
  for (double raw : {0.1, 0.3, 0.5, 0.7, 0.9}) {
    EXPECT_NEAR(back.apply("free", raw), cal.apply("free", raw), 1e-3);
  }
}

TEST(Calibration, RejectsAFallingCurve) {
  const auto obj = core::parse_json_object(
      R"({"schema": "carescan.calibration/v1", "groups": {"key": [[0.2, 0.6], [0.8, 0.3]]}})",
      "test");
  try {
    Calibration::from_json(obj, "cal.json");
    FAIL() << "expected a DataError";
  } catch (const core::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("group 'key'"), std::string::npos) << e.what();
  }
}

TEST(Calibration, GroupsFieldsThatErrAlike) {
  EXPECT_EQ(calibration_group("cin", false), "key.cin");
  EXPECT_EQ(calibration_group("sheet_number", false), "printed");
  EXPECT_EQ(calibration_group("sex", false), "marks");
  EXPECT_EQ(calibration_group("pec_number", false), "comb");
  EXPECT_EQ(calibration_group("institution", false), "free");
  EXPECT_EQ(calibration_group("amount", true), "line.amount");
  EXPECT_EQ(calibration_group("tooth", true), "line.number");
  EXPECT_EQ(calibration_group("description", true), "line.text");
}

}  // namespace
}  // namespace carescan::extract
