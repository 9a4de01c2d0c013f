#include "synth/fill.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/config.h"
#include "forms/template_loader.h"
#include "synth/field_writing.h"
#include "synth/handwriting.h"
#include "synth/vocabulary.h"
#include "synth_fixture.h"

namespace carescan::synth {
namespace {

using testing::fixture;

cv::Mat blank_of(const forms::FormTemplate& tpl) {
  return cv::imread(tpl.image.string(), cv::IMREAD_GRAYSCALE);
}

// Darkening of the filled page against the blank one, in a zone (0 = untouched).
double ink_in(const cv::Mat& filled, const cv::Mat& blank, const cv::Rect& zone) {
  cv::Mat grey, diff;
  cv::cvtColor(filled, grey, cv::COLOR_BGR2GRAY);
  cv::absdiff(grey(zone), blank(zone), diff);
  return cv::mean(diff)[0];
}

cv::Rect inner(const forms::BoxMm& b) {
  const cv::Rect2d r = box_px(b.x, b.y, b.w, b.h);
  return cv::Rect(cv::Point(cvRound(r.x + r.width * 0.2), cvRound(r.y + r.height * 0.2)),
                  cv::Size(cvRound(r.width * 0.6), cvRound(r.height * 0.6)));
}

TEST(FillSheet, PutsInkInTheCinCellsUsedAndNotInTheOthers) {
  auto& f = fixture();
  for (const auto& tpl : f.templates) {
    const cv::Mat blank = blank_of(tpl);
    for (int i = 0; i < 3; ++i) {
      Rng rng(derive_seed(11, static_cast<std::uint64_t>(i)));
      const SheetContent s = generate_content(tpl, f.vocabulary, rng);
      const cv::Mat page = fill_sheet(tpl, blank, s, {f.hands, f.print}, rng).page;
      const auto* cin = tpl.field("cin");
      ASSERT_NE(cin, nullptr);
      for (size_t c = 0; c < cin->cells.size(); ++c) {
        const double ink = ink_in(page, blank, inner(cin->cells[c]));
        if (c < s.cin.size()) {
          EXPECT_GT(ink, 4.0) << tpl.form << " cell " << c;
        } else {
          EXPECT_LT(ink, 4.0) << tpl.form << " cell " << c;
        }
      }
    }
  }
}

TEST(FillSheet, KeepsEverythingOnThePageAwayFromItsEdges) {
  auto& f = fixture();
  const int margin = cvRound(4 * kPxPerMm);
  for (const auto& tpl : f.templates) {
    const cv::Mat blank = blank_of(tpl);
    for (int i = 0; i < 4; ++i) {
      Rng rng(derive_seed(12, static_cast<std::uint64_t>(i)));
      const cv::Mat page =
          fill_sheet(tpl, blank, generate_content(tpl, f.vocabulary, rng), {f.hands, f.print}, rng)
              .page;
      ASSERT_EQ(page.size(), blank.size());
      ASSERT_EQ(page.type(), CV_8UC3);
      for (const cv::Rect edge :
           {cv::Rect(0, 0, page.cols, margin), cv::Rect(0, page.rows - margin, page.cols, margin),
            cv::Rect(0, 0, margin, page.rows),
            cv::Rect(page.cols - margin, 0, margin, page.rows)}) {
        EXPECT_LT(ink_in(page, blank, edge), 0.01) << tpl.form;
      }
    }
  }
}

TEST(FillSheet, ReprintsTheSheetNumber) {
  auto& f = fixture();
  const auto& tpl = f.templates.front();
  const cv::Mat blank = blank_of(tpl);
  Rng rng(derive_seed(13, 0));
  SheetContent s = generate_content(tpl, f.vocabulary, rng);
  const auto* zone = tpl.field("sheet_number");
  ASSERT_NE(zone, nullptr);
  const cv::Rect2d r = box_px(zone->box.x, zone->box.y, zone->box.w, zone->box.h);
  const cv::Mat page = fill_sheet(tpl, blank, s, {f.hands, f.print}, rng).page;
  EXPECT_GT(ink_in(page, blank, cv::Rect(r)), 2.0);
  // The new number is as dark as the old one: printed, not handwritten.
  cv::Mat grey;
  cv::cvtColor(page(cv::Rect(r)), grey, cv::COLOR_BGR2GRAY);
  double lo = 0;
  cv::minMaxLoc(grey, &lo);
  EXPECT_LT(lo, 40);
}

TEST(Handwriting, BiggerCapitalsMakeTallerInkAndEmptyTextNone) {
  auto& f = fixture();
  Rng rng(3);
  Hand hand = random_hand(rng, f.hands.size());
  hand.rotation_deg = 0;
  hand.slant = 0;
  hand.cap_mm = 3;
  const InkMark small = write_text(f.hands, hand, "AB12", kPxPerMm, rng);
  hand.cap_mm = 5;
  const InkMark big = write_text(f.hands, hand, "AB12", kPxPerMm, rng);
  ASSERT_FALSE(small.alpha.empty());
  EXPECT_GT(big.alpha.rows, small.alpha.rows * 1.3);
  EXPECT_TRUE(write_text(f.hands, hand, "", kPxPerMm, rng).alpha.empty());
}

}  // namespace
}  // namespace carescan::synth
