#include "recognize/tesseract_recognizer.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

namespace carescan::recognize {
namespace {

// Typed in DejaVu Sans, as the sheet's serial number is printed.
cv::Mat written(const std::string& text) {
  auto font = cv::freetype::createFreeType2();
  font->loadFontData("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0);
  cv::Mat image(90, 60 + 40 * static_cast<int>(text.size()), CV_8UC3, cv::Scalar::all(255));
  font->putText(image, text, {20, 65}, 50, cv::Scalar::all(0), -1, cv::LINE_AA, true);
  cv::cvtColor(image, image, cv::COLOR_BGR2GRAY);
  return image;
}

TEST(TesseractRecognizer, ReadsDigitsWithinTheAllowedCharacters) {
  TesseractRecognizer recognizer;
  const auto r = recognizer.recognize(written("420573"), {Layout::kWord, "0123456789", true});
  EXPECT_EQ(r.text, "420573");
  EXPECT_GT(r.confidence, 0.5);
  ASSERT_EQ(r.symbols.size(), 6u);
  // Symbol boxes are in the crop's pixels, left to right.
  EXPECT_LT(r.symbols.front().box.x, r.symbols.back().box.x);
  EXPECT_GE(r.symbols.front().box.x, 0);
}

TEST(TesseractRecognizer, AnswersOnlyWithAllowedCharacters) {
  TesseractRecognizer recognizer;
  const auto r = recognizer.recognize(written("B"), {Layout::kChar, "0123456789", true});
  for (char c : r.text) EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(c))) << r.text;
}

TEST(TesseractRecognizer, ReadsNothingFromAnEmptyCrop) {
  TesseractRecognizer recognizer;
  const cv::Mat white(60, 200, CV_8U, cv::Scalar(255));
  const auto r = recognizer.recognize(white, {Layout::kLine, "", true});
  EXPECT_TRUE(r.text.empty());
  EXPECT_EQ(r.confidence, 0.0);
}

TEST(TesseractRecognizer, RefusesMissingLanguageData) {
  EXPECT_THROW(TesseractRecognizer("/nonexistent", "eng"), std::runtime_error);
}

// Leptonica's complaint about a box outside the image, the one Tesseract triggers on a crop at
// the page's edge, no longer reaches stderr.
TEST(TesseractRecognizer, LeptonicaKeepsItsInternalComplaintsOffStderr) {
  BOX* outside = boxCreate(500, 500, 10, 10);
  testing::internal::CaptureStderr();
  BOX* clipped = boxClipToRectangle(outside, 100, 100);
  const std::string loud = testing::internal::GetCapturedStderr();
  EXPECT_EQ(clipped, nullptr);
  EXPECT_NE(loud.find("boxClipToRectangle"), std::string::npos);  // the default speaks
  silence_leptonica_messages();
  testing::internal::CaptureStderr();
  clipped = boxClipToRectangle(outside, 100, 100);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(clipped, nullptr);
  boxDestroy(&outside);
}

}  // namespace
}  // namespace carescan::recognize
