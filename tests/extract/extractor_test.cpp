#include "extract/extractor.h"

#include <gtest/gtest.h>

#include <map>

#include "filled_sheet.h"
#include "recognize/comb_model.h"
#include "recognize/line_model.h"
#include "recognize/routing_recognizer.h"
#include "recognize/tesseract_recognizer.h"

namespace carescan::extract {
namespace {

using testing::load_form;
using testing::SheetWriter;

class ExtractorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { recognizer_ = new recognize::TesseractRecognizer(); }
  static void TearDownTestSuite() {
    delete recognizer_;
    recognizer_ = nullptr;
  }
  static recognize::TesseractRecognizer* recognizer_;
  forms::FormTemplate form_ = load_form("ambulatoire");
};
recognize::TesseractRecognizer* ExtractorTest::recognizer_ = nullptr;

TEST_F(ExtractorTest, BlankSheetHasNoValuesAndNoLines) {
  SheetWriter sheet(form_);
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(form_, sheet.page());
  for (const char* id : {"insured_name", "cin", "birth_date", "institution", "total_amount",
                         "signature_date", "signature_place", "medical_total"}) {
    ASSERT_TRUE(out.fields.count(id)) << id;
    EXPECT_FALSE(out.fields.at(id).value) << id << " read " << *out.fields.at(id).value;
    EXPECT_GT(out.fields.at(id).confidence, 0.9) << id;
  }
  EXPECT_EQ(out.fields.at("insured_signature").value, "false");
  EXPECT_FALSE(out.fields.at("sex").value);
  EXPECT_TRUE(out.lines.empty());
}

TEST_F(ExtractorTest, ReadsCombFieldsCellByCell) {
  SheetWriter sheet(form_);
  sheet.write_comb("cin", "BE123456");
  sheet.write_comb("birth_date", "12042003");
  sheet.write_comb("signature_date", "14032025");
  sheet.write_comb("total_amount", "    42050");
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(form_, sheet.page());
  EXPECT_EQ(out.fields.at("cin").value, "BE123456");
  EXPECT_EQ(out.fields.at("birth_date").value, "2003-04-12");
  EXPECT_EQ(out.fields.at("signature_date").value, "2025-03-14");
  EXPECT_EQ(out.fields.at("total_amount").value, "420.50");
  EXPECT_GT(out.fields.at("cin").confidence, 0.5);
}

TEST_F(ExtractorTest, ReadsCapitalsOnDottedLines) {
  SheetWriter sheet(form_);
  sheet.write("insured_name", "EL AMRANI YOUSSEF");
  sheet.write("signature_place", "RABAT");
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(form_, sheet.page());
  EXPECT_EQ(out.fields.at("insured_name").value, "EL AMRANI YOUSSEF");
  EXPECT_EQ(out.fields.at("signature_place").value, "RABAT");
}

TEST_F(ExtractorTest, ReadsPrintedSerialNumber) {
  SheetWriter sheet(form_);
  sheet.print_serial("A 4718293");
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(form_, sheet.page());
  EXPECT_EQ(out.fields.at("sheet_number").value, "A 4718293");
  EXPECT_GT(out.fields.at("sheet_number").confidence, 0.8);
}

TEST_F(ExtractorTest, SeesSignatureAndTickedSex) {
  SheetWriter sheet(form_);
  sheet.sign("insured_signature");
  sheet.tick("sex_f");
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(form_, sheet.page());
  EXPECT_EQ(out.fields.at("insured_signature").value, "true");
  EXPECT_TRUE(out.fields.at("insured_signature").boolean);
  EXPECT_EQ(out.fields.at("sex").value, "F");
}

// A large tick drawn over its box's outline: removing the printed box takes its middle away with
// the outline, and what is left are its point below the box and its long arm out past the
// corner, each centred beside the box but reaching into it (drawn here as they are left).
TEST_F(ExtractorTest, ReadsASexTickDrawnOverItsBoxsOutline) {
  SheetWriter sheet(form_);
  cv::Mat page = sheet.page();
  const cv::Rect r = to_pixels(form_.field("sex_f")->box, 300);
  const cv::Scalar ink(20, 20, 20);
  cv::line(page, {r.x + r.width - 2, r.y + 4}, {r.x + r.width + 30, r.y - 40}, ink, 4);
  const std::vector<cv::Point> point{{r.x + 6, r.y + r.height - 2},
                                     {r.x + r.width / 2, r.y + r.height + 22},
                                     {r.x + r.width - 6, r.y + r.height + 4}};
  cv::polylines(page, point, false, ink, 4);
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(form_, page);
  EXPECT_EQ(out.fields.at("sex").value, "F");
}

TEST_F(ExtractorTest, ReadsOnlyFilledTableRows) {
  SheetWriter sheet(form_);
  const auto& row = form_.field("medical_acts")->rows.at(1);
  sheet.write(row.cell("date")->box, "12/03/2025", 48);
  sheet.write(row.cell("act")->box, "CONSULTATION", 48);
  sheet.write(row.cell("key_letter")->box, "C", 48);
  sheet.write(row.cell("amount")->box, "150,00", 48);
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(form_, sheet.page());
  ASSERT_EQ(out.lines.size(), 1u);
  const auto& line = out.lines.front();
  EXPECT_EQ(line.table, "medical_acts");
  EXPECT_EQ(line.row, 1);
  EXPECT_EQ(line.cells.at("date").value, "2025-03-12");
  EXPECT_EQ(line.cells.at("amount").value, "150.00");
  EXPECT_EQ(line.cells.at("description").value, "CONSULTATION");
  EXPECT_EQ(line.cells.at("code").value, "C");
  EXPECT_FALSE(line.cells.at("coefficient").value);
}

// A photocopy's dots and what a page registered a few pixels off leaves of the chart's lines are
// no ticks: only the crossed tooth is read.
TEST_F(ExtractorTest, ReadsTheTickedToothAmongCopierDotsAndShiftedLines) {
  const forms::FormTemplate dental = load_form("dentaire");
  SheetWriter sheet(dental);
  sheet.tick("tooth_31");
  cv::Mat page = sheet.page();
  const cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, 3, 0, 1, 4);
  cv::warpAffine(page, page, m, page.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(255));
  cv::Rect chart = to_pixels(dental.field("tooth_18")->box, 300);
  chart |= to_pixels(dental.field("tooth_38")->box, 300);
  cv::RNG rng(7);
  for (int i = 0; i < 60; ++i) {
    const cv::Point at(chart.x + rng.uniform(0, chart.width),
                       chart.y + rng.uniform(0, chart.height));
    cv::circle(page, at, rng.uniform(2, 5), cv::Scalar(30), cv::FILLED);
  }
  FieldExtractor extractor(*recognizer_);
  const auto out = extractor.extract(dental, page);
  EXPECT_EQ(out.fields.at("teeth").value, "31");
}

