#include "recognize/print_glyphs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace carescan::recognize {
namespace {

std::filesystem::path sheet_path() {
  return std::filesystem::path(CARESCAN_SOURCE_ROOT) / "models" / "print-glyphs.png";
}

// A printed glyph as the reader cuts it: its ink (255 - grey) alone, blurred like a capture,
// with where the capitals stand on its line, measured on an H printed on the same baseline.
struct Printed {
  cv::Mat ink;
  PrintGlyphs::Line line;
};

Printed printed(const std::string& font_file, char c, int height, double blur) {
  auto font = cv::freetype::createFreeType2();
  font->loadFontData(font_file, 0);
  const auto ink_of = [&](const std::string& text) {
    cv::Mat image(3 * height, 3 * height, CV_8UC3, cv::Scalar::all(255));
    font->putText(image, text, {height, 2 * height}, height, cv::Scalar::all(0), -1, cv::LINE_AA,
                  true);
    cv::cvtColor(image, image, cv::COLOR_BGR2GRAY);
    if (blur > 0) cv::GaussianBlur(image, image, {0, 0}, blur);
    return cv::Mat(255 - image);
  };
  Printed out;
  out.ink = ink_of(std::string(1, c));
  const cv::Rect h = cv::boundingRect(ink_of("H") > 127);
  out.line = {static_cast<double>(h.y), static_cast<double>(h.height)};
  return out;
}

constexpr const char* kBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
constexpr const char* kLiberation =
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";
// Not among the reference faces: a monospace one, narrower capitals, wider digits.
constexpr const char* kMono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";

// Every glyph, each among its own kind (digits or capitals) as the sheet number's reader asks.
std::string read_all(const PrintGlyphs& glyphs, const char* font, int height, double blur) {
  const std::string digits = "0123456789";
  std::string out;
  for (char c : PrintGlyphs::classes()) {
    const Printed p = printed(font, c, height, blur);
    const bool digit = digits.find(c) != std::string::npos;
    const auto shapes =
        glyphs.classify(p.ink, p.line, digit ? digits : "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    out += shapes.alternatives.empty() ? '?' : shapes.alternatives.front().text.front();
  }
  return out;
}

// Every capital and digit of the reference faces, small and blurred as a phone sees the sheet
// number (the capitals some 35 px high at 300 dpi, blurred by 2 px).
TEST(PrintGlyphs, ReadsEveryGlyphOfTheReferenceFacesBlurred) {
  const PrintGlyphs glyphs(sheet_path());
  for (const char* font : {kBold, kLiberation}) {
    EXPECT_EQ(read_all(glyphs, font, 48, 2.0), PrintGlyphs::classes()) << font;
  }
}

// A face it has no reference for (monospace: narrow capitals) reads worse, 30 of 36 when this
// was written, the misses wide capitals (M, W) and rounds taken for B: Tesseract stays beside it
// (printed.h) for such a face.
TEST(PrintGlyphs, ReadsMostGlyphsOfAnotherFace) {
  const PrintGlyphs glyphs(sheet_path());
  const std::string read = read_all(glyphs, kMono, 48, 1.5);
  int right = 0;
  for (std::size_t i = 0; i < read.size(); ++i) right += read[i] == PrintGlyphs::classes()[i];
  EXPECT_GE(right, 28) << read;
}

// An I and a J are the same bar but for the J's hook below the baseline; an O and a Q the same
// ring but for the tail: the glyph's place on its line tells them apart, its own box would not.
TEST(PrintGlyphs, TellsIFromJAndOFromQByWhatReachesBelowTheLine) {
  const PrintGlyphs glyphs(sheet_path());
  for (const char c : {'I', 'J', 'O', 'Q'}) {
    const Printed p = printed(kBold, c, 40, 2.5);
    const auto shapes = glyphs.classify(p.ink, p.line, "IJOQ").alternatives;
    ASSERT_FALSE(shapes.empty());
    EXPECT_EQ(shapes.front().text, std::string(1, c));
    EXPECT_GT(shapes.front().probability, 0.8) << c;
  }
}

TEST(PrintGlyphs, ProbabilitiesAreAmongTheAllowedClassesOnly) {
  const PrintGlyphs glyphs(sheet_path());
  const Printed p = printed(kBold, '0', 48, 1.0);
  const auto letters = glyphs.classify(p.ink, p.line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ").alternatives;
  ASSERT_EQ(letters.size(), 26U);
  EXPECT_EQ(letters.front().text, "O");  // the letter most like a zero
  double sum = 0;
  for (const auto& a : letters) sum += a.probability;
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(PrintGlyphs, NoInkNoReading) {
  const PrintGlyphs glyphs(sheet_path());
  const cv::Mat blank = cv::Mat::zeros(60, 40, CV_8U);
  const auto shapes = glyphs.classify(blank, {10, 30});
  EXPECT_TRUE(shapes.alternatives.empty());
  EXPECT_EQ(shapes.likeness, 0.0);
}

TEST(PrintGlyphs, RefusesASheetOfTheWrongShape) {
  const auto bad = std::filesystem::temp_directory_path() / "carescan_print_glyphs_bad.png";
  cv::imwrite(bad.string(), cv::Mat::zeros(32, 100, CV_8U));
  EXPECT_THROW(PrintGlyphs{bad}, std::runtime_error);
  std::filesystem::remove(bad);
  EXPECT_THROW(PrintGlyphs{std::filesystem::path("/nonexistent/print-glyphs.png")},
               std::runtime_error);
  EXPECT_THROW(PrintGlyphs{std::vector<cv::Mat>(35, cv::Mat::zeros(32, 32, CV_8U))},
               std::runtime_error);
}

}  // namespace
}  // namespace carescan::recognize
