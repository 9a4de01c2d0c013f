#include "extract/printed.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "extract/extractor.h"
#include "filled_sheet.h"
#include "recognize/tesseract_recognizer.h"

namespace carescan::extract {
namespace {

using testing::load_form;
using testing::SheetWriter;

// What a phone does to the print: a blur of a few pixels and light that falls off across the
// page, darker than the ink threshold that suits handwriting on a scan.
cv::Mat photographed(const cv::Mat& grey, double blur_sigma) {
  cv::Mat out;
  cv::GaussianBlur(grey, out, {}, blur_sigma);
  cv::Mat light(out.size(), CV_32F);
  for (int y = 0; y < light.rows; ++y) {
    for (int x = 0; x < light.cols; ++x) {
      light.at<float>(y, x) = 0.72F + 0.2F * static_cast<float>(x) / static_cast<float>(light.cols);
    }
  }
  out.convertTo(out, CV_32F);
  cv::multiply(out, light, out);
  out.convertTo(out, CV_8U);
  return out;
}

// What a fax does: 200 dpi, black or white, then back to the page's size.
cv::Mat faxed(const cv::Mat& grey) {
  cv::Mat low;
  cv::resize(grey, low, {}, 2.0 / 3, 2.0 / 3, cv::INTER_AREA);
  cv::threshold(low, low, 128, 255, cv::THRESH_BINARY);
  cv::Mat out;
  cv::resize(low, out, grey.size(), 0, 0, cv::INTER_NEAREST);
  return out;
}

// A page registered a few pixels off: everything printed moves by (dx, dy) against the boxes.
cv::Mat shifted(const cv::Mat& grey, int dx, int dy) {
  cv::Mat out(grey.size(), grey.type(), cv::Scalar(255));
  const cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, dy);
  cv::warpAffine(grey, out, m, grey.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return out;
}

class PrintedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    recognizer_ = new recognize::TesseractRecognizer();
    glyphs_ = new recognize::PrintGlyphs(std::filesystem::path(CARESCAN_SOURCE_ROOT) / "models" /
                                         "print-glyphs.png");
  }
  static void TearDownTestSuite() {
    delete recognizer_;
    recognizer_ = nullptr;
    delete glyphs_;
    glyphs_ = nullptr;
  }
  // Read by Tesseract alone, or with the glyphs' shapes too (as the reader does).
  core::ReadField serial_of(const cv::Mat& page, bool shapes = false) {
    FieldExtractor extractor(*recognizer_, {}, shapes ? glyphs_ : nullptr);
    return extractor.extract(form_, page).fields.at("sheet_number");
  }
  cv::Rect box() const { return to_pixels(form_.field("sheet_number")->box, 300); }

  static recognize::TesseractRecognizer* recognizer_;
  static recognize::PrintGlyphs* glyphs_;
  forms::FormTemplate form_ = load_form("ambulatoire");
};
recognize::TesseractRecognizer* PrintedTest::recognizer_ = nullptr;
recognize::PrintGlyphs* PrintedTest::glyphs_ = nullptr;

// Before the serial had its own path, the fixed ink threshold merged a photo's blurred digits
// into blobs and nothing, or a shorter number, was read.
TEST_F(PrintedTest, ReadsABlurredUnevenlyLitPhoto) {
  SheetWriter sheet(form_);
  sheet.print_serial("N 6870019");
  const auto field = serial_of(photographed(sheet.page(), 2.5));
  EXPECT_EQ(field.value, "N 6870019") << field.raw.value_or("");
  EXPECT_GT(field.confidence, 0.5);
}

// Registration that leaves the number half past the box's bottom border: the border is not read
// as ink and the digits' lower half is not cut away.
TEST_F(PrintedTest, ReadsASerialPastItsBoxBorder) {
  SheetWriter sheet(form_);
  sheet.print_serial("T 4406407");
  const auto field = serial_of(shifted(sheet.page(), 10, 24));
  EXPECT_EQ(field.value, "T 4406407") << field.raw.value_or("");
  EXPECT_GT(field.confidence, 0.5);
}

