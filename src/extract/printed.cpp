#include "extract/printed.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>
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
// Below this likeness to every reference glyph the letter is in a typeface the references lack:
// its shape says nothing (clear glyphs of the references' faces score 0.85 and more).
constexpr double kMinShapeMatch = 0.75;
constexpr double kClearShape = 0.9;

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

// The ink (255 - grey) of the line's glyphs `from` to `to` (excluded), the others left out.
cv::Mat glyph_ink(const PrintedLine& line, std::size_t from, std::size_t to) {
  cv::Mat mask = cv::Mat::zeros(line.image.size(), CV_8U);
  for (std::size_t i = from; i < to && i < line.glyphs.size(); ++i) {
    mask(line.glyphs[i] & cv::Rect({}, mask.size())).setTo(255);
  }
  cv::Mat ink = cv::Mat::zeros(line.image.size(), CV_8U);
  cv::Mat inverted = 255 - line.image;
  inverted.copyTo(ink, mask);
  return ink;
}

// The capitals' top and height from the digits (glyphs from `first` on), which stand as tall:
// the rows of their darker ink, a blurred capture's halo left out.
recognize::PrintGlyphs::Line cap_line(const PrintedLine& line, std::size_t first) {
  std::vector<int> tops;
  std::vector<int> bottoms;
  for (std::size_t i = first; i < line.glyphs.size(); ++i) {
    const cv::Rect g = line.glyphs[i] & cv::Rect({}, line.image.size());
    const cv::Rect dark = cv::boundingRect(line.image(g) < 128);
    if (dark.empty()) continue;
    tops.push_back(g.y + dark.y);
    bottoms.push_back(g.y + dark.br().y);
  }
  if (tops.empty()) return {};
  const int top = median_of(tops);
  return {static_cast<double>(top), static_cast<double>(median_of(bottoms) - top)};
}

// The digits of the line's reading after the series letter, however the letter was read: "0
// 8047404" and "08047404" (an O taken for a 0) both give 8047404.
std::string line_digits(const std::string& text) {
  const auto space = text.find(' ');
  if (space != std::string::npos && space <= 2) return only(text.substr(space + 1), kDigits);
  std::string digits = only(text, kDigits);
  if (digits.size() == kSerialDigits + 1 && !text.empty() &&
      std::string(kDigits).find(text.front()) != std::string::npos) {
    digits.erase(0, 1);
  }
  return digits;
}

struct DigitsReading {
  std::string digits;
  double confidence = 0;
  const recognize::Recognition* from = nullptr;  // null: read by shape
  bool slots = false;  // by shape, cut into slots (the glyphs ran together or a mark was beside)
};

// The seven digits after the series gap by their shapes: glyph by glyph when there are seven
// glyphs there, else (a blurred photo's bold digits run together) in seven equal slots of their
// span, the serial's digits being set at one pitch. None when a glyph looks like no reference.
std::optional<DigitsReading> shape_digits(const PrintedLine& line, std::size_t gap,
                                          const recognize::PrintGlyphs::Line& on,
                                          const recognize::PrintGlyphs& glyphs) {
  if (gap >= line.glyphs.size()) return std::nullopt;
  std::vector<cv::Mat> inks;
  if (line.glyphs.size() == gap + kSerialDigits) {
    for (std::size_t i = gap; i < line.glyphs.size(); ++i) {
      inks.push_back(glyph_ink(line, i, i + 1));
    }
  } else {
    const cv::Mat ink = glyph_ink(line, gap, line.glyphs.size());
    const cv::Rect span = cv::boundingRect(ink > 127);
    const double pitch = static_cast<double>(span.width) / kSerialDigits;
    // Digits are set some 0.55 (light faces) to 0.95 (bold ones) of the capitals' height apart:
    // else the span is not seven digits (a line cut short, a stray mark beside it).
    if (on.cap_height <= 0 || pitch < 0.45 * on.cap_height || pitch > 1.1 * on.cap_height) {
      return std::nullopt;
    }
    // Cut where the ink is thinnest near each nominal boundary: where two digits touch.
    cv::Mat columns;
    cv::reduce(ink > 127, columns, 0, cv::REDUCE_SUM, CV_32S);
    std::vector<int> cuts{span.x};
    for (std::size_t i = 1; i < kSerialDigits; ++i) {
      const double nominal = span.x + static_cast<double>(i) * pitch;
      int cut = static_cast<int>(std::lround(nominal));
      for (int x = static_cast<int>(nominal - pitch / 4);
           x <= static_cast<int>(nominal + pitch / 4); ++x) {
        if (x <= cuts.back() || x >= span.br().x) continue;
        const int here = columns.at<int>(0, x);
        const int best = columns.at<int>(0, cut);
        if (here < best || (here == best && std::abs(x - nominal) < std::abs(cut - nominal))) {
          cut = x;
        }
      }
      cuts.push_back(cut);
    }
    cuts.push_back(span.br().x);
    for (std::size_t i = 0; i < kSerialDigits; ++i) {
      cv::Mat slot = cv::Mat::zeros(ink.size(), CV_8U);
      const cv::Rect cols(cuts[i], 0, std::max(1, cuts[i + 1] - cuts[i]), ink.rows);
      ink(cols).copyTo(slot(cols));
      inks.push_back(slot);
    }
  }
  DigitsReading out{"", 1.0, nullptr, line.glyphs.size() != gap + kSerialDigits};
  for (const auto& ink : inks) {
    const auto shapes = glyphs.classify(ink, on, kDigits);
    if (shapes.alternatives.empty() || shapes.likeness < kMinShapeMatch) return std::nullopt;
    out.digits += shapes.alternatives.front().text;
    out.confidence *= shapes.alternatives.front().probability;
  }
  return out;
}

