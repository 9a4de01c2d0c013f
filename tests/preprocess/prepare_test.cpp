#include "preprocess/prepare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "../forms/distorted_page.h"

using carescan::core::Page;
using carescan::preprocess::measure_page;
using carescan::preprocess::prepare_page;
using namespace carescan::forms::testing;

namespace {

cv::Mat reference(const std::string& form) {
  return cv::imread(std::string(CARESCAN_SOURCE_ROOT) + "/config/forms/" + form + ".png",
                    cv::IMREAD_GRAYSCALE);
}

// The sheet photographed on a wooden table: a darker BGR frame, the sheet turned and in
// perspective, lit unevenly.
struct Photo {
  cv::Mat image;
  std::vector<cv::Point2f> corners;  // TL, TR, BR, BL of the sheet in the photo
};

// `lit_wall`: left of the sheet, a strip of the background lit brighter than the rest, down the
// whole height of the photo. `corner_shadow`: the light falls off steeply towards the photo's
// top-left corner instead of gently from bottom to top, so that the paper there is darker than
// the table is elsewhere.
Photo photograph(
    const cv::Mat& sheet,
    std::vector<cv::Point2f> corners = {{420, 380}, {2580, 470}, {2680, 3620}, {300, 3560}},
    int lit_wall = 0, bool corner_shadow = false) {
  const cv::Size frame(3000, 4000);
  const std::vector<cv::Point2f> from{{0, 0},
                                      {float(sheet.cols), 0},
                                      {float(sheet.cols), float(sheet.rows)},
                                      {0, float(sheet.rows)}};
  Photo photo;
  photo.corners = std::move(corners);
  const cv::Mat h = cv::getPerspectiveTransform(from, photo.corners);
  cv::Mat grey(frame, CV_8UC1, cv::Scalar(90));
  // Between the table and the paper: only a threshold well below Otsu's takes it in.
  if (lit_wall > 0) grey.colRange(0, lit_wall).setTo(cv::Scalar(115));
  cv::warpPerspective(sheet, grey, h, frame, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
  cv::Mat light(frame, CV_32F);
  for (int y = 0; y < frame.height; ++y) light.row(y).setTo(0.75 + 0.25 * y / frame.height);
  if (corner_shadow) {
    const double reach = 0.5 * std::hypot(frame.width, frame.height);
    for (int y = 0; y < frame.height; ++y) {
      for (int x = 0; x < frame.width; ++x) {
        light.at<float>(y, x) = float(0.3 + 0.7 * std::min(1.0, std::hypot(x, y) / reach));
      }
    }
  }
  cv::Mat lit;
  grey.convertTo(lit, CV_32F);
  lit = lit.mul(light);
  lit.convertTo(grey, CV_8U);
  cv::cvtColor(grey, photo.image, cv::COLOR_GRAY2BGR);
  return photo;
}

cv::Point2d apply(const cv::Mat& h, cv::Point2d p) {
  const cv::Mat v = h * (cv::Mat_<double>(3, 1) << p.x, p.y, 1.0);
  return {v.at<double>(0) / v.at<double>(2), v.at<double>(1) / v.at<double>(2)};
}

// The prepared page's corners land on the sheet's corners in the photo, within `tolerance` px.
void expect_sheet_corners(const carescan::preprocess::PreparedPage& prepared, const Photo& photo,
                          double tolerance = 15) {
  const std::vector<cv::Point2d> corners{{0, 0}, {2480, 0}, {2480, 3508}, {0, 3508}};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto found = apply(prepared.original_from_prepared, corners[i]);
    EXPECT_NEAR(found.x, photo.corners[i].x, tolerance) << "corner " << i;
    EXPECT_NEAR(found.y, photo.corners[i].y, tolerance) << "corner " << i;
  }
}

}  // namespace

TEST(Prepare, EstimatesDpiFromA4WidthWhenFileDoesNotSay) {
  const auto prepared = prepare_page(Page{reference("ald"), 1, 0});
  EXPECT_NEAR(prepared.dpi_estimate, 300, 5);
  EXPECT_EQ(prepared.grey.type(), CV_8UC1);
  EXPECT_FALSE(prepared.perspective_corrected);
}

TEST(Prepare, TakesDpiFromTheFileWhenGiven) {
  const auto page = distort(reference("ald"), {.output_scale = 200.0 / 300});
  EXPECT_EQ(prepare_page(Page{page.image, 1, 200}).dpi_estimate, 200);
}

