#include "recognize/comb_model.h"

#include <gtest/gtest.h>

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include "recognize/routing_recognizer.h"

namespace carescan::recognize {
namespace {

std::filesystem::path model_path() {
  return std::filesystem::path(CARESCAN_SOURCE_ROOT) / "models" / "comb-chars.onnx";
}

// One character in a handwriting font that shared/domain/fonts.md allows, dark on white, about
// as large as in a comb cell at 300 dpi.
cv::Mat written(const std::string& font_file, const std::string& text, int height = 52) {
  auto font = cv::freetype::createFreeType2();
  font->loadFontData(font_file, 0);
  cv::Mat image(100, 100, CV_8UC3, cv::Scalar::all(255));
  font->putText(image, text, {25, 75}, height, cv::Scalar::all(0), -1, cv::LINE_AA, true);
  cv::cvtColor(image, image, cv::COLOR_BGR2GRAY);
  return image;
}

const std::vector<std::string> kFonts = {
    "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf",
    "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf",
    "/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf",
};

TEST(CombModel, ReadsRenderedDigitsOfAnAllowedFont) {
  CombModel model(model_path());
  for (const auto& font : kFonts) {
    if (!std::filesystem::exists(font)) continue;
    std::vector<cv::Mat> crops;
    for (char d = '0'; d <= '9'; ++d) crops.push_back(written(font, std::string(1, d)));
    const auto classes = model.classify(crops);
    ASSERT_EQ(classes.size(), crops.size());
    int right = 0;
    for (int d = 0; d < 10; ++d) {
      right += classes[d].front().text == std::string(1, static_cast<char>('0' + d)) ? 1 : 0;
    }
    // One look-alike slip (1/7) is tolerated per font; more means the model or its input broke.
    EXPECT_GE(right, 9) << font;
  }
}

TEST(CombModel, ReadsCapitalsAndSaysWhenACellHoldsNoCharacter) {
  CombModel model(model_path());
  const auto& font = kFonts.front();
  const auto classes = model.classify({written(font, "B"), written(font, "K"), written(font, "W"),
                                       // A speck where a character would be: no character.
                                       [] {
                                         cv::Mat speck(60, 50, CV_8U, cv::Scalar(255));
                                         cv::circle(speck, {25, 30}, 2, cv::Scalar(0), -1);
                                         return speck;
                                       }()});
  EXPECT_EQ(classes[0].front().text, "B");
  EXPECT_EQ(classes[1].front().text, "K");
  EXPECT_EQ(classes[2].front().text, "W");
  EXPECT_EQ(classes[3].front().text, "");
  double sum = 0;
  for (const auto& alt : classes[0]) sum += alt.probability;
  EXPECT_NEAR(sum, 1.0, 1e-3);
}

TEST(CombModel, NormalisesTheInkIntoTheMiddle) {
  const cv::Mat input = CombModel::normalise(written(kFonts.front(), "7"));
  ASSERT_EQ(input.size(), cv::Size(32, 32));
  ASSERT_EQ(input.type(), CV_32F);
  double low = 0, high = 0;
  cv::minMaxLoc(input, &low, &high);
  EXPECT_EQ(low, 0.0);
  EXPECT_GT(high, 0.9);
  // Ink within the 24-pixel box, centred: the border rows stay empty.
  EXPECT_EQ(cv::countNonZero(input.row(0)), 0);
  EXPECT_EQ(cv::countNonZero(input.row(31)), 0);
}

TEST(CombModel, RefusesAMissingFile) {
  EXPECT_THROW(CombModel("/nonexistent/comb.onnx"), std::runtime_error);
}

// Counts what reaches it: the router must send comb cells elsewhere.
class CountingRecognizer final : public Recognizer {
 public:
  int calls = 0;
  Recognition recognize(const cv::Mat&, const FieldRequest&) override {
    ++calls;
    Recognition out;
    out.text = "x";
    out.confidence = 0.5;
    return out;
  }
};

TEST(RoutingRecognizer, SendsCombCellsToTheModelAndTheRestToTheLineEngine) {
  CombModel model(model_path());
  CountingRecognizer printed;
  CountingRecognizer handwriting;
  RoutingRecognizer router(printed, &model, &handwriting);
  const auto& font = kFonts.front();
  const auto cells = router.recognize_all({written(font, "4"), written(font, "2")},
                                          {Layout::kChar, "0123456789", true, Content::kDigits});
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].text, "4");
  EXPECT_EQ(cells[1].text, "2");
  EXPECT_EQ(printed.calls + handwriting.calls, 0);
  router.recognize(written(font, "AB"), {Layout::kLine, "", true, Content::kName});
  EXPECT_EQ(handwriting.calls, 1);
  router.recognize(written(font, "A 123"), {Layout::kLine, "", false, Content::kText});
  EXPECT_EQ(printed.calls, 1);
  // Without a handwriting engine, handwriting goes to the printed engine too.
  RoutingRecognizer no_line(printed, &model, nullptr);
  no_line.recognize(written(font, "AB"), {Layout::kLine, "", true, Content::kName});
  EXPECT_EQ(printed.calls, 2);
}

TEST(RoutingRecognizer, KeepsOnlyAllowedCharactersRenormalised) {
  const auto r = cell_recognition({{"B", 0.6}, {"8", 0.3}, {"", 0.1}}, "0123456789", {10, 10});
  EXPECT_EQ(r.text, "8");
  ASSERT_EQ(r.symbols.size(), 1u);
  EXPECT_NEAR(r.symbols[0].confidence, 0.75, 1e-9);
  ASSERT_EQ(r.symbols[0].alternatives.size(), 2u);
  EXPECT_EQ(r.symbols[0].alternatives[1].text, "");
}

}  // namespace
}  // namespace carescan::recognize
