#include "extract/extractor.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string_view>

#include "core/date.h"
#include "core/money.h"
#include "extract/arithmetic.h"
#include "extract/comb.h"
#include "extract/comb_decode.h"
#include "extract/fields.h"
#include "extract/ink.h"
#include "extract/printed.h"

namespace carescan::extract {
namespace {

using forms::FieldKind;

constexpr std::string_view kSignatureDate = "signature_date";
// Average thickness (px at 300 dpi) under which a long component is a line, not a pen's stroke.
constexpr double kSliverThickness = 5.0;
// Care dates below this raw confidence do not place the signature date's window.
constexpr double kCareDateMinConfidence = 0.5;

core::PixelBox pixel_box(cv::Rect r) {
  return {static_cast<double>(r.x), static_cast<double>(r.y), static_cast<double>(r.width),
          static_cast<double>(r.height)};
}

cv::Rect grown(cv::Rect r, int dx, int dy) {
  return {r.x - dx, r.y - dy, r.width + 2 * dx, r.height + 2 * dy};
}

// The signature date's window: from the latest care date read with some confidence, for the
// deposit deadline (reader.extraction.signature_window_days). Other dates: the year bounds only.
DecodeLimits limits_for(const forms::FieldSpec& spec, const std::vector<core::ReadLine>& lines,
                        const ExtractionSettings& settings) {
  DecodeLimits limits;
  limits.year_min = settings.comb_year_min;
  limits.year_max = settings.comb_year_max;
  if (spec.id != kSignatureDate) return limits;
  std::optional<core::Date> latest;
  for (const auto& line : lines) {
    const auto cell = line.cells.find("date");
    if (cell == line.cells.end() || !cell->second.value ||
        cell->second.confidence < kCareDateMinConfidence) {
      continue;
    }
    const auto date = core::parse_iso_date(*cell->second.value);
    if (date && (!latest || *date > *latest)) latest = date;
  }
  if (!latest) return limits;
  limits.expected_from = *latest;
  limits.expected_to = latest->plus_days(settings.signature_window_days);
  limits.outside_weight = settings.signature_outside_weight;
  return limits;
}

// The template cell under a read row's `column`, or null.
const forms::TableCell* template_cell(const forms::FormTemplate& form, const core::ReadLine& line,
                                      std::string_view column) {
  const forms::FieldSpec* table = form.field(line.table);
  const auto r = static_cast<std::size_t>(line.row);
  return table == nullptr || r >= table->rows.size() ? nullptr : table->rows[r].cell(column);
}

// How `centimes` may read in an amount box: "391,60", its comma lost ("39160", which
// amount_others takes back at the odds of a lost comma), and "170" as well as "170,00".
std::vector<std::string> written_forms(std::int64_t centimes) {
  const std::string with_comma = core::Money{centimes}.french(false);
  const std::size_t comma = with_comma.find(',');
  std::vector<std::string> out{with_comma,
                               with_comma.substr(0, comma) + with_comma.substr(comma + 1)};
  if (centimes % 100 == 0) out.push_back(with_comma.substr(0, comma));
  return out;
}

// The gap between a comb's characters when the line recogniser reads them side by side: a
// fifth of the ink's height, 4 px at least.
constexpr int kPackedGapPerHeight = 5;
constexpr int kPackedGapMinPx = 4;

// The written cells of a comb side by side, as one line of handwriting (dark ink on white). The
// cell classifier sees each character alone; the line model sees them in a row: the two seldom
// make the same mistake, so their agreement is evidence. The cells' ink goes side by side at a
// writer's spacing: the comb's walls set the characters wider apart than any line the model
// learnt from, and it dropped characters across the gaps (seed 777, 551 CINs: a fifth of the
// ink's height as the gap took those both read alike from 388 to 403, with the same one wrong
// among those the cells were surest of). Empty when no cell is written.
cv::Mat packed_cells(const CombInk& ink) {
  std::vector<std::pair<const cv::Mat*, cv::Rect>> written;
  cv::Rect rows;
  for (const auto& mask : ink.cells) {
    if (mask.empty()) continue;
    const cv::Rect box = cv::boundingRect(mask);
    if (box.empty()) continue;
    written.emplace_back(&mask, box);
    rows = rows.empty() ? box : (rows | box);
  }
  if (written.empty()) return {};
  const int gap = std::max(kPackedGapMinPx, rows.height / kPackedGapPerHeight);
  int width = gap * static_cast<int>(written.size() - 1);
  for (const auto& w : written) width += w.second.width;
  cv::Mat packed = cv::Mat::zeros(rows.height, width, CV_8U);
  int x = 0;
  for (const auto& [mask, box] : written) {
    (*mask)(cv::Rect(box.x, rows.y, box.width, rows.height))
        .copyTo(packed(cv::Rect(x, 0, box.width, rows.height)));
    x += box.width + gap;
  }
  return ink_to_image(packed, 12);
}

// The line reading backs the cells' CIN when it is its favourite, or, if the cells are fairly
// sure of it, when it is no more than e times less likely than the favourite. The line model
// errs on letters apart from the cells, but often holds the cells' reading a close second:
// seed 777 (1200 pages), 36 CINs more backed that way, all of them right (counted with a
// temporary debug print, not in the repo).
constexpr double kCellsSureForCloseSecond = 0.5;
constexpr double kCloseSecondLogOdds = 1.0;

// How sure we are that a field with `ink` pixels is blank, for a blank threshold `limit`.
double blank_confidence(int ink, int limit) {
  return ink * 3 <= limit ? 0.97 : 0.75;
}

}  // namespace

recognize::Recognition FieldExtractor::cross_checked(const recognize::Recognition& first,
                                                     const cv::Mat& image, const TextRule& rule,
                                                     recognize::Content content) {
  // The same ink at a smaller scale is segmented differently: a second opinion for key fields.
  // One look at it is enough (a name's first reading already weighs three widths): the second
  // opinion is there to part from the first on a misread letter, and the two views it no longer
  // takes were a third of a name's reading time (stage_bench, dev seed 31313: recognition 98 ->
  // 90 ms a page).
  cv::Mat smaller;
  cv::resize(image, smaller, {}, 0.6, 0.6, cv::INTER_AREA);
  recognize::FieldRequest request{rule.layout, rule.allowed, true, content};
  request.single_view = true;
  const auto second = recognizer_.recognize(smaller, request);
  const bool first_kept = first.confidence >= second.confidence;
  recognize::Recognition kept = first_kept ? first : second;
  if (normalize(rule.value, second.text).value == normalize(rule.value, first.text).value) {
    kept.confidence = std::max(first.confidence, second.confidence);
  } else {
    // Two readings that disagree: whichever is kept is a guess, and the other one a likely
    // second choice.
    const recognize::Recognition& other = first_kept ? second : first;
    const bool known = std::any_of(kept.readings.begin(), kept.readings.end(),
                                   [&other](const auto& r) { return r.text == other.text; });
    if (!known && !other.text.empty()) kept.readings.push_back({other.text, other.confidence});
    kept.confidence *= 0.4;
  }
  return kept;
}

cv::Rect to_pixels(const forms::BoxMm& box, double dpi) {
  const auto px = [dpi](double mm) {
    return static_cast<int>(std::lround(forms::FormTemplate::mm_to_px(mm, dpi)));
  };
  return {px(box.x), px(box.y), px(box.w), px(box.h)};
}

FieldExtractor::FieldExtractor(recognize::Recognizer& recognizer, ExtractionSettings settings,
                               const recognize::PrintGlyphs* glyphs)
    : recognizer_(recognizer), settings_(settings), glyphs_(glyphs) {}

const cv::Mat& FieldExtractor::printed_of(const forms::FormTemplate& form) {
  auto it = printed_.find(form.form);
  if (it == printed_.end()) {
    const cv::Mat reference = cv::imread(form.image.string(), cv::IMREAD_GRAYSCALE);
    cv::Mat mask = reference.empty() ? cv::Mat() : printed_mask(reference, settings_);
    it = printed_.emplace(form.form, std::move(mask)).first;
  }
  return it->second;
}

InkRegion FieldExtractor::free_ink(const cv::Mat& page, const cv::Mat& printed,
                                   const forms::BoxMm& box, FieldKind kind,
                                   const std::string& column_or_id) const {
  const TextRule rule = text_rule(kind, column_or_id);
  const cv::Rect rect = to_pixels(box, 300);
  const int margin = static_cast<int>(std::lround(settings_.margin_mm * 300 / 25.4));
  const int side = rule.table_cell ? 0 : margin;
  InkRegion region = find_ink(page, printed, grown(rect, side, margin), settings_);
  if (region.pixels > settings_.blank_max_ink_px) {
    keep_writing_band(region.ink);
    region.pixels = cv::countNonZero(region.ink);
  }
  return region;
}

core::ReadField FieldExtractor::read_free(const cv::Mat& page, const cv::Mat& printed,
                                          const forms::BoxMm& box, FieldKind kind,
                                          const std::string& column_or_id) {
  const TextRule rule = text_rule(kind, column_or_id);
  if (kind == FieldKind::kPrintedText) return read_printed(page, box, rule);
  core::ReadField field;
  field.box = pixel_box(to_pixels(box, 300));
  const InkRegion region = free_ink(page, printed, box, kind, column_or_id);
  if (region.pixels <= settings_.blank_max_ink_px) {
    field.confidence = blank_confidence(region.pixels, settings_.blank_max_ink_px);
    return field;
  }
  const cv::Mat image = ink_to_image(region.ink, 12);
  const recognize::Content content = content_of(rule, column_or_id);
  recognize::Recognition reading =
      recognizer_.recognize(image, {rule.layout, rule.allowed, true, content});
  // Tesseract's word mode gives up on some short handwritten numbers that its line mode reads.
  if (reading.text.empty() && rule.layout != recognize::Layout::kLine) {
    reading = recognizer_.recognize(image, {recognize::Layout::kLine, rule.allowed, true, content});
  }
  // A line model scales every crop to its own height, so a second reading at another scale
  // mostly repeats the first: table cells and places are read once by such an engine
  // (stage_bench on seed 90417: recognition 166 -> 118 CPU ms a page; dev seed 31313: rows
  // exact 81.9 -> 80.7 %). The insured's name keeps it: a key field that no grammar checks,
  // where the two readings still part on a few misread letters (`carescan eval` on dev: 340
  // names right, 337 with a build that read the name once too).
  if (rule.cross_check &&
      (content == recognize::Content::kName ||
       !recognizer_.reads_alike_at_any_scale({rule.layout, rule.allowed, true, content}))) {
    reading = cross_checked(reading, image, rule, content);
  }
  if (is_stray_figure(reading.text, reading.confidence, rule,
                      settings_.row_amount_min_confidence)) {
    field.confidence = 1 - reading.confidence;
    return field;
  }
  if (content == recognize::Content::kPlace && is_no_place(reading.text)) {
    field.confidence = blank_confidence(region.pixels, settings_.blank_max_ink_px);
    return field;
  }
  field.raw = reading.text;
  const Normalized normalized = normalize(rule.value, reading.text);
  field.value = normalized.value;
  field.confidence = scored(reading.confidence, normalized, rule);
  field.corroborated = reading.listed && normalized.valid;
  field.doubted = reading.near_listed;
  if (rule.value == ValueKind::kMoney && normalized.value) field.others = amount_others(reading);
  return field;
}

core::ReadField FieldExtractor::read_printed(const cv::Mat& page, const forms::BoxMm& box,
                                             const TextRule& rule) {
  // The serial number is part of the printed sheet: it is read off the page itself, with no
  // reference ink taken away, and with the print's own contrast (printed.h).
  const cv::Rect rect = to_pixels(box, 300);
  core::ReadField field;
  field.box = pixel_box(rect);
  const PrintedLine line = find_printed_line(page, rect, settings_);
  if (line.pixels <= settings_.blank_max_ink_px) {
    field.confidence = blank_confidence(line.pixels, settings_.blank_max_ink_px);
    return field;
  }
  const recognize::Recognition reading = read_serial(line, recognizer_, glyphs_);
  field.raw = reading.text;
  const Normalized normalized = normalize(rule.value, reading.text);
  field.value = normalized.value;
  field.confidence = scored(reading.confidence, normalized, rule);
  return field;
}

CombReading FieldExtractor::classify_comb(const cv::Mat& page, const cv::Mat& printed,
                                          const std::vector<cv::Rect>& cells,
                                          const forms::FieldSpec& spec, const CombRule& rule,
                                          const DecodeLimits& limits) {
  CombReading reading;
  reading.cells.resize(cells.size());
  const CombInk ink = comb_ink(page, printed, cells, settings_);
  reading.ink_pixels = ink.ink_pixels;
  std::vector<cv::Mat> crops;
  for (const auto& mask : ink.cells) {
    if (!mask.empty()) crops.push_back(cell_image(mask));
  }
  if (crops.empty()) return reading;
  // All of the field's cells in one request: the classifier reads them in one pass. Any class
  // comes back; the grammar, not the request, decides what each cell may hold.
  const auto read = recognizer_.recognize_all(
      crops, {recognize::Layout::kChar, "", true, content_of(rule.text, spec.id)});
  std::vector<CellGuess> guesses(cells.size());
  std::size_t next = 0;
  bool any_character = false;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (ink.cells[i].empty()) continue;
    guesses[i].inked = true;
    const auto& r = read[next++];
    if (!r.symbols.empty()) guesses[i].alternatives = r.symbols.front().alternatives;
    any_character = any_character || !r.text.empty();
  }
  // Ink in the comb but no character in any cell (a stamp's edge, a fold): a blank field.
  if (!any_character) return reading;
  CombGrammar grammar = CombGrammar::kDigits;
  if (spec.kind == FieldKind::kCin) grammar = CombGrammar::kCin;
  if (spec.kind == FieldKind::kDate) grammar = CombGrammar::kDate;
  if (spec.kind == FieldKind::kAmount) grammar = CombGrammar::kAmount;
  const CombDecoding decoded = decode_comb(guesses, grammar, limits);
  for (std::size_t i = 0; i < cells.size() && i < decoded.cells.size(); ++i) {
    reading.cells[i].text = decoded.cells[i];
    // The field's confidence is its least sure cell's: every cell carries the reading's.
    reading.cells[i].confidence = decoded.confidence;
    reading.cells[i].agreed = true;
  }
  if (grammar == CombGrammar::kCin) {
    reading.corroborated = line_supports(
        ink, {rule.text.layout, rule.text.allowed, true, content_of(rule.text, spec.id)},
        reading.text(), decoded.confidence >= kCellsSureForCloseSecond);
  }
  return reading;
}