// A curled photo's corner, which one homography cannot follow, leaves the serial a box's height
// or more from where registration puts it: above or below, it is still found and read whole.
TEST_F(PrintedTest, FindsASerialAWholeBoxAwayFromItsPlace) {
  SheetWriter sheet(form_);
  sheet.print_serial("F 4934779");
  for (const int dy : {-box().height, 3 * box().height / 2}) {
    const auto field = serial_of(shifted(sheet.page(), 0, dy));
    EXPECT_EQ(field.value, "F 4934779") << "moved " << dy << ": " << field.raw.value_or("");
  }
}

TEST_F(PrintedTest, FindsTheSerialsGlyphsWithoutBorderOrLabel) {
  SheetWriter sheet(form_);
  sheet.print_serial("B 0374805");
  const PrintedLine line = find_printed_line(sheet.page(), box(), {});
  // "B", then seven digits: one glyph each in a clean print.
  ASSERT_EQ(line.glyphs.size(), 8U);
  const int height = line.glyphs.front().height;
  for (const auto& g : line.glyphs) EXPECT_NEAR(g.height, height, height / 4.0);
  // The gap after the series letter is the widest.
  EXPECT_GT(line.glyphs[1].x - line.glyphs[0].br().x, line.glyphs[2].x - line.glyphs[1].br().x);
}

// Tesseract reads a series I beside digits as a 1 and alone as nothing; a J, as narrow in the
// serial's face, is never taken for one.
TEST_F(PrintedTest, ReadsTheSeriesIByItsShape) {
  for (const std::string serial : {"I 5142387", "I 6364250"}) {
    SheetWriter sheet(form_);
    sheet.print_serial(serial);
    for (const cv::Mat& page :
         {sheet.page(), faxed(sheet.page()), photographed(sheet.page(), 2.0)}) {
      const auto field = serial_of(page);
      EXPECT_EQ(field.value, serial) << field.raw.value_or("");
    }
  }
  SheetWriter sheet(form_);
  sheet.print_serial("J 9776404");
  const auto field = serial_of(sheet.page());
  EXPECT_NE(field.value.value_or(""), "I 9776404");
}

// The series letters Tesseract loses or reads as a digit beside the number (O as 0, Z as 2, X
// dropped), and a J it takes for an I: read by their shape, on a scan, a fax and a blurred photo.
TEST_F(PrintedTest, ReadsTheSeriesLetterByItsShape) {
  for (const std::string serial :
       {"O 6972063", "Z 7097754", "X 0119735", "J 4909226", "U 5222255"}) {
    SheetWriter sheet(form_);
    sheet.print_serial(serial);
    for (const cv::Mat& page :
         {sheet.page(), faxed(sheet.page()), photographed(sheet.page(), 3.0)}) {
      const auto field = serial_of(page, true);
      EXPECT_EQ(field.value, serial) << field.raw.value_or("");
    }
  }
}

// A photo blurred enough that the bold digits run together into a few blobs: cut into seven
// slots of one pitch and read by shape, the number is still read; with Tesseract alone, not.
TEST_F(PrintedTest, ReadsRunTogetherDigitsInSlotsOfOnePitch) {
  int shapes_right = 0;
  int tesseract_right = 0;
  for (const std::string serial : {"R 6940280", "I 5656922", "Z 3647887"}) {
    SheetWriter sheet(form_);
    sheet.print_serial(serial);
    const cv::Mat page = photographed(sheet.page(), 3.5);
    shapes_right += serial_of(page, true).value == serial ? 1 : 0;
    tesseract_right += serial_of(page).value == serial ? 1 : 0;
  }
  EXPECT_EQ(shapes_right, 3);
  EXPECT_LT(tesseract_right, 3);
}

TEST_F(PrintedTest, EmptyBoxIsBlank) {
  SheetWriter sheet(form_);
  sheet.print_serial("");
  const auto field = serial_of(photographed(sheet.page(), 2.0));
  EXPECT_FALSE(field.value) << *field.value;
}

// Something printed that is not of the serial's shape (a letter and seven digits) is never a
// confident reading, whatever the engine says of its characters.
TEST_F(PrintedTest, AValueOfAnotherShapeIsNotConfident) {
  SheetWriter sheet(form_);
  sheet.print_serial("AB 12345");
  const auto field = serial_of(sheet.page());
  EXPECT_LT(field.confidence, 0.5) << field.raw.value_or("");
}

}  // namespace
}  // namespace carescan::extract