// Reads every line as the models do, then changes the reading: a second source that disagrees.
// The model's own reading stays among the alternatives at `kept_share` of the new favourite's
// probability (0: dropped).
class Misreading final : public recognize::Recognizer {
 public:
  Misreading(recognize::Recognizer& inner, double kept_share)
      : inner_(inner), kept_share_(kept_share) {}
  recognize::Recognition recognize(const cv::Mat& crop,
                                   const recognize::FieldRequest& request) override {
    auto out = inner_.recognize(crop, request);
    if (out.text.empty()) return out;
    const std::string own = out.text;
    out.text.back() = out.text.back() == '7' ? '1' : '7';
    out.readings = {{out.text, out.confidence}};
    if (kept_share_ > 0) out.readings.push_back({own, out.confidence * kept_share_});
    return out;
  }

 private:
  recognize::Recognizer& inner_;
  double kept_share_;
};

TEST_F(ExtractorTest, ACinTheLineModelReadsAlikeOrAsACloseSecondIsCorroborated) {
  const auto models = testing::source_root() / "models";
  recognize::CombModel comb(models / "comb-chars.onnx");
  recognize::LineModelRecognizer line(models / "line-hw.onnx", nullptr);
  SheetWriter sheet(form_);
  sheet.write_comb("cin", "BE123456");
  ExtractionSettings settings;
  settings.cell_classifier = true;
  recognize::RoutingRecognizer agreeing(*recognizer_, &comb, &line);
  const auto read = FieldExtractor(agreeing, settings).extract(form_, sheet.page());
  EXPECT_EQ(read.fields.at("cin").value, "BE123456");
  EXPECT_TRUE(read.fields.at("cin").corroborated);

  // The line model prefers another reading, and holds the cells' one far behind or not at all.
  for (const double share : {0.0, 0.2}) {
    Misreading other(line, share);
    recognize::RoutingRecognizer disagreeing(*recognizer_, &comb, &other);
    const auto alone = FieldExtractor(disagreeing, settings).extract(form_, sheet.page());
    EXPECT_EQ(alone.fields.at("cin").value, "BE123456");
    EXPECT_FALSE(alone.fields.at("cin").corroborated) << share;
    EXPECT_EQ(alone.fields.at("cin").confidence, read.fields.at("cin").confidence);
  }
  // A close second (half the favourite's probability) backs cells that are fairly sure.
  Misreading close(line, 0.5);
  recognize::RoutingRecognizer nearly(*recognizer_, &comb, &close);
  const auto backed = FieldExtractor(nearly, settings).extract(form_, sheet.page());
  EXPECT_EQ(backed.fields.at("cin").value, "BE123456");
  EXPECT_TRUE(backed.fields.at("cin").corroborated);
}