bool FieldExtractor::line_supports(const CombInk& ink, const recognize::FieldRequest& request,
                                   const std::string& cells, bool close_second) {
  const cv::Mat image = packed_cells(ink);
  if (image.empty() || cells.empty()) return false;
  // Weighed only when a close second may count: the cells' reading is then scored exactly.
  const recognize::Recognition line = close_second
                                          ? recognizer_.recognize_weighing(image, request, {cells})
                                          : recognizer_.recognize(image, request);
  const auto unspaced = [](std::string text) {
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    return text;
  };
  if (unspaced(line.text) == cells) return true;
  if (!close_second || line.readings.empty() || line.readings.front().probability <= 0) {
    return false;
  }
  const double best = line.readings.front().probability;
  return std::any_of(line.readings.begin(), line.readings.end(), [&](const auto& r) {
    return unspaced(r.text) == cells && r.probability > 0 &&
           std::log(r.probability / best) >= -kCloseSecondLogOdds;
  });
}

core::ReadField FieldExtractor::read_comb_field(const cv::Mat& page, const cv::Mat& printed,
                                                const forms::FieldSpec& spec,
                                                const std::vector<core::ReadLine>& lines) {
  std::vector<cv::Rect> cells;
  for (const auto& cell : spec.cells) cells.push_back(to_pixels(cell, 300));
  const CombRule rule = comb_rule(spec);
  const CombReading reading =
      settings_.cell_classifier
          ? classify_comb(page, printed, cells, spec, rule, limits_for(spec, lines, settings_))
          : read_comb(page, printed, cells, rule.allowed, recognizer_, settings_);
  core::ReadField field;
  field.box = pixel_box(to_pixels(spec.box, 300));
  if (reading.blank()) {
    field.confidence = blank_confidence(reading.ink_pixels, settings_.cell_blank_max_ink_px);
    return field;
  }
  const std::string raw = comb_text(spec, reading);
  field.raw = raw;
  const Normalized normalized = normalize(rule.value, raw);
  field.value = normalized.value;
  field.confidence = scored(reading.confidence(), normalized, rule.text);
  field.corroborated = reading.corroborated && normalized.valid;
  return field;
}

