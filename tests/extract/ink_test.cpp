#include "extract/ink.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <vector>

namespace carescan::extract {
namespace {

// Three "letters" 40 px tall on a baseline, a comma under the last one, and a row of short
// dashes 30 px above the writing, as a misregistered dotted guide line leaves them.
cv::Mat written_line_with_guide_dashes() {
  cv::Mat ink = cv::Mat::zeros(140, 600, CV_8U);
  for (int i = 0; i < 3; ++i) cv::rectangle(ink, {40 + 40 * i, 60, 12, 40}, 255, cv::FILLED);
  cv::rectangle(ink, {125, 98, 4, 10}, 255, cv::FILLED);  // comma, through the baseline
  for (int x = 0; x < 600; x += 20) cv::rectangle(ink, {x, 20, 8, 3}, 255, cv::FILLED);
  return ink;
}

TEST(KeepWritingBand, DropsGuideDashesAndKeepsLettersAndComma) {
  cv::Mat ink = written_line_with_guide_dashes();
  keep_writing_band(ink);
  const cv::Rect bounds = cv::boundingRect(ink);
  EXPECT_EQ(bounds, cv::Rect(40, 60, 92, 48));
  EXPECT_EQ(ink.at<unsigned char>(100, 126), 255);  // the comma stays
}

TEST(KeepWritingBand, DropsStrokesFarBesideTheWriting) {
  cv::Mat ink = written_line_with_guide_dashes();
  ink.rowRange(0, 40).setTo(0);
  cv::rectangle(ink, {560, 80, 6, 6}, 255, cv::FILLED);  // a dot 428 px to the right
  keep_writing_band(ink);
  EXPECT_EQ(cv::boundingRect(ink).br().x, 132);
}

TEST(KeepWritingBand, LeavesASingleComponentAlone) {
  cv::Mat ink = cv::Mat::zeros(50, 50, CV_8U);
  cv::rectangle(ink, {10, 10, 3, 3}, 255, cv::FILLED);
  keep_writing_band(ink);
  EXPECT_EQ(cv::countNonZero(ink), 9);
}

// Digits of a light pen: strokes 30 px tall, a comma of 8 px between the second and third, and
// specks of the same size far to the right and above the writing.
TEST(FindInk, KeepsALightCommaBetweenStrokesButNotSpecksOfItsSize) {
  cv::Mat page(120, 400, CV_8U, cv::Scalar(255));
  for (const int x : {20, 45, 85, 110}) cv::rectangle(page, {x, 40, 6, 30}, 0, cv::FILLED);
  cv::rectangle(page, {66, 68, 2, 4}, 0, cv::FILLED);   // the comma, on the baseline
  cv::rectangle(page, {300, 68, 2, 4}, 0, cv::FILLED);  // dust beside the writing
  cv::rectangle(page, {66, 10, 2, 4}, 0, cv::FILLED);   // dust above it
  ExtractionSettings settings;
  settings.min_component_px = 12;
  const InkRegion region = find_ink(page, cv::Mat(), {0, 0, 400, 120}, settings);
  EXPECT_EQ(region.ink.at<unsigned char>(69, 66), 255);
  EXPECT_EQ(region.ink.at<unsigned char>(69, 300), 0);
  EXPECT_EQ(region.ink.at<unsigned char>(11, 66), 0);
  EXPECT_EQ(region.pixels, 4 * 6 * 30 + 8);
}

TEST(DropSlivers, TakesAwayASlantedBorderButKeepsAPensStrokes) {
  cv::Mat ink(120, 560, CV_8U, cv::Scalar(0));
  // A box border slanted by a photo's perspective: 2 px thick, dropping 4 px over 320.
  cv::line(ink, {10, 6}, {330, 10}, 255, 2);
  // A signature: a loop and a short straight stroke, as thin as the border.
  cv::ellipse(ink, {{400, 60}, {120, 60}, 20}, 255, 3);
  cv::line(ink, {200, 90}, {260, 70}, 255, 3);
  const cv::Mat before = ink.clone();
  drop_slivers(ink, 5.0, 140);
  EXPECT_EQ(ink.at<unsigned char>(8, 170), 0);
  EXPECT_EQ(cv::countNonZero(ink(cv::Rect(0, 20, 560, 100))),
            cv::countNonZero(before(cv::Rect(0, 20, 560, 100))));
}

// straight_runs computes OpenCV's opening by a line with running counts; it must give what the
// opening gives, borders and even lengths included.
cv::Mat runs_by_opening(const cv::Mat& ink, int horizontal, int vertical) {
  cv::Mat rules = cv::Mat::zeros(ink.size(), CV_8U);
  cv::Mat run;
  if (ink.cols > horizontal) {
    cv::morphologyEx(ink, run, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_RECT, {horizontal, 1}));
    rules |= run;
  }
  if (ink.rows > vertical) {
    cv::morphologyEx(ink, run, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_RECT, {1, vertical}));
    rules |= run;
  }
  cv::dilate(rules, rules, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  return rules;
}

TEST(KeepStrokes, KeepsABlurredXInsideItsBoxButNotTheBoxsShiftedLine) {
  // Two 44 px tick boxes. In the first, a thick X (a phone photo's blur) whose crossing has
  // horizontal runs over half a box; above the second, 6 px over its top, the remnant of its top
  // line that a misregistered page leaves beside the printed mask.
  const std::vector<cv::Rect> boxes = {{30, 30, 44, 44}, {130, 30, 44, 44}};
  cv::Mat ink = cv::Mat::zeros(110, 210, CV_8U);
  cv::line(ink, {38, 38}, {66, 66}, 255, 13);
  cv::line(ink, {66, 38}, {38, 66}, 255, 13);
  cv::rectangle(ink, {130, 24, 44, 4}, 255, cv::FILLED);
  keep_strokes(ink, boxes);
  EXPECT_GT(cv::countNonZero(ink(boxes[0])), 300);
  EXPECT_EQ(ink.at<unsigned char>(52, 52), 255);  // the crossing
  EXPECT_EQ(cv::countNonZero(ink(cv::Rect(120, 15, 70, 20))), 0);
}

TEST(KeepStrokes, TakesAwayAStreakThroughTheBoxesMiddles) {
  // A copier's streak runs down through a row of boxes, a fax's stray line across it, cut
  // where the printed mask took the boxes' walls away.
  const std::vector<cv::Rect> boxes = {{30, 30, 44, 44}, {80, 30, 44, 44}};
  cv::Mat ink = cv::Mat::zeros(110, 150, CV_8U);
  cv::rectangle(ink, {50, 0, 3, 110}, 255, cv::FILLED);
  cv::rectangle(ink, {36, 52, 32, 3}, 255, cv::FILLED);
  cv::rectangle(ink, {86, 52, 32, 3}, 255, cv::FILLED);
  keep_strokes(ink, boxes);
  EXPECT_EQ(cv::countNonZero(ink), 0);
}

TEST(KeepStrokes, TakesAwayACopiersDots) {
  const std::vector<cv::Rect> boxes = {{30, 30, 44, 44}};
  cv::Mat ink = cv::Mat::zeros(110, 110, CV_8U);
  cv::rectangle(ink, {50, 50, 4, 4}, 255, cv::FILLED);
  keep_strokes(ink, boxes);
  EXPECT_EQ(cv::countNonZero(ink), 0);
}

TEST(StraightRuns, GivesWhatOpeningByALineGives) {
  cv::RNG rng(4242);
  for (int trial = 0; trial < 40; ++trial) {
    cv::Mat ink(40 + trial * 3, 90 + trial * 5, CV_8U, cv::Scalar(0));
    // Rules of every length, some touching the borders, over speckle.
    for (int i = 0; i < 12; ++i) {
      const cv::Point a(rng.uniform(-10, ink.cols), rng.uniform(-10, ink.rows));
      const bool across = rng.uniform(0, 2) == 0;
      const int length = rng.uniform(2, 60);
      cv::line(ink, a, across ? a + cv::Point(length, 0) : a + cv::Point(0, length), 255,
               rng.uniform(1, 3));
    }
    cv::Mat noise(ink.size(), CV_8U);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 100);
    ink.setTo(255, noise > 85);
    const int horizontal = 5 + trial % 14;
    const int vertical = 4 + (trial * 7) % 15;
    const cv::Mat expected = runs_by_opening(ink, horizontal, vertical);
    const cv::Mat got = straight_runs(ink, horizontal, vertical);
    ASSERT_EQ(cv::countNonZero(expected != got), 0)
        << "trial " << trial << ", runs " << horizontal << " x " << vertical;
    ASSERT_GT(cv::countNonZero(got), 0);
  }
}

}  // namespace
}  // namespace carescan::extract