// Tesseract's readings of the digits (in the line, alone) and their shapes' (may be absent). A
// shape reading of seven digits decides, confirmed by either of Tesseract's or not: Tesseract's
// two err together (a blurred 8 read as 6 in both). Only one cut into slots gives way to
// Tesseract's two agreeing, since a mark beside the digits shifts every slot. Otherwise
// Tesseract's, sure where its two agree.
DigitsReading chosen_digits(const DigitsReading& in_line, const DigitsReading& alone,
                            const std::optional<DigitsReading>& shaped) {
  const bool tesseract_agrees = in_line.digits == alone.digits;
  const bool tesseract_sure = tesseract_agrees && in_line.digits.size() == kSerialDigits;
  if (shaped && shaped->digits.size() == kSerialDigits && !(shaped->slots && tesseract_sure)) {
    DigitsReading out = *shaped;
    double confirmed = 0;
    for (const auto* r : {&in_line, &alone}) {
      if (r->digits == shaped->digits) confirmed = std::max(confirmed, r->confidence);
    }
    out.confidence = confirmed > 0 ? std::max(confirmed, shaped->confidence)
                                   : shaped->confidence * kDisagreement;
    return out;
  }
  if (tesseract_agrees) {
    DigitsReading out = in_line;
    out.confidence = std::max(in_line.confidence, alone.confidence);
    // A shape reading that disagrees still costs it its certainty.
    if (shaped && shaped->digits != in_line.digits) out.confidence *= kDisagreement;
    return out;
  }
  // The reading of seven digits (the surer if both or neither are), as a guess.
  const bool line_first =
      (in_line.digits.size() == kSerialDigits) == (alone.digits.size() == kSerialDigits)
          ? in_line.confidence >= alone.confidence
          : in_line.digits.size() == kSerialDigits;
  DigitsReading out = line_first ? in_line : alone;
  out.confidence *= kDisagreement;
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
  // A box's side is as tall as the box; a J's or a blurred glyph's stem, reaching below the line,
  // up to some four fifths of it.
  const cv::Mat rules =
      drop_rules(ink, std::max(box.width * 2 / 5, 2 * box.height), box.height * 19 / 20);

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

recognize::Recognition read_serial(const PrintedLine& line, recognize::Recognizer& recognizer,
                                   const recognize::PrintGlyphs* glyphs) {
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
  // The series letter as the line read it.
  std::string letter;
  double letter_confidence = whole.confidence;
  for (char c : whole.text) {
    if (digits.find(c) != std::string::npos) break;
    if (letters.find(c) != std::string::npos) letter.push_back(c);
  }
  // Where the capitals stand, from the digits: the letter's and the digits' shapes are placed by
  // it.
  const recognize::PrintGlyphs::Line on =
      glyphs != nullptr ? cap_line(line, gap_at) : recognize::PrintGlyphs::Line{};
  if (glyphs != nullptr && gap_at <= 2) {
    // Its shape: confirms the line's reading of it, stands in where the line lost it or read a
    // digit there, and overrules it when clear.
    const cv::Mat ink = glyph_ink(line, 0, gap_at);
    const auto shapes = glyphs->classify(ink, on, letters);
    if (!shapes.alternatives.empty() && shapes.likeness >= kMinShapeMatch) {
      const auto& shape = shapes.alternatives.front();
      if (shape.text == letter) {
        letter_confidence = std::max(whole.confidence, shape.probability);
      } else if (letter.empty()) {
        letter = shape.text;
        letter_confidence = shape.probability;
      } else {
        // Both read a letter: a clear shape wins (Tesseract takes a J for an I), a doubtful one
        // (a blurred O between O and D, a fax's R or B) does not.
        const bool clear = shape.probability >= kClearShape;
        if (clear) letter = shape.text;
        letter_confidence = (clear ? shape.probability : whole.confidence) * kDisagreement;
      }
    } else if (letter.size() != 1) {
      letter.clear();
      letter_confidence = 0;
    } else {
      letter_confidence *= kDisagreement;
    }
  } else if (letter.empty()) {
    // Alone, only when the line lost it (Tesseract reads a lone capital less surely than one
    // beside digits, but better than none).
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
  // The digits, read up to three ways: in the line, alone, and glyph by glyph by their shapes
  // (chosen_digits weighs them).
  const DigitsReading in_line{line_digits(whole.text), whole.confidence, &whole};
  const DigitsReading alone{only(number.text, digits), number.confidence, &number};
  const auto shaped =
      glyphs != nullptr ? shape_digits(line, gap_at, on, *glyphs) : std::optional<DigitsReading>{};
  const DigitsReading chosen = chosen_digits(in_line, alone, shaped);
  recognize::Recognition out = whole;
  out.text = letter + " " + chosen.digits;
  out.confidence = std::min(letter_confidence, chosen.confidence);
  if (chosen.from != nullptr && chosen.from != &whole) out.symbols = chosen.from->symbols;
  return out;
}

}  // namespace carescan::extract