core::ReadField FieldExtractor::read_signature(const cv::Mat& page, const cv::Mat& printed,
                                               const forms::BoxMm& box) {
  const cv::Rect rect = to_pixels(box, 300);
  core::ReadField field;
  field.box = pixel_box(rect);
  field.source = core::Source::kDetector;
  field.boolean = true;
  InkRegion region = find_ink(page, printed, rect, settings_);
  // What a slanted box border leaves is no signature (seen on photos of an unsigned sheet).
  drop_slivers(region.ink, kSliverThickness, rect.width / 4);
  const int pixels = cv::countNonZero(region.ink);
  const double limit = settings_.signature_min_ink_px;
  field.value = pixels > limit ? "true" : "false";
  // The further the ink from the limit either way, the surer: four times over or under it is
  // as sure as this detector gets. Graded, so that calibration can tell a borderline page.
  const double distance =
      std::abs(std::log(std::max(1.0, static_cast<double>(pixels)) / std::max(1.0, limit)));
  field.confidence = 0.5 + 0.49 * std::min(1.0, distance / std::log(4.0));
  return field;
}

std::vector<core::ReadField> FieldExtractor::read_ticks(
    const cv::Mat& page, const cv::Mat& printed, const std::vector<const forms::FieldSpec*>& specs,
    bool exclusive) {
  std::vector<cv::Rect> boxes;
  cv::Rect area = to_pixels(specs.front()->box, 300);
  for (const auto* spec : specs) {
    boxes.push_back(to_pixels(spec->box, 300));
    area |= grown(boxes.back(), boxes.back().height, boxes.back().height);
  }
  InkRegion region = find_ink(page, printed, area, settings_);
  std::vector<cv::Rect> in_region;
  in_region.reserve(boxes.size());
  for (const auto& box : boxes) in_region.push_back(box - region.rect.tl());
  keep_strokes(region.ink, in_region);
  // A tick belongs to the box under its centre: people tick large, across the neighbours.
  std::vector<int> ink(boxes.size(), 0);
  // Removing the printed boxes cuts a tick where it crosses their lines: join the pieces first.
  cv::Mat joined;
  const int gap = 4 * settings_.printed_dilate_px + 5;
  cv::dilate(region.ink, joined, cv::getStructuringElement(cv::MORPH_ELLIPSE, {gap, gap}));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  std::vector<int> own_ink(static_cast<std::size_t>(n), 0);
  for (int y = 0; y < labels.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    const unsigned char* px = region.ink.ptr<unsigned char>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (px[x] != 0) ++own_ink[label[x]];
    }
  }
  for (int c = 1; c < n; ++c) {
    const cv::Point centre(region.rect.x + stats.at<int>(c, cv::CC_STAT_LEFT) +
                               stats.at<int>(c, cv::CC_STAT_WIDTH) / 2,
                           region.rect.y + stats.at<int>(c, cv::CC_STAT_TOP) +
                               stats.at<int>(c, cv::CC_STAT_HEIGHT) / 2);
    const auto under = std::find_if(boxes.begin(), boxes.end(), [&](const cv::Rect& box) {
      return grown(box, box.width / 10, box.height / 10).contains(centre);
    });
    if (under != boxes.end()) {
      ink[static_cast<std::size_t>(under - boxes.begin())] += own_ink[c];
      continue;
    }
    // A tick drawn over its box's outline loses its middle with the outline: the arms left
    // outside the box each centre beside it, but still reach into it. In a choice of one box
    // among a few set apart (sex, the ALD relation), they belong to the box they reach into
    // most. In the grid of teeth, what reaches into a box from beside it is more often what is
    // left of the printed numbers above the row.
    if (!exclusive) continue;
    const cv::Rect piece(region.rect.x + stats.at<int>(c, cv::CC_STAT_LEFT),
                         region.rect.y + stats.at<int>(c, cv::CC_STAT_TOP),
                         stats.at<int>(c, cv::CC_STAT_WIDTH), stats.at<int>(c, cv::CC_STAT_HEIGHT));
    int most = 0;
    std::size_t reached = boxes.size();
    for (std::size_t b = 0; b < boxes.size(); ++b) {
      const int overlap = (piece & boxes[b]).area();
      if (overlap > most) {
        most = overlap;
        reached = b;
      }
    }
    if (reached < boxes.size()) ink[reached] += own_ink[c];
  }
  std::vector<core::ReadField> marks;
  for (std::size_t b = 0; b < boxes.size(); ++b) {
    core::ReadField field;
    field.box = pixel_box(boxes[b]);
    field.source = core::Source::kDetector;
    field.boolean = true;
    const bool ticked = ink[b] >= settings_.tick_min_ink_px;
    field.value = ticked ? "true" : "false";
    const double ratio = ink[b] / static_cast<double>(settings_.tick_min_ink_px);
    field.confidence = (ratio > 2.5 || ratio < 0.3) ? 0.97 : 0.7;
    marks.push_back(std::move(field));
  }
  return marks;
}

