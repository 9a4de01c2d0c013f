#include "synth/marks.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "synth/handwriting.h"

namespace carescan::synth {
namespace {

// Catmull-Rom through `points`, `steps` samples per segment.
std::vector<cv::Point> spline(const std::vector<cv::Point2d>& p, int steps) {
  std::vector<cv::Point> out;
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    const cv::Point2d p0 = p[i == 0 ? 0 : i - 1], p1 = p[i], p2 = p[i + 1],
                      p3 = p[std::min(i + 2, p.size() - 1)];
    for (int s = 0; s < steps; ++s) {
      const double t = static_cast<double>(s) / steps, t2 = t * t, t3 = t2 * t;
      const cv::Point2d q =
          0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 +
                 (-p0 + 3 * p1 - 3 * p2 + p3) * t3);
      out.emplace_back(cvRound(q.x), cvRound(q.y));
    }
  }
  out.emplace_back(cvRound(p.back().x), cvRound(p.back().y));
  return out;
}

}  // namespace

InkMark scribble_signature(cv::Size size, double px_per_mm, Rng& rng) {
  cv::Mat canvas = cv::Mat::zeros(size, CV_8U);
  const double w = size.width, h = size.height;
  const int thickness = std::max(2, cvRound(px_per_mm * uniform(rng, 0.25, 0.5)));
  // The body: initials then a run of loops and peaks moving right, the way a hurried hand signs.
  std::vector<cv::Point2d> body;
  const int points = uniform_int(rng, 6, 12);
  const double start = w * uniform(rng, 0.0, 0.15), end = w * uniform(rng, 0.7, 1.0);
  for (int i = 0; i < points; ++i) {
    const double x = start + (end - start) * i / (points - 1) + normal(rng, 0, w * 0.03);
    const double y = h * (i % 2 == 0 ? uniform(rng, 0.5, 0.95) : uniform(rng, 0.05, 0.5));
    body.emplace_back(std::clamp(x, 0.0, w - 1), y);
    if (chance(rng, 0.25)) {  // a loop: back a little and over
      body.emplace_back(std::clamp(x - w * uniform(rng, 0.03, 0.08), 0.0, w - 1),
                        h * uniform(rng, 0.1, 0.4));
    }
  }
  cv::polylines(canvas, spline(body, 14), false, 255, thickness, cv::LINE_AA);
  // A flourish: an underline or a long cross stroke, often.
  if (chance(rng, 0.75)) {
    std::vector<cv::Point2d> tail{{w * uniform(rng, 0.0, 0.3), h * uniform(rng, 0.6, 0.95)},
                                  {w * uniform(rng, 0.4, 0.6), h * uniform(rng, 0.5, 0.9)},
                                  {w * uniform(rng, 0.75, 1.0), h * uniform(rng, 0.2, 0.8)}};
    cv::polylines(canvas, spline(tail, 16), false, 255, std::max(1, thickness - 1), cv::LINE_AA);
  }
  return InkMark{canvas, cv::Point2d(w / 2, h / 2)};
}

namespace {

void put_line(cv::Mat& canvas, FontSet& fonts, size_t font, const std::string& text, double cap_px,
              cv::Point2d centre_baseline, Rng& rng) {
  const Hand hand = print_hand(font, cap_px, Ink{});
  const InkMark mark = write_text(fonts, hand, text, 1.0, rng);
  if (mark.alpha.empty()) return;
  const cv::Point tl(cvRound(centre_baseline.x - mark.alpha.cols / 2.0),
                     cvRound(centre_baseline.y - mark.anchor.y));
  const cv::Rect where = cv::Rect(tl, mark.alpha.size()) & cv::Rect(0, 0, canvas.cols, canvas.rows);
  if (where.empty()) return;
  cv::Mat dst = canvas(where);
  cv::max(dst, mark.alpha(cv::Rect(where.x - tl.x, where.y - tl.y, where.width, where.height)),
          dst);
}

// Bends `text` along the top of a circle of `radius` around `centre`, one glyph at a time.
void put_arc(cv::Mat& canvas, FontSet& fonts, size_t font, const std::string& text, double cap_px,
             cv::Point2d centre, double radius, Rng& rng) {
  const std::u32string chars = decode_utf8(text);
  const double step = cap_px * 0.85 / radius;  // radians per character
  double angle = -std::numbers::pi / 2 - step * (chars.size() - 1) / 2.0;
  for (char32_t cp : chars) {
    std::string one;
    if (cp < 0x80)
      one.push_back(static_cast<char>(cp));
    else
      one = "?";
    InkMark glyph = write_text(fonts, print_hand(font, cap_px, Ink{}), one, 1.0, rng);
    if (!glyph.alpha.empty()) {
      glyph.anchor = cv::Point2d(glyph.alpha.cols / 2.0, glyph.alpha.rows / 2.0);
      const double deg = -(angle + std::numbers::pi / 2) * 180 / std::numbers::pi;
      glyph = transform_mark(glyph, deg);
      const cv::Point2d at = centre + radius * cv::Point2d(std::cos(angle), std::sin(angle));
      const cv::Point tl(cvRound(at.x - glyph.anchor.x), cvRound(at.y - glyph.anchor.y));
      const cv::Rect where =
          cv::Rect(tl, glyph.alpha.size()) & cv::Rect(0, 0, canvas.cols, canvas.rows);
      if (!where.empty()) {
        cv::Mat dst = canvas(where);
        cv::max(dst,
                glyph.alpha(cv::Rect(where.x - tl.x, where.y - tl.y, where.width, where.height)),
                dst);
      }
    }
    angle += step;
  }
}

}  // namespace

