#include "synth/field_writing.h"

#include <opencv2/imgproc.hpp>

#include "synth/marks.h"

namespace carescan::synth {

cv::Rect2d box_px(double x_mm, double y_mm, double w_mm, double h_mm) {
  return {x_mm * kPxPerMm, y_mm * kPxPerMm, w_mm * kPxPerMm, h_mm * kPxPerMm};
}

namespace {

Slip random_slip(const std::string& text, double chance_of_slip, Rng& rng) {
  if (text.size() < 3 || !chance(rng, chance_of_slip)) return {};
  const int at = uniform_int(rng, 1, static_cast<int>(text.size()) - 1);
  const auto c = static_cast<unsigned char>(text[static_cast<size_t>(at)]);
  if (c >= 0x80 || c == ' ') return {};
  return Slip{at, plausible_mistake(c, rng)};
}

}  // namespace

void write_on_line(cv::Mat& page, FontSet& fonts, const Hand& hand, const std::string& text,
                   const cv::Rect2d& zone, const LineStyle& style, Rng& rng) {
  if (text.empty()) return;
  Hand h = hand;
  h.cap_mm = std::min(h.cap_mm, zone.height / kPxPerMm * style.max_cap_share);
  InkMark mark =
      write_text(fonts, h, text, kPxPerMm, rng, random_slip(text, style.slip_chance, rng));
  if (mark.alpha.empty()) return;
  const double indent = uniform(rng, 0.3, std::max(0.4, style.indent_mm_max)) * kPxPerMm;
  const double room = zone.width - indent - kPxPerMm * 0.5;
  if (mark.alpha.cols > room && room > 10) {  // writers squeeze what does not fit
    const double f = room / mark.alpha.cols;
    cv::resize(mark.alpha, mark.alpha, cv::Size(), f, 1.0, cv::INTER_AREA);
    mark.anchor.x *= f;
  }
  const double baseline = zone.y + zone.height - uniform(rng, 0.9, 1.8) * kPxPerMm;
  lay_ink_at_anchor(page, mark, {zone.x + indent, baseline}, hand.ink, rng);
}

void write_in_comb(cv::Mat& page, FontSet& fonts, const Hand& hand,
                   const std::vector<std::string>& texts, const std::vector<cv::Rect2d>& cells,
                   double touch_chance, Rng& rng) {
  int touching = -1;
  if (chance(rng, touch_chance) && !texts.empty()) {
    touching = uniform_int(rng, 0, static_cast<int>(std::min(texts.size(), cells.size())) - 1);
  }
  for (size_t i = 0; i < texts.size() && i < cells.size(); ++i) {
    if (texts[i].empty()) continue;
    const cv::Rect2d& cell = cells[i];
    Hand h = hand;
    h.cap_mm =
        std::clamp(hand.cap_mm * uniform(rng, 0.95, 1.15), 2.6, cell.height / kPxPerMm * 0.72);
    h.wander_mm = 0;
    InkMark mark = write_text(fonts, h, texts[i], kPxPerMm, rng);
    if (mark.alpha.empty()) continue;
    const double widest = cell.width * uniform(rng, 0.7, 0.95);
    if (mark.alpha.cols > widest) {  // a wide hand writes narrower in a cell, not across it
      const double f = widest / mark.alpha.cols;
      cv::resize(mark.alpha, mark.alpha, cv::Size(), f, f, cv::INTER_AREA);
    }
    double cx = cell.x + cell.width / 2 + normal(rng, 0, cell.width * 0.07);
    double cy = cell.y + cell.height / 2 + normal(rng, cell.height * 0.03, cell.height * 0.06);
    if (static_cast<int>(i) == touching) {  // pushed against a border, crossing it a little
      const double over = uniform(rng, 0.2, 0.7) * kPxPerMm;
      switch (uniform_int(rng, 0, 3)) {
        case 0:
          cx = cell.x + mark.alpha.cols / 2.0 - over;
          break;
        case 1:
          cx = cell.x + cell.width - mark.alpha.cols / 2.0 + over;
          break;
        case 2:
          cy = cell.y + mark.alpha.rows / 2.0 - over;
          break;
        default:
          cy = cell.y + cell.height - mark.alpha.rows / 2.0 + over;
          break;
      }
    }
    const cv::Point tl(cvRound(cx - mark.alpha.cols / 2.0), cvRound(cy - mark.alpha.rows / 2.0));
    lay_ink(page, mark.alpha, tl, hand.ink, rng);
  }
}

void tick_box(cv::Mat& page, const Hand& hand, const cv::Rect2d& box, Rng& rng) {
  const double s = std::min(box.width, box.height) * uniform(rng, 1.0, 1.5);
  const int size = cvRound(s + 8);
  cv::Mat alpha = cv::Mat::zeros(size, size, CV_8U);
  const int t = std::max(2, cvRound(kPxPerMm * uniform(rng, 0.25, 0.4)));
  auto jitter = [&](double v) { return cvRound(v + normal(rng, 0, s * 0.05)); };
  if (chance(rng, 0.6)) {
    cv::line(alpha, {jitter(4), jitter(4)}, {jitter(size - 4), jitter(size - 4)}, 255, t,
             cv::LINE_AA);
    cv::line(alpha, {jitter(size - 4), jitter(4)}, {jitter(4), jitter(size - 4)}, 255, t,
             cv::LINE_AA);
  } else {
    const std::vector<cv::Point> check{{jitter(4), jitter(size * 0.55)},
                                       {jitter(size * 0.4), jitter(size - 4)},
                                       {jitter(size - 2), jitter(0)}};
    cv::polylines(alpha, check, false, 255, t, cv::LINE_AA);
  }
  const cv::Point2d c(box.x + box.width / 2 + normal(rng, 0, box.width * 0.1),
                      box.y + box.height / 2 + normal(rng, 0, box.height * 0.1));
  lay_ink(page, alpha, cv::Point(cvRound(c.x - size / 2.0), cvRound(c.y - size / 2.0)), hand.ink,
          rng);
}

void sign_in(cv::Mat& page, const Hand& hand, const cv::Rect2d& zone, Rng& rng) {
  const cv::Size size(cvRound(zone.width * uniform(rng, 0.55, 0.95)),
                      cvRound(zone.height * uniform(rng, 0.7, 1.3)));
  InkMark mark = scribble_signature(size, kPxPerMm, rng);
  mark = transform_mark(mark, normal(rng, 0, 6));
  const cv::Point2d at(zone.x + zone.width / 2 + normal(rng, 0, zone.width * 0.08),
                       zone.y + zone.height / 2 + normal(rng, 0, zone.height * 0.1));
  lay_ink_at_anchor(page, mark, at, hand.ink, rng);
}

}  // namespace carescan::synth