void FieldExtractor::read_tables(const cv::Mat& page, const cv::Mat& printed,
                                 const forms::FieldSpec& table, Extraction& out) {
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    // A written row has ink in several of its cells; a stamp, a fold or fax noise spilling into
    // the table usually marks one. A row needs two inked cells, one of them its date or amount.
    int inked = 0;
    bool dated_or_priced = false;
    for (const auto& cell : row.cells) {
      const InkRegion region = find_ink(page, printed, to_pixels(cell.box, 300), settings_);
      if (region.pixels <= settings_.blank_max_ink_px) continue;
      ++inked;
      dated_or_priced = dated_or_priced || cell.column == "date" || cell.column == "amount";
    }
    if (inked < 2 || !dated_or_priced) continue;
    core::ReadLine line;
    line.table = table.id;
    line.row = static_cast<int>(r);
    for (const auto& cell : row.cells) {
      line.cells[contract_column(cell.column)] =
          read_free(page, printed, cell.box, cell.kind, cell.column);
    }
    // Neither a date nor an amount could be made of the row: what looked like writing was noise
    // (a copier's toner, a photo's shadow) far more often than an unreadable row.
    const auto has_value = [&line](const char* column) {
      const auto it = line.cells.find(column);
      return it != line.cells.end() && it->second.value.has_value();
    };
    if (!has_value("date") && !has_value("amount")) continue;
    // With no date, only a sure, non-zero amount makes a row: the line recogniser's grammar
    // turns a stray stroke into some small amount.
    if (!has_value("date")) {
      const core::ReadField& amount = line.cells["amount"];
      const auto money = core::parse_money(amount.value.value_or(""));
      if (!money || money->centimes == 0 ||
          amount.confidence < settings_.row_amount_min_confidence) {
        continue;
      }
    }
    out.lines.push_back(std::move(line));
  }
}