TEST(Prepare, RemovesSkewOfAScan) {
  for (double skew : {2.5, -1.4}) {
    const auto page = distort(reference("ambulatoire"), {.rotation_deg = skew, .noise_sigma = 6});
    const auto prepared = prepare_page(Page{page.image, 1, 300});
    EXPECT_NEAR(prepared.skew_deg, skew, 0.15);
    // The page's top-left form corner, deskewed, lands where the unrotated page had it.
    const cv::Point2d corner(120, 555);  // the assured block's top-left rule corner
    const auto on_original = apply(page.page_from_template, corner);
    const auto on_prepared = apply(prepared.original_from_prepared.inv(), on_original);
    const auto expected = apply(distort(reference("ambulatoire"), {}).page_from_template, corner);
    EXPECT_NEAR(on_prepared.x, expected.x, 12);
    EXPECT_NEAR(on_prepared.y, expected.y, 12);
  }
}

TEST(Prepare, FindsTheSheetInAPhotoAndRectifiesIt) {
  const auto photo = photograph(reference("dentaire"));
  const auto prepared = prepare_page(Page{photo.image, 1, 72});
  ASSERT_TRUE(prepared.perspective_corrected);
  EXPECT_EQ(prepared.grey.size(), cv::Size(2480, 3508));
  expect_sheet_corners(prepared, photo);
}

// A sheet photographed at a slant (its sides foreshortened beyond A4's proportions) beside a lit
// wall: the outline is the sheet's, not the sheet and the wall together, whose union can look
// more like A4 than the slanted sheet does.
TEST(Prepare, KeepsTheSheetApartFromALitWallBesideIt) {
  const auto photo = photograph(reference("ambulatoire"),
                                {{700, 520}, {2500, 380}, {2490, 3600}, {710, 3280}}, 700);
  const auto prepared = prepare_page(Page{photo.image, 1, 72});
  ASSERT_TRUE(prepared.perspective_corrected);
  expect_sheet_corners(prepared, photo);
}

// A phone held at a slant foreshortens the sheet: here it looks nearly as wide as it is tall,
// 20 % off A4's proportions. With a corner in shadow, only the lower levels and the edges find
// the whole sheet, and its proportions must not rule it out.
TEST(Prepare, FindsASheetPhotographedSteeplyAslant) {
  const auto photo =
      photograph(reference("ald"), {{520, 700}, {2560, 760}, {2850, 3350}, {160, 3300}}, 0, true);
  const auto prepared = prepare_page(Page{photo.image, 1, 72});
  ASSERT_TRUE(prepared.perspective_corrected);
  expect_sheet_corners(prepared, photo);
}

// A phone held close cuts the sheet's four corners off: each side shows along part of its length,
// and the sides carried on meet where the corners were, within 1 % of the sheet's size
// (registration takes the rest). That outline is offered last, after the page unrectified.
TEST(Prepare, OutlinesASheetWhoseCornersThePhotoCutsOff) {
  const auto photo =
      photograph(reference("ald"), {{-150, 400}, {2600, -150}, {3150, 3600}, {350, 4150}});
  const Page page{photo.image, 1, 72};
  const auto first = measure_page(page);
  ASSERT_EQ(first.framings, first.outlines + 2);
  EXPECT_FALSE(measure_page(page, first.outlines).perspective_corrected);
  const auto past_frame = measure_page(page, first.outlines + 1);
  ASSERT_TRUE(past_frame.perspective_corrected);
  expect_sheet_corners(past_frame, photo, 30);
}

// The sheet's top-left corner in a shadow deeper than the table beside its bright side: no one
// level parts paper from table all round, and the brightest region alone has that corner cut
// off, a quadrilateral of about A4's proportions all the same.
TEST(Prepare, KeepsTheSheetsCornerThatLiesInShadow) {
  const auto photo =
      photograph(reference("ald"), {{380, 420}, {2600, 380}, {2700, 3600}, {280, 3650}}, 0, true);
  const auto prepared = prepare_page(Page{photo.image, 1, 72});
  ASSERT_TRUE(prepared.perspective_corrected);
  expect_sheet_corners(prepared, photo);
}

TEST(Prepare, FlattensUnevenLightToWhitePaper) {
  const auto photo = photograph(reference("ald"));
  const auto prepared = prepare_page(Page{photo.image, 1, 0});
  // Paper near the top (dimmed to 75 %) and near the bottom both come out white. The top patch
  // is the blank paper above the title.
  const cv::Scalar top = cv::mean(prepared.grey(cv::Rect(1000, 320, 300, 30)));
  const cv::Scalar bottom = cv::mean(prepared.grey(cv::Rect(1000, 3380, 300, 40)));
  EXPECT_GT(top[0], 235);
  EXPECT_GT(bottom[0], 235);
}

