// The "written" truth: the text exactly as the pen drew it, agreeing with the normalised truth.

#include <gtest/gtest.h>

#include <map>
#include <opencv2/imgcodecs.hpp>

#include "core/config.h"
#include "core/date.h"
#include "core/money.h"
#include "forms/template_loader.h"
#include "synth/fill.h"
#include "synth/truth.h"
#include "synth/vocabulary.h"
#include "synth_fixture.h"

namespace carescan::synth {
namespace {

using testing::fixture;

struct Drawn {
  SheetContent content;
  FilledSheet filled;
};

Drawn draw(const forms::FormTemplate& tpl, std::uint64_t seed) {
  auto& f = fixture();
  const cv::Mat blank = cv::imread(tpl.image.string(), cv::IMREAD_GRAYSCALE);
  Rng rng(seed);
  SheetContent s = generate_content(tpl, f.vocabulary, rng);
  FilledSheet filled = fill_sheet(tpl, blank, s, {f.hands, f.print}, rng);
  return {std::move(s), std::move(filled)};
}

std::map<std::string, std::string> as_map(
    const std::vector<std::pair<std::string, std::string>>& v) {
  return {v.begin(), v.end()};
}

TEST(WrittenTruth, FreeAndCombFieldsSayWhatTheContentMeans) {
  for (const auto& tpl : fixture().templates) {
    for (std::uint64_t i = 0; i < 6; ++i) {
      const Drawn d = draw(tpl, derive_seed(41, i));
      const auto w = as_map(d.filled.written.fields);
      EXPECT_EQ(w.at("insured_name"), d.content.insured_name);
      EXPECT_EQ(w.at("cin"), d.content.cin);
      EXPECT_EQ(w.at("sheet_number"), d.content.sheet_number);
      const core::Date& sd = d.content.signature_date;
      char ddmmyyyy[9];
      std::snprintf(ddmmyyyy, sizeof ddmmyyyy, "%02d%02d%04d", sd.day, sd.month, sd.year);
      EXPECT_EQ(w.at("signature_date"), ddmmyyyy);
      for (const auto& [id, money] : {std::pair{"medical_total", d.content.medical_total},
                                      std::pair{"pharmacy_total", d.content.pharmacy_total},
                                      std::pair{"dental_total", d.content.dental_total}}) {
        if (w.count(id) == 0) continue;
        ASSERT_TRUE(money.has_value()) << id;
        const auto read = core::parse_money(w.at(id));
        ASSERT_TRUE(read.has_value()) << w.at(id);
        EXPECT_EQ(read->centimes, money->centimes) << w.at(id);
      }
      if (d.content.total_amount) {
        // Comb cells run together: whole dirhams then the two centimes digits.
        EXPECT_EQ(std::stoll(w.at("total_amount")), d.content.total_amount->centimes);
      }
    }
  }
}

TEST(WrittenTruth, TableCellsParseBackToTheRowsValues) {
  int rows = 0, short_years = 0, grouped = 0;
  for (const auto& tpl : fixture().templates) {
    for (std::uint64_t i = 0; i < 8; ++i) {
      const Drawn d = draw(tpl, derive_seed(42, i));
      ASSERT_EQ(d.filled.written.lines.size(), d.content.lines.size());
      for (size_t k = 0; k < d.content.lines.size(); ++k) {
        const ContentLine& want = d.content.lines[k];
        const WrittenLine& got = d.filled.written.lines[k];
        EXPECT_EQ(got.table, want.table);
        EXPECT_EQ(got.row, want.row);
        const auto cells = as_map(got.cells);
        const auto date = core::parse_date(cells.at("date"));
        ASSERT_TRUE(date.has_value()) << cells.at("date");
        EXPECT_EQ(date->iso(), want.date.iso());
        EXPECT_EQ(cells.at("date").size(), want.short_year ? 8U : 10U);
        const auto amount = core::parse_money(cells.at("amount"));
        ASSERT_TRUE(amount.has_value()) << cells.at("amount");
        EXPECT_EQ(amount->centimes, want.amount.centimes);
        if (want.quantity) {
          EXPECT_EQ(cells.at("quantity"), std::to_string(*want.quantity));
        }
        if (want.tooth) {
          EXPECT_EQ(cells.at("tooth"), std::to_string(*want.tooth));
        }
        ++rows;
        short_years += want.short_year ? 1 : 0;
        grouped += cells.at("amount").find(' ') != std::string::npos ? 1 : 0;
      }
    }
  }
  EXPECT_GT(rows, 20);
  EXPECT_GT(short_years, 0);  // the set really exercises both date forms
  EXPECT_GT(grouped, 0);
}

TEST(WrittenTruth, TruthObjectHoldsTheWrittenTextAndDistractorsAnEmptyOne) {
  const auto& tpl = fixture().templates.front();
  const Drawn d = draw(tpl, derive_seed(43, 0));
  const auto page = sheet_truth(d.content, d.filled.written);
  const auto written = page->getObject("written");
  ASSERT_TRUE(written);
  EXPECT_EQ(written->getObject("fields")->getValue<std::string>("insured_name"),
            d.content.insured_name);
  const auto lines = written->getArray("lines");
  ASSERT_EQ(lines->size(), d.content.lines.size());
  if (!d.content.lines.empty()) {
    EXPECT_EQ(lines->getObject(0)->getValue<std::string>("table"), d.content.lines[0].table);
  }
  const auto none = distractor_truth("blank")->getObject("written");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->getObject("fields")->size(), 0U);
  EXPECT_EQ(none->getArray("lines")->size(), 0U);
}

}  // namespace
}  // namespace carescan::synth
