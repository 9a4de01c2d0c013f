#include "extract/printed.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <string>

#include "extract/ink.h"
#include "extract/normalize.h"

namespace carescan::extract {
namespace {

constexpr const char* kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr const char* kDigits = "0123456789";
// A reading that two ways of reading do not confirm keeps this share of its confidence.
constexpr double kDisagreement = 0.4;
constexpr std::size_t kSerialDigits = 7;

struct Glyph {
  cv::Rect box;
  int label = 0;
};

// The page's grey divided by its local background: a photo's uneven light and a copy's grey
// haze become white, the print stays dark whatever the light around it.
cv::Mat flattened(const cv::Mat& grey) {
  // Wider than the bold strokes (some 8 px, blurred 12): the max filter sees past them to paper.
  cv::Mat background;
  cv::dilate(grey, background, cv::getStructuringElement(cv::MORPH_RECT, {31, 31}));
  cv::blur(background, background, {31, 31});
  cv::Mat flat;
  cv::divide(grey, background, flat, 255.0);
  return flat;
}

// Box borders and a copier's streaks: straight runs longer than any glyph of the serial is tall
// or wide. Returns what was taken away.
cv::Mat drop_rules(cv::Mat& ink, int horizontal, int vertical) {
  cv::Mat rules = straight_runs(ink, horizontal, vertical);
  rules &= ink;
  ink.setTo(0, rules);
  return rules;
}

int median_of(std::vector<int> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// The glyphs of the serial among `parts`: the tallest row, then the run of glyphs that ends
// rightmost in it (the serial is right-aligned; the label sits above, in smaller type).
std::vector<Glyph> serial_glyphs(const std::vector<Glyph>& parts, int max_height) {
  std::vector<Glyph> out;
  int tallest = 0;
  for (const auto& g : parts) {
    if (g.box.height <= max_height) tallest = std::max(tallest, g.box.height);
  }
  // The serial fills most of its box's height; the label above it is half as tall: a box whose
  // tallest print is label-sized has no serial.
  if (5 * tallest < 2 * max_height) return out;
  std::vector<int> tops;
  std::vector<int> bottoms;
  for (const auto& g : parts) {
    if (g.box.height <= max_height && 10 * g.box.height >= 7 * tallest) {
      tops.push_back(g.box.y);
      bottoms.push_back(g.box.br().y);
    }
  }
  const int top = median_of(tops);
  const int bottom = median_of(bottoms);
  const int height = std::max(1, bottom - top);
  const int slack = height / 4;
  std::vector<Glyph> row;
  for (const auto& g : parts) {
    const int centre = g.box.y + g.box.height / 2;
    // A broken stroke of a glyph is kept; specks and the label's letters are not.
    const bool tall = 2 * g.box.height >= height && g.box.height <= max_height;
    if (tall && centre >= top - slack && centre <= bottom + slack) row.push_back(g);
  }
  if (row.empty()) return out;
  std::sort(row.begin(), row.end(),
            [](const Glyph& a, const Glyph& b) { return a.box.br().x > b.box.br().x; });
  // From the right: a gap wider than a glyph and a half is no longer the serial.
  out.push_back(row.front());
  int left = row.front().box.x;
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i].box.br().x < left - height * 3 / 2) break;
    out.push_back(row[i]);
    left = std::min(left, row[i].box.x);
  }
  std::sort(out.begin(), out.end(),
            [](const Glyph& a, const Glyph& b) { return a.box.x < b.box.x; });
  return out;
}

// The widest gap between consecutive glyphs: where the series letter ends. -1 when none is
// clearly wider than the others (then the line cannot be split).
int series_gap(const std::vector<cv::Rect>& glyphs) {
  if (glyphs.size() < 3) return -1;
  int widest = -1;
  int width = 0;
  int reach = glyphs.front().br().x;
  for (std::size_t i = 1; i < glyphs.size(); ++i) {
    const int gap = glyphs[i].x - reach;
    if (gap > width) {
      width = gap;
      widest = static_cast<int>(i);
    }
    reach = std::max(reach, glyphs[i].br().x);
  }
  return widest;
}