// Passes every request on to the line model and counts the readings of each content.
class CountingLines final : public recognize::Recognizer {
 public:
  explicit CountingLines(recognize::Recognizer& inner) : inner_(inner) {}
  recognize::Recognition recognize(const cv::Mat& crop,
                                   const recognize::FieldRequest& request) override {
    ++calls[request.content];
    return inner_.recognize(crop, request);
  }
  recognize::Recognition recognize_weighing(const cv::Mat& crop,
                                            const recognize::FieldRequest& request,
                                            const std::vector<std::string>& proposed) override {
    ++calls[request.content];
    return inner_.recognize_weighing(crop, request, proposed);
  }
  bool reads_alike_at_any_scale(const recognize::FieldRequest& request) override {
    return inner_.reads_alike_at_any_scale(request);
  }
  std::map<recognize::Content, int> calls;

 private:
  recognize::Recognizer& inner_;
};

// A line model reads a crop alike at any scale: a table cell is read once, not cross-checked at
// a smaller scale, while the name, a key field, still is.
TEST_F(ExtractorTest, ALineModelReadsTableCellsOnceAndTheNameTwice) {
  const auto models = testing::source_root() / "models";
  recognize::LineModelRecognizer line(models / "line-hw.onnx", nullptr);
  EXPECT_TRUE(line.reads_alike_at_any_scale({}));
  EXPECT_FALSE(recognizer_->reads_alike_at_any_scale({}));
  SheetWriter sheet(form_);
  sheet.write("insured_name", "ALAMI SARA");
  const auto& row = form_.field("medical_acts")->rows.at(0);
  sheet.write(row.cell("date")->box, "12/03/2025", 48);
  sheet.write(row.cell("amount")->box, "150,00", 48);
  CountingLines counting(line);
  recognize::RoutingRecognizer router(*recognizer_, nullptr, &counting);
  const auto out = FieldExtractor(router).extract(form_, sheet.page());
  ASSERT_EQ(out.lines.size(), 1u);
  EXPECT_EQ(out.lines.front().cells.at("amount").value, "150.00");
  EXPECT_EQ(counting.calls[recognize::Content::kName], 2);
  EXPECT_EQ(counting.calls[recognize::Content::kDate], 1);
  EXPECT_EQ(counting.calls[recognize::Content::kAmount], 1);
}