std::vector<FieldCrop> FieldExtractor::crops(const forms::FormTemplate& form, const cv::Mat& page) {
  std::vector<FieldCrop> out;
  const cv::Mat& printed = printed_of(form);
  auto add_free = [&](const forms::BoxMm& box, FieldKind kind, const std::string& field,
                      const std::string& column, int row) {
    const std::string& name = column.empty() ? field : column;
    const InkRegion region = free_ink(page, printed, box, kind, name);
    if (region.pixels <= settings_.blank_max_ink_px) return;
    FieldCrop crop{field,
                   column,
                   row,
                   -1,
                   content_of(text_rule(kind, name), name),
                   ink_to_image(region.ink, 12)};
    if (!crop.image.empty()) out.push_back(std::move(crop));
  };
  for (const auto& spec : form.fields) {
    switch (spec.kind) {
      case FieldKind::kTable:
        for (std::size_t r = 0; r < spec.rows.size(); ++r) {
          for (const auto& cell : spec.rows[r].cells) {
            add_free(cell.box, cell.kind, spec.id, cell.column, static_cast<int>(r));
          }
        }
        break;
      case FieldKind::kCheckbox:
      case FieldKind::kSignature:
      case FieldKind::kStampSignature:
      case FieldKind::kVignetteArea:
      case FieldKind::kPrintedText:
        break;
      default:
        if (!spec.is_comb()) {
          add_free(spec.box, spec.kind, spec.id, "", -1);
          break;
        }
        std::vector<cv::Rect> cells;
        for (const auto& cell : spec.cells) cells.push_back(to_pixels(cell, 300));
        const CombInk ink = comb_ink(page, printed, cells, settings_);
        const recognize::Content content = content_of(comb_rule(spec).text, spec.id);
        for (std::size_t i = 0; i < ink.cells.size(); ++i) {
          if (ink.cells[i].empty()) continue;
          out.push_back({spec.id, "", -1, static_cast<int>(i), content, cell_image(ink.cells[i])});
        }
        // The CIN's cells side by side as well: what the line model reads for its second
        // reading (classify_comb), so that it can learn that view too.
        if (spec.kind == FieldKind::kCin) {
          if (cv::Mat packed = packed_cells(ink); !packed.empty()) {
            out.push_back({spec.id, "", -1, -1, content, std::move(packed)});
          }
        }
    }
  }
  return out;
}