TEST(Prepare, EvensOutCopierStreaksAndKeepsInk) {
  // Paper at 235 with a printed rule down column 100 and three streaks a copier glass left.
  cv::Mat page(600, 400, CV_8UC1, cv::Scalar(235));
  page.colRange(100, 102).rowRange(50, 250).setTo(20);
  for (int x : {150, 151, 260, 300}) page.col(x) -= cv::Scalar(60);
  const cv::Mat even = carescan::preprocess::even_out_streaks(page, 85);
  for (int x : {150, 151, 260, 300}) {
    EXPECT_NEAR(cv::mean(even.col(x))[0], 235, 3) << "column " << x;
  }
  EXPECT_LT(cv::mean(even.col(100).rowRange(50, 250))[0], 30);  // the rule stays ink
}

TEST(Prepare, EvensOutStreaksOnAFullPageAndUnderAToneCloud) {
  // A 300 dpi page: paper at 240, a band of toner cloud 40 levels darker across its middle,
  // a streak 15 px wide (1.3 mm) 70 levels deep down the whole page, ink strokes across it.
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(240));
  page.rowRange(1500, 2000) -= cv::Scalar(40);
  page.colRange(1200, 1215) -= cv::Scalar(70);
  page(cv::Rect(1150, 600, 120, 6)).setTo(25);
  const cv::Mat even = carescan::preprocess::even_out_streaks(page, 300);
  ASSERT_NE(even.data, page.data);
  // Clear paper and the cloud come back to their level beside the streak, not darker.
  EXPECT_NEAR(even.at<std::uint8_t>(300, 1207), 240, 3);
  EXPECT_NEAR(even.at<std::uint8_t>(1700, 1207), 200, 3);
  EXPECT_EQ(even.at<std::uint8_t>(1700, 1000), 200);  // outside the streak: untouched
  // The stroke across the streak stays far darker than the ink threshold (210).
  EXPECT_LT(even.at<std::uint8_t>(602, 1207), 110);
  EXPECT_EQ(even.at<std::uint8_t>(602, 1160), 25);
}

TEST(Prepare, LeavesAPageWithoutStreaksAsItIs) {
  cv::Mat page(600, 400, CV_8UC1, cv::Scalar(240));
  page.colRange(0, 40).setTo(30);  // a dark copier bed beside the sheet: a step, not a streak
  const cv::Mat even = carescan::preprocess::even_out_streaks(page, 85);
  EXPECT_EQ(even.data, page.data);
}

// Every candidate outline of a photo can be asked for (the reader tries the others when the
// likeliest shows no care sheet): each rectifies the page, none twice, the sheet's own among them;
// past the last, the page is only deskewed.
TEST(Prepare, OffersEachCandidateOutlineOfAPhoto) {
  const auto photo =
      photograph(reference("ald"), {{380, 420}, {2600, 380}, {2700, 3600}, {280, 3650}}, 0, true);
  const Page page{photo.image, 1, 72};
  const auto first = measure_page(page);
  ASSERT_GE(first.outlines, 2U);
  int on_the_sheet = 0;
  std::vector<cv::Mat> seen;
  for (std::size_t k = 0; k < first.outlines; ++k) {
    const auto prepared = measure_page(page, k);
    ASSERT_TRUE(prepared.perspective_corrected) << k;
    EXPECT_EQ(prepared.outlines, first.outlines);
    for (const auto& other : seen) {
      EXPECT_GT(cv::norm(other, prepared.original_from_prepared, cv::NORM_INF), 1.0) << k;
    }
    seen.push_back(prepared.original_from_prepared);
    bool all = true;
    const std::vector<cv::Point2d> corners{{0, 0}, {2480, 0}, {2480, 3508}, {0, 3508}};
    for (std::size_t i = 0; i < 4; ++i) {
      const auto found = apply(prepared.original_from_prepared, corners[i]);
      all = all && cv::norm(found - cv::Point2d(photo.corners[i])) < 20;
    }
    on_the_sheet += all ? 1 : 0;
  }
  EXPECT_GE(on_the_sheet, 1);
  EXPECT_FALSE(measure_page(page, first.outlines).perspective_corrected);
}
