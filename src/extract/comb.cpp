#include "extract/comb.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "extract/ink.h"

namespace carescan::extract {
namespace {

// Cells holding one symbol each of the whole-comb reading, by the symbol's horizontal centre.
std::vector<std::vector<const recognize::Symbol*>> symbols_by_cell(
    const recognize::Recognition& line, const std::vector<cv::Rect>& cells, cv::Point origin) {
  std::vector<std::vector<const recognize::Symbol*>> out(cells.size());
  for (const auto& symbol : line.symbols) {
    const double cx = origin.x + symbol.box.x + symbol.box.width / 2.0;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (cx >= cells[i].x && cx < cells[i].x + cells[i].width) {
        out[i].push_back(&symbol);
        break;
      }
    }
  }
  return out;
}

// The recogniser's best choice for a symbol among the characters the cell may hold.
std::pair<std::string, double> best_allowed(const recognize::Symbol& symbol,
                                            const std::string& allowed) {
  auto fits = [&](const std::string& text) {
    return text.size() == 1 && (allowed.empty() || allowed.find(text[0]) != std::string::npos);
  };
  if (fits(symbol.text)) return {symbol.text, symbol.confidence};
  for (const auto& alt : symbol.alternatives) {
    if (fits(alt.text)) return {alt.text, std::min(symbol.confidence, alt.probability)};
  }
  return {"", 0.0};
}

std::string union_of(const std::vector<std::string>& allowed) {
  std::string all;
  for (const auto& chars : allowed) {
    for (char c : chars) {
      if (all.find(c) == std::string::npos) all.push_back(c);
    }
  }
  return all;
}

}  // namespace

bool CombReading::blank() const {
  return std::all_of(cells.begin(), cells.end(), [](const CombCell& c) { return c.text.empty(); });
}

std::string CombReading::text() const {
  std::string out;
  for (const auto& cell : cells) out += cell.text;
  return out;
}

double CombReading::confidence() const {
  double least = 1.0;
  for (const auto& cell : cells) least = std::min(least, cell.confidence);
  return least;
}

CombReading read_comb(const cv::Mat& page, const cv::Mat& printed,
                      const std::vector<cv::Rect>& cells, const std::vector<std::string>& allowed,
                      recognize::Recognizer& recognizer, const ExtractionSettings& settings) {
  CombReading reading;
  reading.cells.resize(cells.size());
  if (cells.empty()) return reading;
  cv::Rect bounds = cells.front();
  for (const auto& cell : cells) bounds |= cell;
  const int margin = static_cast<int>(std::lround(settings.margin_mm * 300 / 25.4));
  const cv::Rect area(bounds.x - margin, bounds.y - margin, bounds.width + 2 * margin,
                      bounds.height + 2 * margin);
  InkRegion region = find_ink(page, printed, area, settings);
  reading.ink_pixels = region.pixels;
  if (region.pixels <= settings.cell_blank_max_ink_px) return reading;

  // Each stroke belongs to the cell under its centre: writers overrun the walls.
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(region.ink, labels, stats, centroids, 8, CV_32S);
  std::vector<int> owner(static_cast<std::size_t>(n), -1);
  std::vector<int> cell_ink(cells.size(), 0);
  for (int c = 1; c < n; ++c) {
    const double cx = region.rect.x + centroids.at<double>(c, 0);
    double best = 1e9;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const double d = std::abs(cx - (cells[i].x + cells[i].width / 2.0));
      if (d < best && d < cells[i].width * 0.75) {
        best = d;
        owner[c] = static_cast<int>(i);
      }
    }
    if (owner[c] >= 0) cell_ink[owner[c]] += stats.at<int>(c, cv::CC_STAT_AREA);
  }
  std::vector<cv::Mat> cell_masks(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cell_ink[i] <= settings.cell_blank_max_ink_px) continue;
    cell_masks[i] = cv::Mat::zeros(region.ink.size(), CV_8U);
  }
  cv::Mat line_ink = cv::Mat::zeros(region.ink.size(), CV_8U);
  for (int y = 0; y < labels.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    for (int x = 0; x < labels.cols; ++x) {
      const int o = label[x] > 0 ? owner[label[x]] : -1;
      if (o < 0 || cell_masks[o].empty()) continue;
      cell_masks[o].at<unsigned char>(y, x) = 255;
      line_ink.at<unsigned char>(y, x) = 255;
    }
  }
  if (cv::countNonZero(line_ink) == 0) return reading;

  const int pad = 12;
  const cv::Rect ink_bounds = cv::boundingRect(line_ink);
  const cv::Mat line_image = ink_to_image(line_ink, pad);
  const auto line = recognizer.recognize(
      line_image, {recognize::Layout::kLine, union_of(allowed), /*handwritten=*/true});
  const cv::Point origin(region.rect.x + ink_bounds.x - pad, region.rect.y + ink_bounds.y - pad);
  const auto by_cell = symbols_by_cell(line, cells, origin);

  for (std::size_t i = 0; i < cells.size(); ++i) {
    CombCell& cell = reading.cells[i];
    if (cell_masks[i].empty()) continue;
    std::pair<std::string, double> from_line{"", 0.0};
    if (by_cell[i].size() == 1) from_line = best_allowed(*by_cell[i].front(), allowed[i]);
    const auto alone = recognizer.recognize(ink_to_image(cell_masks[i], pad),
                                            {recognize::Layout::kChar, allowed[i], true});
    std::pair<std::string, double> from_cell{"", 0.0};
    if (alone.symbols.size() == 1) from_cell = best_allowed(alone.symbols.front(), allowed[i]);

    if (!from_line.first.empty() && from_line.first == from_cell.first) {
      cell.text = from_line.first;
      cell.confidence = std::max(from_line.second, from_cell.second);
      cell.agreed = true;
    } else {
      const auto& better = from_line.second >= from_cell.second ? from_line : from_cell;
      cell.text = better.first;
      // Two readings that disagree: at best a coin toss between them.
      cell.confidence = better.first.empty() ? 0.0 : better.second * 0.5;
    }
  }
  return reading;
}

}  // namespace carescan::extract