Extraction FieldExtractor::extract(const forms::FormTemplate& form, const cv::Mat& page) {
  Extraction out;
  const cv::Mat& printed = printed_of(form);
  // The tables first: the signature date is decoded knowing the care dates.
  for (const auto& spec : form.fields) {
    if (spec.kind == FieldKind::kTable) read_tables(page, printed, spec, out);
  }
  std::map<std::string, std::vector<const forms::FieldSpec*>> tick_groups;
  for (const auto& spec : form.fields) {
    switch (spec.kind) {
      case FieldKind::kTable:
        break;
      case FieldKind::kCheckbox:
        tick_groups[checkbox_group(spec).empty() ? spec.id : checkbox_group(spec)].push_back(&spec);
        break;
      case FieldKind::kSignature:
        out.fields[spec.id] = read_signature(page, printed, spec.box);
        break;
      case FieldKind::kStampSignature:
      case FieldKind::kVignetteArea:
        break;
      default:
        out.fields[spec.id] = spec.is_comb()
                                  ? read_comb_field(page, printed, spec, out.lines)
                                  : read_free(page, printed, spec.box, spec.kind, spec.id);
    }
  }
  for (const auto& [group, specs] : tick_groups) {
    const auto marks = read_ticks(page, printed, specs, !specs.front()->group.empty());
    if (specs.size() == 1 && checkbox_group(*specs.front()).empty()) {
      out.fields[group] = marks.front();
      continue;
    }
    std::vector<std::pair<std::string, core::ReadField>> members;
    for (std::size_t i = 0; i < specs.size(); ++i) members.emplace_back(specs[i]->id, marks[i]);
    out.fields[group] = resolve_group(group, members);
  }
  weigh_care_dates(form, page, printed, out);
  if (settings_.sum_mend_max_log_odds > 0) weigh_implied_amounts(form, page, printed, out);
  mend_sums(out.fields, out.lines, settings_.sum_mend_max_log_odds);
  corroborate_sums(out.fields, out.lines);
  return out;
}