// Reads as the models do, except that a reading `from` comes back as `to` with nothing else in
// its beam: a misreading whose truth the beam never held. Readings it is asked to weigh go to
// the model when `weighs`, are ignored otherwise.
class BeamLoser final : public recognize::Recognizer {
 public:
  BeamLoser(recognize::Recognizer& inner, bool weighs, std::string from, std::string to)
      : inner_(inner), weighs_(weighs), from_(std::move(from)), to_(std::move(to)) {}
  recognize::Recognition recognize(const cv::Mat& crop,
                                   const recognize::FieldRequest& request) override {
    auto out = inner_.recognize(crop, request);
    if (out.text == from_) {
      out.text = to_;
      out.readings = {{to_, out.confidence}};
    }
    return out;
  }
  recognize::Recognition recognize_weighing(const cv::Mat& crop,
                                            const recognize::FieldRequest& request,
                                            const std::vector<std::string>& proposed) override {
    return weighs_ ? inner_.recognize_weighing(crop, request, proposed) : recognize(crop, request);
  }

 private:
  recognize::Recognizer& inner_;
  bool weighs_;
  std::string from_;
  std::string to_;
};

TEST_F(ExtractorTest, ARowAmountTheBeamLostIsFoundFromTheSectionTotal) {
  const auto models = testing::source_root() / "models";
  recognize::LineModelRecognizer line(models / "line-hw.onnx", nullptr);
  SheetWriter sheet(form_);
  const auto& rows = form_.field("medical_acts")->rows;
  sheet.write(rows.at(0).cell("date")->box, "12/03/2025", 48);
  sheet.write(rows.at(0).cell("amount")->box, "150,00", 48);
  sheet.write(rows.at(1).cell("date")->box, "14/03/2025", 48);
  sheet.write(rows.at(1).cell("amount")->box, "90,00", 48);
  sheet.write("medical_total", "240,00");
  const auto amounts = [&](bool weighs) {
    BeamLoser losing(line, weighs, "90,00", "80,00");
    recognize::RoutingRecognizer router(*recognizer_, nullptr, &losing);
    const auto out = FieldExtractor(router).extract(form_, sheet.page());
    std::vector<std::string> read;
    for (const auto& l : out.lines) read.push_back(l.cells.at("amount").value.value_or("-"));
    read.push_back(out.fields.at("medical_total").value.value_or("-"));
    return read;
  };
  // Asked, the model finds the 90,00 the total implies far likelier in the ink than the 80,00
  // it was handed: the sum is mended.
  EXPECT_EQ(amounts(true), (std::vector<std::string>{"150.00", "90.00", "240.00"}));
  // An engine that cannot weigh it leaves the misreading, for the validator to report.
  EXPECT_EQ(amounts(false), (std::vector<std::string>{"150.00", "80.00", "240.00"}));
}

TEST_F(ExtractorTest, ACareDateReadOutsideTheWeeksBeforeSigningIsReweighed) {
  const auto models = testing::source_root() / "models";
  recognize::LineModelRecognizer line(models / "line-hw.onnx", nullptr);
  const auto& rows = form_.field("medical_acts")->rows;
  const auto care_date = [&](const std::string& written, bool weighs) {
    SheetWriter sheet(form_);
    sheet.write_comb("signature_date", "14032025");
    sheet.write(rows.at(0).cell("date")->box, written, 48);
    sheet.write(rows.at(0).cell("amount")->box, "150,00", 48);
    // The year misread: 2022 for 2025.
    BeamLoser losing(line, weighs, "12/03/2025", "12/03/2022");
    recognize::RoutingRecognizer router(*recognizer_, nullptr, &losing);
    const auto out = FieldExtractor(router).extract(form_, sheet.page());
    return out.lines.empty() ? core::ReadField{} : out.lines.front().cells.at("date");
  };
  const auto mended = care_date("12/03/2025", true);
  EXPECT_EQ(mended.value, "2025-03-12");
  EXPECT_TRUE(mended.mended);
  EXPECT_EQ(care_date("12/03/2025", false).value, "2022-03-12");
  // A date really written months before the signature (a late sheet) stays as written: no date
  // of the window is nearly as likely in its ink, and the validator must see it.
  const auto late = care_date("12/09/2024", true);
  EXPECT_EQ(late.value, "2024-09-12");
  EXPECT_FALSE(late.mended);
}

}  // namespace
}  // namespace carescan::extract
