#include "extract/comb.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <opencv2/imgproc.hpp>

#include "extract/ink.h"

namespace carescan::extract {
namespace {

// One way of laying the comb's ink out for the line recogniser, and where each written cell
// landed in that image.
struct LineLayout {
  cv::Mat image;                    // dark ink on white
  std::vector<cv::Range> segments;  // per written cell, x range in `image`
};

// Cells side by side with a fixed gap, at `scale`: the same ink, spaced differently, gives the
// recogniser independent chances to segment it right.
LineLayout lay_out(const std::vector<cv::Mat>& masks, const std::vector<std::size_t>& written,
                   int gap, double scale) {
  const int pad = 12;
  std::vector<cv::Mat> parts;
  int width = pad;
  int height = 0;
  for (std::size_t i : written) {
    const cv::Rect bounds = cv::boundingRect(masks[i]);
    cv::Mat part = masks[i](cv::Rect(bounds.x, 0, bounds.width, masks[i].rows));
    if (scale != 1.0) cv::resize(part, part, {}, scale, scale, cv::INTER_AREA);
    parts.push_back(part);
    height = std::max(height, part.rows);
  }
  LineLayout layout;
  for (const auto& part : parts) width += part.cols + gap;
  layout.image = cv::Mat(height + 2 * pad, width - gap + pad, CV_8U, cv::Scalar(255));
  int x = pad;
  for (const auto& part : parts) {
    cv::Mat target = layout.image(cv::Rect(x, pad, part.cols, part.rows));
    cv::Mat inverted;
    cv::bitwise_not(part, inverted);
    inverted.copyTo(target);
    layout.segments.emplace_back(x - gap / 2, x + part.cols + gap / 2);
    x += part.cols + gap;
  }
  return layout;
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
  // A letter read where only digits may stand, or the reverse: the usual look-alikes
  // (domain/care-sheets.md: O/0, I/1, S/5, B/8, Z/2, G/6), at a lower confidence.
  static const std::map<char, char> kLookAlike = {
      {'O', '0'}, {'D', '0'}, {'Q', '0'}, {'I', '1'}, {'L', '1'}, {'S', '5'}, {'B', '8'},
      {'Z', '2'}, {'G', '6'}, {'T', '7'}, {'A', '4'}, {'0', 'O'}, {'1', 'I'}, {'5', 'S'},
      {'8', 'B'}, {'2', 'Z'}, {'6', 'G'}, {'7', 'T'}, {'4', 'A'}};
  if (symbol.text.size() == 1) {
    const auto it = kLookAlike.find(symbol.text[0]);
    if (it != kLookAlike.end() && fits(std::string(1, it->second))) {
      return {std::string(1, it->second), symbol.confidence * 0.8};
    }
  }
  return {"", 0.0};
}

// Per written cell, the character this reading puts there; empty when the cell got none or two.
std::vector<std::pair<std::string, double>> per_cell(const recognize::Recognition& reading,
                                                     const LineLayout& layout,
                                                     const std::vector<std::string>& allowed) {
  std::vector<std::vector<const recognize::Symbol*>> hits(layout.segments.size());
  // As many characters as written cells: take them in order, whatever their boxes say (LSTM
  // boxes are approximate and drift on slanted hands).
  if (reading.symbols.size() == layout.segments.size()) {
    for (std::size_t s = 0; s < hits.size(); ++s) hits[s].push_back(&reading.symbols[s]);
  }
  for (const auto& symbol : reading.symbols) {
    if (reading.symbols.size() == layout.segments.size()) break;
    const int cx = symbol.box.x + symbol.box.width / 2;
    for (std::size_t s = 0; s < layout.segments.size(); ++s) {
      if (cx >= layout.segments[s].start && cx < layout.segments[s].end) {
        hits[s].push_back(&symbol);
        break;
      }
    }
  }
  std::vector<std::pair<std::string, double>> out(hits.size(), {"", 0.0});
  for (std::size_t s = 0; s < hits.size(); ++s) {
    if (hits[s].size() == 1) out[s] = best_allowed(*hits[s].front(), allowed[s]);
  }
  return out;
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

// Sets `target` to `value` wherever `labels` (connectedComponents') names a component whose
// `chosen` entry is non-zero.
void set_components(cv::Mat& target, const cv::Mat& labels,
                    const std::vector<unsigned char>& chosen, unsigned char value) {
  for (int y = 0; y < labels.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    unsigned char* px = target.ptr<unsigned char>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (label[x] > 0 && chosen[label[x]] != 0) px[x] = value;
    }
  }
}

// The straight vertical runs of `runs` (each hugging a vertical wall's line) that are what a
// misregistered page leaves of the walls: as tall as a cell, or repeated beside another wall at
// the same offset (the page's shift moves every wall alike). A character's stem written along a
// wall (an M's, a 1's) stands beside one wall only, and is kept.
cv::Mat vertical_remnants(const cv::Mat& runs, const cv::Point& origin,
                          const std::vector<cv::Rect>& cells, int cell_w, int cell_h) {
  std::vector<int> lines;
  for (const auto& cell : cells) {
    lines.push_back(cell.x - origin.x);
    lines.push_back(cell.x + cell.width - origin.x);
  }
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(runs, labels, stats, centroids, 8, CV_32S);
  std::vector<double> offset(static_cast<std::size_t>(n), 0);
  std::vector<int> line(static_cast<std::size_t>(n), 0);
  for (int i = 1; i < n; ++i) {
    const double cx = centroids.at<double>(i, 0);
    double best = 1e9;
    for (int x : lines) {
      if (std::abs(cx - x) < std::abs(best)) {
        best = cx - x;
        line[i] = x;
      }
    }
    offset[i] = best;
  }
  constexpr double kSameOffsetPx = 3;
  std::vector<unsigned char> remnant(static_cast<std::size_t>(n), 0);
  for (int i = 1; i < n; ++i) {
    remnant[i] = stats.at<int>(i, cv::CC_STAT_HEIGHT) >= cell_h;
    for (int j = 1; j < n && remnant[i] == 0; ++j) {
      remnant[i] = j != i && std::abs(line[i] - line[j]) >= cell_w / 2 &&
                   std::abs(offset[i] - offset[j]) <= kSameOffsetPx;
    }
  }
  cv::Mat out = cv::Mat::zeros(runs.size(), CV_8U);
  set_components(out, labels, remnant, 255);
  return out;
}

// What a misregistered page leaves of the comb's printed walls: the printed mask covers a shift
// of a few pixels, and beyond that each wall shows as a straight run beside it, too short (the
// page is a little rotated or stretched, so the run steps from row to row) for find_ink's
// long-rule test over the whole comb. Such a run glued to a character made it a tiny glyph in a
// tall box, and a loose one made a blank cell look written. Taken away:
// - straight horizontal runs of a cell and a half or more, wherever they lie: no character;
// - runs of half a cell or more hugging a wall's line (a few pixels beyond the printed mask), and
//   runs of 70 % of a cell a little further from the top or bottom walls' line, when another
//   such run in another cell continues them (the same wall, shifted): a character's bar stands
//   alone (an E's or an L's written on the bottom wall), and a fat pen's curve is rarely that
//   long;
// - straight vertical runs of half a cell's height or more hugging a vertical wall, when they
//   are remnants by vertical_remnants' test.
// Taking every run that hugged a wall cut the E's bar and the M's stem (seed 777: CINs read
// 96.1 % → 96.6 %, seed 778: 96.1 % → 97.1 %). A stroke that crosses a wall loses only the
// pixels on it.
void drop_wall_remnants(cv::Mat& ink, const cv::Point& origin, const std::vector<cv::Rect>& cells,
                        int printed_dilate_px) {
  if (ink.empty() || cells.empty()) return;
  int cell_w = cells.front().width;
  int cell_h = cells.front().height;
  for (const auto& cell : cells) {
    cell_w = std::min(cell_w, cell.width);
    cell_h = std::min(cell_h, cell.height);
  }
  const int reach = std::max(printed_dilate_px + 2, std::min(cell_w, cell_h) * 3 / 20);
  const int reach_h = std::max(reach, cell_h / 4);
  const int reach_v = reach;
  cv::Mat hugging = cv::Mat::zeros(ink.size(), CV_8U);
  cv::Mat near_rows = cv::Mat::zeros(ink.size(), CV_8U);
  cv::Mat near_cols = cv::Mat::zeros(ink.size(), CV_8U);
  const cv::Rect all(0, 0, ink.cols, ink.rows);
  for (const auto& cell : cells) {
    for (int y : {cell.y, cell.y + cell.height}) {
      near_rows(cv::Rect(0, y - origin.y - reach_h, ink.cols, 2 * reach_h + 1) & all) = 255;
      hugging(cv::Rect(0, y - origin.y - reach, ink.cols, 2 * reach + 1) & all) = 255;
    }
    for (int x : {cell.x, cell.x + cell.width}) {
      near_cols(cv::Rect(x - origin.x - reach_v, 0, 2 * reach_v + 1, ink.rows) & all) = 255;
    }
  }
  cv::Mat horizontal, vertical;
  cv::morphologyEx(ink, horizontal, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {std::max(9, cell_w / 2), 1}));
  cv::morphologyEx(ink, vertical, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {1, std::max(9, cell_h / 2)}));
  cv::Mat walls = vertical_remnants(vertical & near_cols, origin, cells, cell_w, cell_h);

  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(horizontal, labels, stats, centroids, 8, CV_32S);
  std::vector<unsigned char> wall(static_cast<std::size_t>(n), 0);
  std::vector<unsigned char> near(static_cast<std::size_t>(n), 0);
  for (int i = 1; i < n; ++i) {
    const int cy = static_cast<int>(std::lround(centroids.at<double>(i, 1)));
    const int cx = static_cast<int>(std::lround(centroids.at<double>(i, 0)));
    const cv::Point at(std::clamp(cx, 0, ink.cols - 1), std::clamp(cy, 0, ink.rows - 1));
    const int width = stats.at<int>(i, cv::CC_STAT_WIDTH);
    wall[i] = width >= cell_w * 3 / 2;
    near[i] = hugging.at<unsigned char>(at) != 0 ||
              (near_rows.at<unsigned char>(at) != 0 && width >= cell_w * 7 / 10);
  }
  for (int i = 1; i < n; ++i) {
    if (wall[i] != 0 || near[i] == 0) continue;
    for (int j = 1; j < n && wall[i] == 0; ++j) {
      if (j == i || near[j] == 0) continue;
      const double dx = std::abs(centroids.at<double>(i, 0) - centroids.at<double>(j, 0));
      const double dy = std::abs(centroids.at<double>(i, 1) - centroids.at<double>(j, 1));
      // Another cell's run on the same (slightly tilted) line.
      wall[i] = dx >= cell_w * 0.75 && dy <= 3 + 0.04 * dx;
    }
  }
  set_components(walls, labels, wall, 255);
  // The run's antialiased edge, one pixel either side, goes with it.
  cv::dilate(walls, walls, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  ink.setTo(0, walls);

  // Crumbs: what is left wholly on a wall's line and small, such as the end of a vertical wall
  // sticking out of a shifted horizontal one, or a dash of a broken wall; the end of a stroke
  // cut off there is no loss to the character.
  const int m = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<unsigned char> crumb(static_cast<std::size_t>(m), 0);
  for (int i = 1; i < m; ++i) {
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    const bool on_cols = box.height < cell_h / 3 && near_cols.at<unsigned char>(box.y, box.x) &&
                         near_cols.at<unsigned char>(box.y, box.br().x - 1) &&
                         box.width <= 2 * reach_v + 1;
    const bool on_rows = box.width < cell_w / 3 && hugging.at<unsigned char>(box.y, box.x) &&
                         hugging.at<unsigned char>(box.br().y - 1, box.x) &&
                         box.height <= 2 * reach + 1;
    crumb[i] = on_cols || on_rows;
  }
  set_components(ink, labels, crumb, 0);
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

CombInk comb_ink(const cv::Mat& page, const cv::Mat& printed, const std::vector<cv::Rect>& cells,
                 const ExtractionSettings& settings) {
  CombInk out;
  out.cells.resize(cells.size());
  if (cells.empty()) return out;
  cv::Rect bounds = cells.front();
  for (const auto& cell : cells) bounds |= cell;
  const int margin = static_cast<int>(std::lround(settings.margin_mm * 300 / 25.4));
  const cv::Rect area(bounds.x - margin, bounds.y - margin, bounds.width + 2 * margin,
                      bounds.height + 2 * margin);
  InkRegion region = find_ink(page, printed, area, settings);
  drop_wall_remnants(region.ink, region.rect.tl(), cells, settings.printed_dilate_px);
  region.pixels = cv::countNonZero(region.ink);
  out.ink_pixels = region.pixels;
  if (region.pixels <= settings.cell_blank_max_ink_px) return out;

  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(region.ink, labels, stats, centroids, 8, CV_32S);
  std::vector<int> owner(static_cast<std::size_t>(n), -1);
  std::vector<int> cell_ink(cells.size(), 0);
  for (int c = 1; c < n; ++c) {
    // What the walls' removal left of a stroke or a wall's end: a speck, no character.
    if (stats.at<int>(c, cv::CC_STAT_AREA) < settings.min_component_px) continue;
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
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cell_ink[i] <= settings.cell_blank_max_ink_px) continue;
    out.cells[i] = cv::Mat::zeros(region.ink.size(), CV_8U);
  }
  for (int y = 0; y < labels.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    for (int x = 0; x < labels.cols; ++x) {
      const int o = label[x] > 0 ? owner[label[x]] : -1;
      if (o < 0 || out.cells[o].empty()) continue;
      out.cells[o].at<unsigned char>(y, x) = 255;
    }
  }
  return out;
}

cv::Mat cell_image(const cv::Mat& cell_mask) {
  return ink_to_image(cell_mask, 4);
}

CombReading read_comb(const cv::Mat& page, const cv::Mat& printed,
                      const std::vector<cv::Rect>& cells, const std::vector<std::string>& allowed,
                      recognize::Recognizer& recognizer, const ExtractionSettings& settings) {
  CombReading reading;
  reading.cells.resize(cells.size());
  if (cells.empty()) return reading;
  const CombInk ink = comb_ink(page, printed, cells, settings);
  reading.ink_pixels = ink.ink_pixels;
  const std::vector<cv::Mat>& cell_masks = ink.cells;
  std::vector<std::size_t> written;
  std::vector<std::string> written_allowed;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cell_masks[i].empty()) continue;
    written.push_back(i);
    written_allowed.push_back(allowed[i]);
  }
  if (written.empty()) return reading;
  const int pad = 12;

  // Three layouts of the same ink, each read as one line; each cell keeps the character most of
  // them agree on. A single reading of a handwritten comb is often off by a split or merged
  // character; agreement between layouts is what makes a cell's confidence worth believing.
  // Runs of cells that take the same characters are read on their own: with letters allowed
  // everywhere, the line model reads a handwritten 9 as "YU". A lone cell joins the run before
  // it (the CIN's second cell, letter or digit, reads with its first).
  std::vector<std::vector<std::size_t>> runs;  // positions in `written`
  for (std::size_t w = 0; w < written.size(); ++w) {
    const bool same = !runs.empty() && written_allowed[runs.back().back()] == written_allowed[w];
    if (same || (!runs.empty() && runs.back().size() == 1 && w + 1 < written.size() &&
                 written_allowed[w + 1] != written_allowed[w])) {
      runs.back().push_back(w);
    } else {
      runs.push_back({w});
    }
  }
  const int height = cell_masks[written.front()].rows;
  constexpr std::size_t kLayouts = 3;
  std::vector<std::vector<std::pair<std::string, double>>> votes(
      kLayouts, std::vector<std::pair<std::string, double>>(written.size(), {"", 0.0}));
  for (const auto& run : runs) {
    std::vector<std::size_t> run_cells;
    std::vector<std::string> run_allowed;
    for (std::size_t w : run) {
      run_cells.push_back(written[w]);
      run_allowed.push_back(written_allowed[w]);
    }
    const LineLayout layouts[kLayouts] = {
        lay_out(cell_masks, run_cells, height / 3, 1.0),
        lay_out(cell_masks, run_cells, height / 6, 1.0),
        lay_out(cell_masks, run_cells, height / 4, 0.6),
    };
    const std::string run_union = union_of(run_allowed);
    for (std::size_t l = 0; l < kLayouts; ++l) {
      const auto line =
          recognizer.recognize(layouts[l].image, {recognize::Layout::kLine, run_union, true});
      const auto read = per_cell(line, layouts[l], run_allowed);
      for (std::size_t k = 0; k < run.size(); ++k) votes[l][run[k]] = read[k];
    }
  }
  const double voters = static_cast<double>(kLayouts);
  for (std::size_t w = 0; w < written.size(); ++w) {
    std::map<std::string, std::pair<int, double>> tally;  // character -> votes, summed confidence
    for (const auto& vote : votes) {
      if (vote[w].first.empty()) continue;
      auto& t = tally[vote[w].first];
      ++t.first;
      t.second += vote[w].second;
    }
    CombCell& cell = reading.cells[written[w]];
    if (tally.empty()) {
      // No layout segmented this cell: read it alone, and believe it little.
      const auto alone =
          recognizer.recognize(ink_to_image(cell_masks[written[w]], pad),
                               {recognize::Layout::kChar, allowed[written[w]], true});
      if (alone.symbols.size() == 1) {
        const auto best = best_allowed(alone.symbols.front(), allowed[written[w]]);
        cell.text = best.first;
        cell.confidence = best.second * 0.3;
      } else {
        cell.confidence = 0.0;
      }
      continue;
    }
    const auto winner =
        std::max_element(tally.begin(), tally.end(), [](const auto& a, const auto& b) {
          return a.second.first != b.second.first ? a.second.first < b.second.first
                                                  : a.second.second < b.second.second;
        });
    cell.text = winner->first;
    const double mean = winner->second.second / winner->second.first;
    const double share = winner->second.first / voters;
    cell.agreed = winner->second.first == static_cast<int>(kLayouts);
    // Unanimous: the recogniser's own figure; otherwise that figure scaled down sharply.
    cell.confidence = cell.agreed ? mean : mean * share * share;
  }
  return reading;
}

}  // namespace carescan::extract