void FieldExtractor::weigh_implied_amounts(const forms::FormTemplate& form, const cv::Mat& page,
                                           const cv::Mat& printed, Extraction& out) {
  for (const auto& implied : implied_amounts(out.fields, out.lines)) {
    if (implied.row != nullptr) {
      const forms::TableCell* cell = template_cell(form, *implied.row, "amount");
      if (cell == nullptr) continue;
      weigh_others(page, printed, cell->box, cell->kind, cell->column,
                   written_forms(implied.centimes), *implied.field);
      continue;
    }
    const forms::FieldSpec* total = form.field(implied.total);
    if (total == nullptr || total->is_comb()) continue;
    weigh_others(page, printed, total->box, total->kind, total->id, written_forms(implied.centimes),
                 *implied.field);
  }
}

void FieldExtractor::weigh_care_dates(const forms::FormTemplate& form, const cv::Mat& page,
                                      const cv::Mat& printed, Extraction& out) {
  if (settings_.care_date_mend_max_log_odds <= 0) return;
  const auto signature = out.fields.find("signature_date");
  if (signature == out.fields.end() || !signature->second.value) return;
  const auto signed_on = core::parse_iso_date(*signature->second.value);
  if (!signed_on) return;
  // The signature date's own window seen from the signature: the care came within
  // reader.extraction.signature_window_days before it.
  const core::Date earliest = signed_on->plus_days(-settings_.signature_window_days);
  for (auto& line : out.lines) {
    const auto it = line.cells.find("date");
    const forms::TableCell* cell = template_cell(form, line, "date");
    if (it == line.cells.end() || !it->second.value || !it->second.raw || cell == nullptr) {
      continue;
    }
    core::ReadField& field = it->second;
    const auto read = core::parse_iso_date(*field.value);
    if (!read || (*read >= earliest && *read <= *signed_on)) continue;
    // Every date of the window, written as the reading was (two or four digits of year).
    const std::string& raw = *field.raw;
    const std::size_t slash = raw.rfind('/');
    const bool short_year = slash != std::string::npos && raw.size() - slash - 1 == 2;
    std::vector<std::string> proposed;
    for (core::Date d = earliest; d <= *signed_on; d = d.plus_days(1)) {
      const std::string full = d.french();
      proposed.push_back(short_year ? full.substr(0, 6) + full.substr(8) : full);
    }
    proposed.push_back(raw);
    const auto reading = reweigh(page, printed, cell->box, cell->kind, cell->column, proposed);
    if (!reading) continue;
    double as_read = 0;
    const recognize::Alternative* best = nullptr;
    for (const auto& alt : reading->readings) {
      if (alt.text == raw) {
        as_read = alt.probability;
      } else if (std::find(proposed.begin(), proposed.end(), alt.text) != proposed.end() &&
                 (best == nullptr || alt.probability > best->probability)) {
        best = &alt;
      }
    }
    if (best == nullptr || as_read <= 0 || best->probability <= 0) continue;
    const double log_odds = std::log(best->probability / as_read);
    if (log_odds < -settings_.care_date_mend_max_log_odds) continue;
    const Normalized in_window = normalize(ValueKind::kDate, best->text);
    if (!in_window.value) continue;
    field.others.insert(field.others.begin(), {*field.value, raw, -log_odds});
    field.value = in_window.value;
    field.raw = best->text;
    field.mended = true;
    // The window's reading against the reading as read: what calibration maps to how often
    // such mends are right.
    field.confidence = best->probability / (best->probability + as_read);
  }
}

