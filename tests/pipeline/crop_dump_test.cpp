#include "pipeline/crop_dump.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <sstream>

#include "core/config.h"
#include "eval/truth.h"
#include "forms/template_loader.h"

namespace carescan::pipeline {
namespace {

std::filesystem::path root() {
  return CARESCAN_SOURCE_ROOT;
}

forms::FieldSpec comb_spec(forms::FieldKind kind, std::size_t cells) {
  forms::FieldSpec spec;
  spec.kind = kind;
  spec.cells.resize(cells);
  return spec;
}

std::string joined(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) out += l;
  return out;
}

TEST(CombCellLabels, FollowTheCellLayoutOfEachKind) {
  using forms::FieldKind;
  EXPECT_EQ(joined(comb_cell_labels(comb_spec(FieldKind::kCin, 8), "K401237")), "K401237_");
  EXPECT_EQ(joined(comb_cell_labels(comb_spec(FieldKind::kDate, 8), "2025-03-14")), "14032025");
  EXPECT_EQ(joined(comb_cell_labels(comb_spec(FieldKind::kAmount, 9), "420.50")), "____42050");
  EXPECT_EQ(joined(comb_cell_labels(comb_spec(FieldKind::kAmount, 9), "7.05")), "______705");
  EXPECT_EQ(joined(comb_cell_labels(comb_spec(FieldKind::kDigits, 2), "07")), "07");
  EXPECT_EQ(joined(comb_cell_labels(comb_spec(FieldKind::kDigits, 9), std::nullopt)), "_________");
}

std::vector<std::vector<std::string>> read_tsv(const std::filesystem::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::stringstream s(line);
    for (std::string col; std::getline(s, col, '\t');) cols.push_back(col);
    if (!line.empty() && line.back() == '\t') cols.emplace_back();
    rows.push_back(cols);
  }
  return rows;
}

// The committed sample set through the real reader: every written crop exists, comb labels
// spell the truth's CIN, line labels carry the truth's values.
TEST(CropDump, WritesLabelledCropsOfTheSampleSet) {
  const auto config = core::load_config(root() / "config/carescan.json");
  const auto out = std::filesystem::temp_directory_path() / "carescan_crop_dump_test";
  std::filesystem::remove_all(out);
  const auto stats = dump_crops(config, {root() / "samples", out, 3, 2});
  EXPECT_GT(stats.pages, 0);
  EXPECT_GT(stats.comb_crops, 20);
  EXPECT_GT(stats.line_crops, 5);

  const auto comb = read_tsv(out / "comb" / "labels.tsv");
  ASSERT_EQ(static_cast<long>(comb.size()), stats.comb_crops);
  const auto truth = eval::load_truth_set(root() / "samples", 3);
  std::set<std::string> cins_in_truth;
  for (const auto& file : truth) {
    for (const auto& page : file.pages) {
      if (page.care_sheet) cins_in_truth.insert(page.fields.at("cin").value_or(""));
    }
  }
  // Per page, the CIN its cells' labels spell (a page's CIN starts at cell 0).
  std::vector<std::string> cins_from_labels;
  for (const auto& row : comb) {
    ASSERT_EQ(row.size(), 4u);
    EXPECT_FALSE(cv::imread((out / "comb" / row[0]).string()).empty()) << row[0];
    if (row[1] != "cin") continue;
    if (row[2] == "0") cins_from_labels.emplace_back();
    if (row[3] != "_" && !cins_from_labels.empty()) cins_from_labels.back() += row[3];
  }
  ASSERT_FALSE(cins_from_labels.empty());
  if (stats.comb_missed == 0) {
    for (const auto& cin : cins_from_labels) EXPECT_TRUE(cins_in_truth.count(cin)) << cin;
  }

  const auto lines = read_tsv(out / "line" / "labels.tsv");
  ASSERT_EQ(static_cast<long>(lines.size()), stats.line_crops);
  bool saw_name = false;
  std::size_t packed_cins = 0;
  for (const auto& row : lines) {
    ASSERT_EQ(row.size(), 5u);
    if (row[1] == "insured_name") {
      saw_name = true;
      EXPECT_EQ(row[2], "name");
      EXPECT_FALSE(row[3].empty());
    }
    // The CIN's cells side by side, as the line model reads them, labelled with the CIN.
    if (row[1] == "cin") {
      ++packed_cins;
      EXPECT_EQ(row[2], "cin");
      EXPECT_TRUE(cins_in_truth.count(row[3])) << row[3];
      const cv::Mat image = cv::imread((out / "line" / row[0]).string(), cv::IMREAD_GRAYSCALE);
      ASSERT_FALSE(image.empty()) << row[0];
      EXPECT_GT(image.cols, image.rows * 2) << "a row of characters, not one cell";
    }
  }
  EXPECT_TRUE(saw_name);
  EXPECT_EQ(packed_cins, cins_from_labels.size());
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace carescan::pipeline
