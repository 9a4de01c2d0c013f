#include "synth/handwriting.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace carescan::synth {

Hand random_hand(Rng& rng, size_t font_count) {
  Hand h;
  h.font = static_cast<size_t>(uniform_int(rng, 0, static_cast<int>(font_count) - 1));
  h.cap_mm = uniform(rng, 2.9, 4.0);
  h.slant = chance(rng, 0.75) ? uniform(rng, 0.0, 0.3) : uniform(rng, -0.12, 0.0);
  h.rotation_deg = normal(rng, 0, 0.6);
  h.wander_mm = uniform(rng, 0.1, 0.6);
  h.wander_period_mm = uniform(rng, 25, 70);
  h.wander_phase = uniform(rng, 0, 2 * std::numbers::pi);
  h.spacing_mm = uniform(rng, 0.0, 1.2);
  h.spacing_jitter_mm = uniform(rng, 0.05, 0.35);
  h.size_jitter = uniform(rng, 0.02, 0.09);
  h.stroke = pick(rng, std::vector<int>{-1, 0, 0, 1, 1, 2});
  h.ink = random_pen(rng);
  return h;
}

Hand print_hand(size_t font, double cap_mm, const Ink& ink) {
  Hand h;
  h.font = font;
  h.cap_mm = cap_mm;
  h.slant = 0;
  h.wander_mm = 0;
  h.spacing_mm = 0;
  h.spacing_jitter_mm = 0;
  h.size_jitter = 0;
  h.ink = ink;
  return h;
}

char32_t plausible_mistake(char32_t right, Rng& rng) {
  if (right >= U'0' && right <= U'9') {
    char32_t wrong = U'0' + static_cast<char32_t>(uniform_int(rng, 0, 9));
    return wrong == right ? (right == U'9' ? U'8' : right + 1) : wrong;
  }
  if (right >= U'A' && right <= U'Z') {
    char32_t wrong = U'A' + static_cast<char32_t>(uniform_int(rng, 0, 25));
    return wrong == right ? (right == U'Z' ? U'Y' : right + 1) : wrong;
  }
  return U'X';
}

namespace {

struct Placed {
  const Glyph* glyph;
  double x;  // pen position of the glyph's origin
  double y;  // baseline offset, downwards
  bool struck;
};

void draw_strike(cv::Mat& canvas, const cv::Rect& box, double px_per_mm, Rng& rng) {
  const int thickness = std::max(2, cvRound(px_per_mm * uniform(rng, 0.25, 0.45)));
  if (chance(rng, 0.5)) {  // one or two slashes
    cv::line(canvas, {box.x - 2, box.y + box.height}, {box.x + box.width + 2, box.y}, 255,
             thickness, cv::LINE_AA);
    if (chance(rng, 0.5)) {
      cv::line(canvas, {box.x - 2, box.y}, {box.x + box.width + 2, box.y + box.height}, 255,
               thickness, cv::LINE_AA);
    }
    return;
  }
  // a zigzag scribble over the character
  std::vector<cv::Point> zig;
  const int passes = uniform_int(rng, 3, 6);
  for (int i = 0; i <= passes; ++i) {
    const int x = box.x + (i % 2 == 0 ? -2 : box.width + 2);
    zig.emplace_back(x, box.y + box.height * i / passes + uniform_int(rng, -3, 3));
  }
  cv::polylines(canvas, zig, false, 255, thickness, cv::LINE_AA);
}

}  // namespace

InkMark write_text(FontSet& fonts, const Hand& hand, std::string_view text, double px_per_mm,
                   Rng& rng, const Slip& slip) {
  const std::u32string chars = decode_utf8(text);
  if (chars.empty()) return {};
  const double cap_px = hand.cap_mm * px_per_mm;
  const int base_size = std::max(6, cvRound(cap_px / fonts.cap_ratio(hand.font)));
  const double wander_px = hand.wander_mm * px_per_mm;
  const double period_px = std::max(1.0, hand.wander_period_mm * px_per_mm);

  std::vector<Placed> placed;
  double pen = 0;
  auto place = [&](char32_t cp, bool struck) {
    const double jitter =
        hand.size_jitter > 0 ? std::clamp(normal(rng, 0, hand.size_jitter), -0.2, 0.2) : 0.0;
    const int size = std::max(6, cvRound(base_size * (1 + jitter)));
    const Glyph& g = fonts.glyph(hand.font, size, cp);
    double y = 0;
    if (wander_px > 0) {
      y = wander_px * std::sin(2 * std::numbers::pi * pen / period_px + hand.wander_phase) +
          normal(rng, 0, 0.04 * cap_px);
    }
    placed.push_back({&g, pen, y, struck});
    double advance = g.advance + hand.spacing_mm * px_per_mm;
    if (hand.spacing_jitter_mm > 0) advance += normal(rng, 0, hand.spacing_jitter_mm * px_per_mm);
    pen += std::max(advance, g.advance * 0.6);
  };
  for (size_t i = 0; i < chars.size(); ++i) {
    if (static_cast<int>(i) == slip.at) place(slip.wrong, true);
    place(chars[i], false);
  }

  const int pad = base_size;
  const double baseline = pad + base_size * 1.1;
  cv::Mat canvas = cv::Mat::zeros(static_cast<int>(baseline + base_size * 0.6 + pad + wander_px),
                                  static_cast<int>(pen + 2 * pad), CV_8U);
  const cv::Rect canvas_rect(0, 0, canvas.cols, canvas.rows);
  for (const Placed& p : placed) {
    if (p.glyph->coverage.empty()) continue;
    const cv::Rect where(cvRound(pad + p.x + p.glyph->left), cvRound(baseline + p.y - p.glyph->top),
                         p.glyph->coverage.cols, p.glyph->coverage.rows);
    const cv::Rect clipped = where & canvas_rect;
    if (clipped.empty()) continue;
    cv::Mat dst = canvas(clipped);
    cv::max(dst,
            p.glyph->coverage(
                cv::Rect(clipped.x - where.x, clipped.y - where.y, clipped.width, clipped.height)),
            dst);
    if (p.struck) draw_strike(canvas, clipped, px_per_mm, rng);
  }
  if (hand.stroke != 0) {
    const int k = std::abs(hand.stroke) * 2 + 1;
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k});
    if (hand.stroke > 0) {
      cv::dilate(canvas, canvas, kernel);
    } else {
      cv::erode(canvas, canvas, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2, 2}));
    }
  }
  InkMark mark{canvas, cv::Point2d(pad, baseline)};
  return crop_to_ink(transform_mark(mark, hand.rotation_deg, hand.slant));
}

}  // namespace carescan::synth