std::optional<recognize::Recognition> FieldExtractor::reweigh(
    const cv::Mat& page, const cv::Mat& printed, const forms::BoxMm& box, FieldKind kind,
    const std::string& column_or_id, const std::vector<std::string>& proposed) {
  const InkRegion region = free_ink(page, printed, box, kind, column_or_id);
  if (region.pixels <= settings_.blank_max_ink_px) return std::nullopt;
  const TextRule rule = text_rule(kind, column_or_id);
  return recognizer_.recognize_weighing(
      ink_to_image(region.ink, 12),
      {rule.layout, rule.allowed, true, content_of(rule, column_or_id)}, proposed);
}

void FieldExtractor::weigh_others(const cv::Mat& page, const cv::Mat& printed,
                                  const forms::BoxMm& box, FieldKind kind,
                                  const std::string& column_or_id,
                                  const std::vector<std::string>& proposed,
                                  core::ReadField& field) {
  if (!field.raw) return;
  // The reading as read is weighed too: the odds of the others are against it, whichever view
  // of the ink (a cross-check's smaller scale) it came from.
  std::vector<std::string> weighed = proposed;
  weighed.push_back(*field.raw);
  auto reading = reweigh(page, printed, box, kind, column_or_id, weighed);
  if (!reading) return;
  reading->text = *field.raw;
  for (auto& other : amount_others(*reading)) {
    const bool known = std::any_of(field.others.begin(), field.others.end(),
                                   [&other](const auto& o) { return o.value == other.value; });
    if (!known) field.others.push_back(std::move(other));
  }
  std::stable_sort(field.others.begin(), field.others.end(),
                   [](const auto& a, const auto& b) { return a.log_odds > b.log_odds; });
}

}  // namespace carescan::extract