InkMark ink_stamp(FontSet& fonts, const std::vector<std::string>& lines, double px_per_mm,
                  Rng& rng) {
  const size_t font = static_cast<size_t>(uniform_int(rng, 0, static_cast<int>(fonts.size()) - 1));
  const int border = std::max(2, cvRound(px_per_mm * uniform(rng, 0.3, 0.5)));
  cv::Mat canvas;
  if (chance(rng, 0.35) && !lines.empty()) {
    const double radius = px_per_mm * uniform(rng, 14, 17);
    const int side = cvRound(radius * 2 + 4 * border);
    canvas = cv::Mat::zeros(side, side, CV_8U);
    const cv::Point2d c(side / 2.0, side / 2.0);
    cv::circle(canvas, c, cvRound(radius), 255, border, cv::LINE_AA);
    cv::circle(canvas, c, cvRound(radius * 0.68), 255, std::max(1, border - 1), cv::LINE_AA);
    const double cap = px_per_mm * 2.4;
    put_arc(canvas, fonts, font, lines[0], cap, c, radius * 0.84 - cap * 0.5, rng);
    const double inner_cap = px_per_mm * 1.9;
    const size_t inner = std::min<size_t>(lines.size() - 1, 3);
    for (size_t i = 0; i < inner; ++i) {
      const double y =
          c.y + (static_cast<double>(i) - (inner - 1) / 2.0) * inner_cap * 1.6 + inner_cap / 2;
      put_line(canvas, fonts, font, lines[1 + i], inner_cap, {c.x, y}, rng);
    }
  } else {
    const double cap = px_per_mm * uniform(rng, 2.0, 2.6);
    const double line_h = cap * 1.7;
    const int w = cvRound(px_per_mm * uniform(rng, 38, 46));
    const int h = cvRound(line_h * lines.size() + cap * 1.6);
    canvas = cv::Mat::zeros(h + 4 * border, w + 4 * border, CV_8U);
    if (chance(rng, 0.7)) {
      cv::rectangle(canvas, cv::Rect(border, border, w + 2 * border, h + 2 * border), 255, border,
                    cv::LINE_AA);
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      put_line(canvas, fonts, font, lines[i], i == 0 ? cap * 1.1 : cap,
               {canvas.cols / 2.0, 2 * border + cap * 1.5 + line_h * static_cast<double>(i)}, rng);
    }
  }
  // Worn pad: the ink takes unevenly, with small gaps.
  cv::Mat wear = smooth_noise(canvas.size(), cvRound(px_per_mm * 1.5), 0.2, 1.3, rng);
  cv::Mat a;
  canvas.convertTo(a, CV_32F);
  a = a.mul(wear);
  a.convertTo(canvas, CV_8U);
  InkMark mark{canvas, cv::Point2d(canvas.cols / 2.0, canvas.rows / 2.0)};
  return transform_mark(mark, uniform(rng, -18, 18));
}

Sticker vignette_sticker(FontSet& fonts, const std::string& name, const std::string& ppv,
                         double px_per_mm, Rng& rng) {
  const int w = cvRound(px_per_mm * uniform(rng, 22, 28));
  const int h = cvRound(px_per_mm * uniform(rng, 13, 16));
  cv::Mat label(h, w, CV_8UC3, cv::Scalar::all(uniform(rng, 240, 252)));
  cv::rectangle(label, cv::Rect(0, 0, w, h), cv::Scalar::all(200), 1);
  const int bar_top = cvRound(px_per_mm * 1.2), bar_h = cvRound(h * 0.38);
  int x = cvRound(px_per_mm * 1.5);
  const double unit = px_per_mm * 0.22;
  while (x < w - px_per_mm * 2) {
    const int bar = cvRound(unit * uniform_int(rng, 1, 3));
    if (chance(rng, 0.55))
      cv::rectangle(label, cv::Rect(x, bar_top, bar, bar_h), cv::Scalar::all(20), -1);
    x += bar;
  }
  const size_t font = fonts.find("Bold");
  cv::Mat text = cv::Mat::zeros(h, w, CV_8U);
  put_line(text, fonts, font, name, px_per_mm * 1.3, {w / 2.0, bar_top + bar_h + px_per_mm * 2.6},
           rng);
  put_line(text, fonts, font, "PPV " + ppv + " DH", px_per_mm * 1.6,
           {w / 2.0, bar_top + bar_h + px_per_mm * 5.6}, rng);
  label.setTo(cv::Scalar::all(25), text > 100);
  Sticker s{label, cv::Mat(h, w, CV_8U, cv::Scalar(255))};
  rotate_patch(s.patch, s.mask, normal(rng, 0, 3));
  return s;
}

}  // namespace carescan::synth