// Whether the first of `glyphs` is a bar: as tall as the others (within a fifth), under half
// their median width.
bool is_bar(const std::vector<cv::Rect>& glyphs) {
  if (glyphs.size() < 3) return false;
  std::vector<int> widths;
  std::vector<int> heights;
  for (std::size_t i = 1; i < glyphs.size(); ++i) {
    widths.push_back(glyphs[i].width);
    heights.push_back(glyphs[i].height);
  }
  const cv::Rect& first = glyphs.front();
  // A J is as narrow in some faces, but it reaches below the digits.
  const int height = median_of(heights);
  return 2 * first.width < median_of(widths) && 5 * first.height >= 4 * height &&
         5 * first.height <= 6 * height;
}

std::string only(const std::string& text, const std::string& allowed) {
  std::string out;
  for (char c : text) {
    if (allowed.find(c) != std::string::npos) out.push_back(c);
  }
  return out;
}

// The serial's line within `window` of the page; `box` gives the glyphs' size. `edge`: -1 or 1
// when the glyphs touch the window's top or bottom (the line may go on beyond it), else 0.
PrintedLine line_in_window(const cv::Mat& page, const cv::Rect& window, const cv::Rect& box,
                           const ExtractionSettings& settings, int& edge) {
  PrintedLine line;
  edge = 0;
  if (window.width < 8 || window.height < 8) return line;
  const cv::Mat flat = flattened(page(window));
  // The print's own contrast sets the threshold (Otsu), never above the ink level: a blurred
  // photo's glyphs stay apart, and a blank box does not turn its paper grain into ink.
  cv::Mat ink;
  const double otsu = cv::threshold(flat, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::threshold(flat, ink, std::min<double>(otsu, settings.ink_below), 255, cv::THRESH_BINARY_INV);
  const cv::Mat rules =
      drop_rules(ink, std::max(box.width * 2 / 5, 2 * box.height), box.height * 4 / 5);

  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<Glyph> parts;
  for (int i = 1; i < n; ++i) {
    if (stats.at<int>(i, cv::CC_STAT_AREA) < settings.min_component_px) continue;
    parts.push_back({{stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                      stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)},
                     i});
  }
  const std::vector<Glyph> glyphs = serial_glyphs(parts, box.height);
  if (glyphs.empty()) return line;
  cv::Mat keep = cv::Mat::zeros(ink.size(), CV_8U);
  cv::Rect bounds = glyphs.front().box;
  for (const auto& g : glyphs) {
    keep.setTo(255, labels == g.label);
    bounds |= g.box;
  }
  if (bounds.y <= 1) edge = -1;
  if (bounds.br().y >= ink.rows - 1) edge = 1;
  // A streak across a glyph took the glyph's stroke with it: give back the rule's pixels within
  // the glyphs' row, beside a glyph (never in the gaps, where the streak alone would be a "1").
  int top = bounds.y;
  int bottom = bounds.br().y;
  for (const auto& g : glyphs) {
    const int beside = g.box.height / 4;
    const cv::Rect around =
        cv::Rect(g.box.x - beside, top, g.box.width + 2 * beside, bottom - top) &
        cv::Rect({}, ink.size());
    keep(around) |= rules(around);
  }
  line.pixels = cv::countNonZero(keep);
  // The glyphs' grey, anti-aliased edges included, on white: the engine binarises it itself.
  cv::dilate(keep, keep, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
  const int pad = 12;
  const cv::Rect cut = (bounds + cv::Size(4, 4) - cv::Point(2, 2)) & cv::Rect({}, flat.size());
  cv::Mat image(cut.size(), CV_8U, cv::Scalar(255));
  flat(cut).copyTo(image, keep(cut));
  cv::copyMakeBorder(image, line.image, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  for (const auto& g : glyphs) line.glyphs.push_back(g.box - cut.tl() + cv::Point(pad, pad));
  return line;
}

}  // namespace

PrintedLine find_printed_line(const cv::Mat& page, cv::Rect box,
                              const ExtractionSettings& settings) {
  const cv::Rect on_page(0, 0, page.cols, page.rows);
  // A registration error of a few pixels pushes the serial's edge past the box: look around it.
  int edge = 0;
  PrintedLine line = line_in_window(page,
                                    cv::Rect(box.x - box.height / 2, box.y - box.height / 3,
                                             box.width + box.height, box.height * 5 / 3) &
                                        on_page,
                                    box, settings, edge);
  if (edge == 0 && line.glyphs.size() > kSerialDigits) return line;
  // A curled photo moves the sheet's corner by a box's height or more, where one homography
  // cannot follow. The serial is still the tallest print near its box: look farther.
  int wide_edge = 0;
  PrintedLine wide = line_in_window(page,
                                    cv::Rect(box.x - box.height, box.y - 2 * box.height,
                                             box.width + 2 * box.height, 5 * box.height) &
                                        on_page,
                                    box, settings, wide_edge);
  const bool better = wide.glyphs.size() > line.glyphs.size() ||
                      (edge != 0 && wide_edge == 0 && !wide.glyphs.empty());
  if (better) line = std::move(wide);
  return line;
}

recognize::Recognition read_serial(const PrintedLine& line, recognize::Recognizer& recognizer) {
  using recognize::Layout;
  recognize::Recognition whole;
  if (line.image.empty()) return whole;
  const std::string letters = kLetters;
  const std::string digits = kDigits;
  whole = recognizer.recognize(
      line.image, {Layout::kLine, letters + digits + " ", false, recognize::Content::kText});
  const Normalized as_line = normalize(ValueKind::kSerial, whole.text);
  // The serial's shape, read part by part: the seven digits alone, as digits, confirm the line's
  // or stand in for them when the line read a digit too many or too few; the series letter alone
  // when the line lost it.
  const int gap = series_gap(line.glyphs);
  if (gap < 0) {
    if (!as_line.valid) whole.confidence *= kDisagreement;
    return whole;
  }
  const auto part = [&](std::size_t from, std::size_t to) {
    int left = line.image.cols;
    int right = 0;
    for (std::size_t i = from; i < to; ++i) {
      left = std::min(left, line.glyphs[i].x);
      right = std::max(right, line.glyphs[i].br().x);
    }
    const int pad = 12;
    const cv::Rect r = cv::Rect(left - pad, 0, right - left + 2 * pad, line.image.rows) &
                       cv::Rect({}, line.image.size());
    return line.image(r).clone();
  };
  const auto gap_at = static_cast<std::size_t>(gap);
  const auto number =
      recognizer.recognize(part(gap_at, line.glyphs.size()),
                           {Layout::kLine, digits, false, recognize::Content::kDigits});
  // The series letter as the line read it; alone, only when the line lost it (Tesseract reads a
  // lone capital less surely than one beside digits, but better than none).
  std::string letter;
  double letter_confidence = whole.confidence;
  for (char c : whole.text) {
    if (digits.find(c) != std::string::npos) break;
    if (letters.find(c) != std::string::npos) letter.push_back(c);
  }
  if (letter.empty()) {
    const auto alone = recognizer.recognize(
        part(0, gap_at), {Layout::kLine, letters, false, recognize::Content::kText});
    letter = only(alone.text, letters);
    // No second reading confirms it.
    letter_confidence = alone.confidence * kDisagreement;
    // Tesseract reads a lone I as nothing (and beside digits as a 1): a single upright bar where
    // the letter stands, the only capital that is one, is read by its shape.
    if (letter.empty() && gap_at == 1 && is_bar(line.glyphs)) {
      letter = 'I';
      letter_confidence = kDisagreement;
    }
  }
  // The digits: where the line and the number read alone agree, sure; otherwise the reading of
  // seven digits (the surer if both or neither are), as a guess.
  const std::string line_digits = only(whole.text, digits);
  const std::string part_digits = only(number.text, digits);
  const bool agreed = line_digits == part_digits;
  const bool line_first =
      (line_digits.size() == kSerialDigits) == (part_digits.size() == kSerialDigits)
          ? whole.confidence >= number.confidence
          : line_digits.size() == kSerialDigits;
  recognize::Recognition out = whole;
  out.text = letter + " " + (line_first ? line_digits : part_digits);
  const double digits_confidence =
      agreed ? std::max(whole.confidence, number.confidence)
             : (line_first ? whole.confidence : number.confidence) * kDisagreement;
  out.confidence = std::min(letter_confidence, digits_confidence);
  if (!line_first) out.symbols = number.symbols;
  return out;
}

}  // namespace carescan::extract
