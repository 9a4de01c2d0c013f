#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "distorted_page.h"
#include "forms/match.h"
#include "forms/template_loader.h"
#include "reference_forms.h"

using namespace carescan::forms::testing;

namespace {

// A typed letter: lines of print, no rules or boxes.
cv::Mat letter() {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(250));
  for (int line = 0; line < 40; ++line) {
    cv::putText(page, "Madame, Monsieur, je vous prie de trouver ci-joint les pieces demandees",
                {200, 500 + line * 70}, cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(30), 3);
  }
  return page;
}

// Another administrative form with boxes and a table, not a care sheet.
cv::Mat unrelated_form() {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(250));
  cv::putText(page, "DEMANDE DE BOURSE", {700, 300}, cv::FONT_HERSHEY_SIMPLEX, 3, cv::Scalar(0), 6);
  for (int i = 0; i < 12; ++i) {
    cv::rectangle(page, cv::Rect(300 + i * 150, 500, 150, 150), cv::Scalar(0), 4);
  }
  for (int row = 0; row <= 14; ++row) {
    cv::line(page, {300, 900 + row * 160}, {2200, 900 + row * 160}, cv::Scalar(0), 4);
  }
  for (int x : {300, 1250, 2200}) cv::line(page, {x, 900}, {x, 3140}, cv::Scalar(0), 4);
  return page;
}

}  // namespace

TEST(Classify, RecognisesEachBlankReferenceUpright) {
  for (const auto& form : {"ambulatoire", "ald", "dentaire"}) {
    const cv::Mat page = reference(form);
    const auto result = matcher().match(page);
    EXPECT_EQ(result.classification.form, form);
    EXPECT_EQ(result.classification.rotation_degrees, 0);
    EXPECT_TRUE(result.registered.ok);
  }
}

TEST(Classify, RejectsBlankPage) {
  const cv::Mat blank(3508, 2480, CV_8UC1, cv::Scalar(250));
  const auto result = matcher().match(blank);
  EXPECT_EQ(result.classification.form, "");
  EXPECT_EQ(result.classification.reason, "blank page");
}

TEST(Classify, TurnsAnUpsideDownLowResolutionScanUpright) {
  auto page = distort(
      reference("dentaire"),
      {.rotation_deg = 0.7, .shift_x_px = 40, .output_scale = 200.0 / 300, .noise_sigma = 8});
  cv::rotate(page.image, page.image, cv::ROTATE_180);
  const auto result = matcher().match(page.image);
  EXPECT_EQ(result.classification.form, "dentaire");
  EXPECT_EQ(result.classification.rotation_degrees, 180);
  EXPECT_TRUE(result.registered.ok) << result.registered.reason;
}

TEST(Classify, TurnsASidewaysPageUpright) {
  auto page = distort(reference("ald"), {.rotation_deg = -1.0, .noise_sigma = 5});
  cv::rotate(page.image, page.image, cv::ROTATE_90_COUNTERCLOCKWISE);
  const auto result = matcher().match(page.image);
  EXPECT_EQ(result.classification.form, "ald");
  EXPECT_EQ(result.classification.rotation_degrees, 90);
  EXPECT_TRUE(result.registered.ok) << result.registered.reason;
  EXPECT_EQ(result.registered.image.size(), cv::Size(2480, 3508));
}

TEST(Classify, TellsTheThreeFormsApartWhenFilledAndShifted) {
  for (const auto& form : {"ambulatoire", "ald", "dentaire"}) {
    const auto page = distort(reference(form), {.rotation_deg = -0.6,
                                                .scale = 1.02,
                                                .shift_x_px = -50,
                                                .shift_y_px = 70,
                                                .noise_sigma = 10});
    const auto result = matcher().match(page.image);
    EXPECT_EQ(result.classification.form, form);
    EXPECT_GT(result.classification.confidence, 0.8);
  }
}

TEST(Classify, RejectsATypedLetterWithAReason) {
  const auto result = matcher().match(letter());
  EXPECT_EQ(result.classification.form, "");
  EXPECT_EQ(result.classification.reason, "no care-sheet layout found");
}

TEST(Classify, RejectsAnUnrelatedFormWithBoxes) {
  const auto result = matcher().match(unrelated_form());
  EXPECT_EQ(result.classification.form, "");
  EXPECT_FALSE(result.classification.reason.empty());
}

TEST(Classify, ClassifyingAloneTellsTheFormWithoutRegistering) {
  const auto layout = matcher().classify(reference("ald"));
  EXPECT_EQ(layout.classification.form, "ald");
  EXPECT_FALSE(layout.rules.empty());
  // The second half registers from that layout, as match() does in one call.
  const auto result = matcher().register_page(reference("ald"), layout);
  EXPECT_EQ(result.classification.form, "ald");
  EXPECT_TRUE(result.registered.ok);
  // A layout that is no care sheet is never registered.
  const auto letter_layout = matcher().classify(letter());
  EXPECT_EQ(letter_layout.classification.form, "");
  EXPECT_EQ(matcher().register_page(letter(), letter_layout).registered.form, nullptr);
}

TEST(Classify, IgnoresTheSheetsOwnEdgeOnACopierBed) {
  // A copy of an ALD sheet a little smaller than the glass: the paper's edge prints as a dark
  // frame 4 mm in from the image's border, the longest line on the page.
  auto page = distort(reference("ald"), {.rotation_deg = 0.4, .scale = 0.985, .noise_sigma = 6});
  const int inset = 47;  // 4 mm at 300 dpi
  cv::rectangle(page.image, {inset, inset}, {page.image.cols - inset, page.image.rows - inset},
                cv::Scalar(30), 8);
  const auto result = matcher().match(page.image);
  EXPECT_EQ(result.classification.form, "ald");
  EXPECT_TRUE(result.registered.ok) << result.registered.reason;
}

TEST(Classify, ClearSheetEdgesKeepsTheTemplatesOwnRules) {
  cv::Mat rules(877, 620, CV_32F, cv::Scalar(0));
  rules.row(12).setTo(1.0f);                     // a sheet's edge, near the top
  rules.col(605).setTo(1.0f);                    // and near the right
  rules(cv::Rect(30, 200, 560, 2)).setTo(1.0f);  // a section's rule, 90 % long
  rules(cv::Rect(10, 100, 2, 300)).setTo(1.0f);  // a box side near the border
  carescan::forms::clear_sheet_edges(rules);
  EXPECT_EQ(cv::countNonZero(rules.row(12)), 0);
  EXPECT_EQ(cv::countNonZero(rules.col(605)), 0);
  EXPECT_EQ(cv::countNonZero(rules(cv::Rect(30, 200, 560, 1))), 560);
  EXPECT_EQ(cv::countNonZero(rules.col(10)), 300);
}
