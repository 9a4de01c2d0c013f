#include "extract/extractor.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "extract/comb.h"
#include "extract/fields.h"
#include "extract/ink.h"

namespace carescan::extract {
namespace {

using forms::FieldKind;

core::PixelBox pixel_box(cv::Rect r) {
  return {static_cast<double>(r.x), static_cast<double>(r.y), static_cast<double>(r.width),
          static_cast<double>(r.height)};
}

cv::Rect grown(cv::Rect r, int dx, int dy) {
  return {r.x - dx, r.y - dy, r.width + 2 * dx, r.height + 2 * dy};
}

// How sure we are that a field with `ink` pixels is blank, for a blank threshold `limit`.
double blank_confidence(int ink, int limit) {
  return ink * 3 <= limit ? 0.97 : 0.75;
}

}  // namespace

recognize::Recognition FieldExtractor::cross_checked(const recognize::Recognition& first,
                                                     const cv::Mat& image, const TextRule& rule) {
  // The same ink at a smaller scale is segmented differently: a second opinion for key fields.
  cv::Mat smaller;
  cv::resize(image, smaller, {}, 0.6, 0.6, cv::INTER_AREA);
  const auto second = recognizer_.recognize(smaller, {rule.layout, rule.allowed, true});
  recognize::Recognition kept = first.confidence >= second.confidence ? first : second;
  if (normalize(rule.value, second.text).value == normalize(rule.value, first.text).value) {
    kept.confidence = std::max(first.confidence, second.confidence);
  } else {
    // Two readings that disagree: whichever is kept is a guess.
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

FieldExtractor::FieldExtractor(recognize::Recognizer& recognizer, ExtractionSettings settings)
    : recognizer_(recognizer), settings_(settings) {}

const cv::Mat& FieldExtractor::printed_of(const forms::FormTemplate& form) {
  auto it = printed_.find(form.form);
  if (it == printed_.end()) {
    const cv::Mat reference = cv::imread(form.image.string(), cv::IMREAD_GRAYSCALE);
    cv::Mat mask = reference.empty() ? cv::Mat() : printed_mask(reference, settings_);
    it = printed_.emplace(form.form, std::move(mask)).first;
  }
  return it->second;
}

core::ReadField FieldExtractor::read_free(const cv::Mat& page, const cv::Mat& printed,
                                          const forms::BoxMm& box, FieldKind kind,
                                          const std::string& column_or_id) {
  const TextRule rule = text_rule(kind, column_or_id);
  const cv::Rect rect = to_pixels(box, 300);
  const int margin = static_cast<int>(std::lround(settings_.margin_mm * 300 / 25.4));
  core::ReadField field;
  field.box = pixel_box(rect);
  // The printed serial number is part of the reference sheet: keep what is printed there.
  const bool printed_value = kind == FieldKind::kPrintedText;
  const InkRegion region = find_ink(page, printed_value ? cv::Mat() : printed,
                                    grown(rect, rule.table_cell ? 0 : margin, margin), settings_);
  if (region.pixels <= settings_.blank_max_ink_px) {
    field.confidence = blank_confidence(region.pixels, settings_.blank_max_ink_px);
    return field;
  }
  const cv::Mat image = ink_to_image(region.ink, 12);
  recognize::Recognition reading =
      recognizer_.recognize(image, {rule.layout, rule.allowed, !printed_value});
  // Tesseract's word mode gives up on some short handwritten numbers that its line mode reads.
  if (reading.text.empty() && rule.layout != recognize::Layout::kLine) {
    reading = recognizer_.recognize(image, {recognize::Layout::kLine, rule.allowed, true});
  }
  if (rule.cross_check) reading = cross_checked(reading, image, rule);
  field.raw = reading.text;
  const Normalized normalized = normalize(rule.value, reading.text);
  field.value = normalized.value;
  field.confidence = scored(reading.confidence, normalized, rule);
  return field;
}

core::ReadField FieldExtractor::read_comb_field(const cv::Mat& page, const cv::Mat& printed,
                                                const forms::FieldSpec& spec) {
  std::vector<cv::Rect> cells;
  for (const auto& cell : spec.cells) cells.push_back(to_pixels(cell, 300));
  const CombRule rule = comb_rule(spec);
  const CombReading reading = read_comb(page, printed, cells, rule.allowed, recognizer_, settings_);
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
  return field;
}

core::ReadField FieldExtractor::read_mark(const cv::Mat& page, const cv::Mat& printed,
                                          const forms::BoxMm& box, bool signature) {
  const cv::Rect rect = to_pixels(box, 300);
  core::ReadField field;
  field.box = pixel_box(rect);
  field.source = core::Source::kDetector;
  field.boolean = true;
  // A tick is read inside its box only; a signature may overrun its box a little.
  const cv::Rect area = signature ? rect : grown(rect, -rect.width / 6, -rect.height / 6);
  const InkRegion region = find_ink(page, printed, area, settings_);
  const double limit =
      signature ? settings_.signature_min_ink_px : settings_.checkbox_min_fill * area.area();
  const bool present = region.pixels > limit;
  field.value = present ? "true" : "false";
  const double ratio = region.pixels / std::max(1.0, limit);
  field.confidence = (ratio > 2.5 || ratio < 0.3) ? 0.98 : 0.7;
  return field;
}

void FieldExtractor::read_tables(const cv::Mat& page, const cv::Mat& printed,
                                 const forms::FieldSpec& table, Extraction& out) {
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    bool filled = false;
    for (const auto& cell : row.cells) {
      const InkRegion region = find_ink(page, printed, to_pixels(cell.box, 300), settings_);
      filled = filled || region.pixels > settings_.blank_max_ink_px;
    }
    if (!filled) continue;
    core::ReadLine line;
    line.table = table.id;
    line.row = static_cast<int>(r);
    for (const auto& cell : row.cells) {
      line.cells[contract_column(cell.column)] =
          read_free(page, printed, cell.box, cell.kind, cell.column);
    }
    out.lines.push_back(std::move(line));
  }
}

Extraction FieldExtractor::extract(const forms::FormTemplate& form, const cv::Mat& page) {
  Extraction out;
  const cv::Mat& printed = printed_of(form);
  std::map<std::string, std::vector<std::pair<std::string, core::ReadField>>> groups;
  for (const auto& spec : form.fields) {
    switch (spec.kind) {
      case FieldKind::kTable:
        read_tables(page, printed, spec, out);
        break;
      case FieldKind::kCheckbox: {
        auto mark = read_mark(page, printed, spec.box, false);
        const std::string group = checkbox_group(spec);
        if (group.empty()) {
          out.fields[spec.id] = mark;
        } else {
          groups[group].emplace_back(spec.id, mark);
        }
        break;
      }
      case FieldKind::kSignature:
        out.fields[spec.id] = read_mark(page, printed, spec.box, true);
        break;
      case FieldKind::kStampSignature:
      case FieldKind::kVignetteArea:
        break;
      default:
        out.fields[spec.id] = spec.is_comb()
                                  ? read_comb_field(page, printed, spec)
                                  : read_free(page, printed, spec.box, spec.kind, spec.id);
    }
  }
  for (const auto& [group, members] : groups) out.fields[group] = resolve_group(group, members);
  return out;
}

}  // namespace carescan::extract
