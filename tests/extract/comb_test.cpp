#include "extract/comb.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "extract/ink.h"

namespace carescan::extract {
namespace {

// A comb of eight 59 x 77 px cells (5 x 6.5 mm at 300 dpi) on a white page, as the template
// prints it, and its printed mask.
struct Comb {
  std::vector<cv::Rect> cells;
  cv::Mat page = cv::Mat(400, 700, CV_8U, cv::Scalar(255));
  cv::Mat printed;
};

void draw_walls(cv::Mat& page, const std::vector<cv::Rect>& cells, cv::Point shift) {
  for (const auto& cell : cells) cv::rectangle(page, cell + shift, 0, 3);
}

// The page misregistered by `shift`: the printed mask no longer covers the walls.
Comb comb_shifted_by(cv::Point shift) {
  Comb comb;
  for (int i = 0; i < 8; ++i) comb.cells.emplace_back(100 + 59 * i, 150, 59, 77);
  cv::Mat reference(comb.page.size(), CV_8U, cv::Scalar(255));
  draw_walls(reference, comb.cells, {0, 0});
  comb.printed = printed_mask(reference, ExtractionSettings{});
  draw_walls(comb.page, comb.cells, shift);
  return comb;
}

// A hand-drawn "7" in cell `i`: a bar and a slanted stroke, 40 px tall, 5 px pen.
void write_seven(Comb& comb, std::size_t i) {
  const cv::Rect& c = comb.cells[i];
  const cv::Point top_left(c.x + 16, c.y + 18);
  cv::line(comb.page, top_left, top_left + cv::Point(26, 0), 0, 5);
  cv::line(comb.page, top_left + cv::Point(26, 0), top_left + cv::Point(8, 40), 0, 5);
}

cv::Rect ink_box(const cv::Mat& mask) {
  return mask.empty() ? cv::Rect() : cv::boundingRect(mask);
}

TEST(CombInk, WallsOfAMisregisteredPageLeaveNoInk) {
  Comb comb = comb_shifted_by({1, 8});
  write_seven(comb, 2);
  const CombInk ink = comb_ink(comb.page, comb.printed, comb.cells, ExtractionSettings{});
  for (std::size_t i = 0; i < comb.cells.size(); ++i) {
    if (i == 2) continue;
    EXPECT_TRUE(ink.cells[i].empty()) << "cell " << i;
  }
  ASSERT_FALSE(ink.cells[2].empty());
  // The character alone: 40 px of strokes (plus the pen), not the height of the shifted cell.
  const cv::Rect box = ink_box(ink.cells[2]);
  EXPECT_LE(box.height, 48);
  EXPECT_LE(box.width, 36);
}

TEST(CombInk, ACharactersBarAwayFromTheWallsIsKept) {
  Comb comb = comb_shifted_by({0, 0});
  write_seven(comb, 4);
  const CombInk ink = comb_ink(comb.page, comb.printed, comb.cells, ExtractionSettings{});
  ASSERT_FALSE(ink.cells[4].empty());
  const cv::Rect box = ink_box(ink.cells[4]);
  EXPECT_GE(box.width, 28);  // the 26 px bar and its pen
  EXPECT_GE(box.height, 40);
}

TEST(CombInk, AWallShiftedFurtherIsTakenAwayWhereItRunsThroughSeveralCells) {
  // 12 px down: beyond what the printed mask and the walls' close neighbourhood cover.
  Comb comb = comb_shifted_by({0, 12});
  write_seven(comb, 5);
  const CombInk ink = comb_ink(comb.page, comb.printed, comb.cells, ExtractionSettings{});
  ASSERT_FALSE(ink.cells[5].empty());
  const cv::Rect box = ink_box(ink.cells[5]);
  EXPECT_LE(box.height, 48);
  EXPECT_LE(box.width, 36);
}

TEST(CombInk, WallsShiftedSidewaysLeaveNoInk) {
  // 6 px right: every vertical wall leaves a run beside its line, at the same offset.
  Comb comb = comb_shifted_by({6, 1});
  write_seven(comb, 3);
  const CombInk ink = comb_ink(comb.page, comb.printed, comb.cells, ExtractionSettings{});
  for (std::size_t i = 0; i < comb.cells.size(); ++i) {
    if (i == 3) continue;
    EXPECT_TRUE(ink.cells[i].empty()) << "cell " << i;
  }
  ASSERT_FALSE(ink.cells[3].empty());
  EXPECT_LE(ink_box(ink.cells[3]).width, 36);
}

TEST(CombInk, StrokesWrittenAlongTheWallsAreKept) {
  // An "L" whose stem runs down against the first cell's left wall and whose bar lies on the
  // bottom wall, half on the printed line: each stroke looks like a wall's remnant, but stands
  // beside one wall only.
  Comb comb = comb_shifted_by({0, 0});
  const cv::Rect& c = comb.cells[0];
  const int x = c.x + 6;
  const int y = c.y + c.height - 6;
  cv::line(comb.page, {x, c.y + 14}, {x, y}, 0, 5);
  cv::line(comb.page, {x, y}, {x + 36, y}, 0, 5);
  write_seven(comb, 4);
  const CombInk ink = comb_ink(comb.page, comb.printed, comb.cells, ExtractionSettings{});
  ASSERT_FALSE(ink.cells[0].empty());
  const cv::Rect box = ink_box(ink.cells[0]);
  EXPECT_GE(box.height, 50);  // the stem, 14 px below the top to 6 px above the bottom, and pen
  EXPECT_GE(box.width, 32);   // the bar's 36 px, less what the printed line covers
}

}  // namespace
}  // namespace carescan::extract
