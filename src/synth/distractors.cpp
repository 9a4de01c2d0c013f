#include "synth/distractors.h"

#include <opencv2/imgproc.hpp>
#include <sstream>

#include "synth/field_writing.h"
#include "synth/handwriting.h"

namespace carescan::synth {
namespace {

constexpr double kA4WidthMm = 210, kA4HeightMm = 297;

cv::Mat paper(Rng& rng) {
  const cv::Size size(cvRound(kA4WidthMm * kPxPerMm), cvRound(kA4HeightMm * kPxPerMm));
  return cv::Mat(size, CV_8UC3, cv::Scalar::all(uniform(rng, 247, 255)));
}

const Ink kToner{cv::Scalar::all(10), 1.0, 0.05};

// Typed text at `x_mm`, baseline `y_mm`; returns the width written, in mm.
double type_at(cv::Mat& page, FontSet& print, size_t font, double cap_mm, const std::string& text,
               double x_mm, double y_mm, Rng& rng) {
  const InkMark mark = write_text(print, print_hand(font, cap_mm, kToner), text, kPxPerMm, rng);
  lay_ink_at_anchor(page, mark, {x_mm * kPxPerMm, y_mm * kPxPerMm}, kToner, rng);
  return mark.alpha.cols / kPxPerMm;
}

// Greedy word wrap by measured advances.
std::vector<std::string> wrap(FontSet& print, size_t font, int pixel_size, const std::string& text,
                              double width_px) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word, line;
  double line_w = 0;
  const double space = print.glyph(font, pixel_size, U' ').advance;
  while (words >> word) {
    double w = 0;
    for (char32_t c : decode_utf8(word)) w += print.glyph(font, pixel_size, c).advance;
    if (!line.empty() && line_w + space + w > width_px) {
      lines.push_back(line);
      line.clear();
      line_w = 0;
    }
    line += (line.empty() ? "" : " ") + word;
    line_w += (line_w > 0 ? space : 0) + w;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

cv::Mat letter(const Vocabulary& v, FontKit fonts, Rng& rng) {
  cv::Mat page = paper(rng);
  const size_t font =
      static_cast<size_t>(uniform_int(rng, 0, static_cast<int>(fonts.print.size()) - 1));
  const size_t bold = fonts.print.find("Bold");
  const double cap = uniform(rng, 2.2, 2.7);
  double y = uniform(rng, 25, 35);
  type_at(page, fonts.print, bold, 3.0, "UNIVERSITE " + pick(rng, v.cities), 20, y, rng);
  type_at(page, fonts.print, font, cap, "Service des affaires estudiantines", 20, y + 7, rng);
  type_at(page, fonts.print, font, cap,
          pick(rng, v.cities) + ", le " + std::to_string(uniform_int(rng, 1, 28)) + "/" +
              std::to_string(uniform_int(rng, 1, 12)) + "/20" +
              std::to_string(uniform_int(rng, 24, 26)),
          120, y + 25, rng);
  type_at(page, fonts.print, bold, cap, "Objet : dossier de remboursement", 20, y + 45, rng);
  y += 60;
  const int pixel_size = cvRound(cap * kPxPerMm / fonts.print.cap_ratio(font));
  const int paragraphs = uniform_int(rng, 3, 5);
  for (int p = 0; p < paragraphs && y < 250; ++p) {
    for (const auto& line :
         wrap(fonts.print, font, pixel_size, pick(rng, v.letter_paragraphs), 170 * kPxPerMm)) {
      type_at(page, fonts.print, font, cap, line, 20, y, rng);
      y += cap * 2.2;
    }
    y += cap * 2;
  }
  sign_in(page, random_hand(rng, fonts.hands.size()), box_px(120, y + 5, 50, 18), rng);
  return page;
}

cv::Mat unrelated_form(const Vocabulary& v, FontKit fonts, Rng& rng) {
  cv::Mat page = paper(rng);
  const UnrelatedFormSpec& spec = pick(rng, v.unrelated_forms);
  const size_t font = fonts.print.find("DejaVuSans.ttf");
  const size_t bold = fonts.print.find("Bold");
  type_at(page, fonts.print, bold, 5, spec.title, uniform(rng, 40, 70), 35, rng);
  const int line = cvRound(kPxPerMm * 0.35);
  cv::rectangle(page, box_px(15, 45, 180, 6 + 14.0 * spec.labels.size()), cv::Scalar::all(20),
                line);
  const Hand hand = random_hand(rng, fonts.hands.size());
  double y = 55;
  for (const auto& label : spec.labels) {
    type_at(page, fonts.print, font, 2.5, label + " :", 20, y + 4, rng);
    const bool boxes = chance(rng, 0.4);
    if (boxes) {
      for (int c = 0; c < 16; ++c) {
        cv::rectangle(page, box_px(75 + c * 6.0, y - 2, 6, 8), cv::Scalar::all(20), line);
      }
    } else {
      cv::line(page, cv::Point(cvRound(75 * kPxPerMm), cvRound((y + 5) * kPxPerMm)),
               cv::Point(cvRound(190 * kPxPerMm), cvRound((y + 5) * kPxPerMm)), cv::Scalar::all(60),
               std::max(1, line / 2));
    }
    if (!boxes && chance(rng, 0.6)) {
      write_on_line(page, fonts.hands, hand, pick(rng, v.last_names), box_px(75, y - 3, 110, 9),
                    {8, 0}, rng);
    }
    y += 14;
  }
  // A grid at the bottom, as order forms and timetables have.
  const double top = y + 10;
  for (int r = 0; r <= 6; ++r) {
    cv::line(page, cv::Point(cvRound(15 * kPxPerMm), cvRound((top + r * 9) * kPxPerMm)),
             cv::Point(cvRound(195 * kPxPerMm), cvRound((top + r * 9) * kPxPerMm)),
             cv::Scalar::all(20), line);
  }
  for (double x : {15.0, 60.0, 120.0, 160.0, 195.0}) {
    cv::line(page, cv::Point(cvRound(x * kPxPerMm), cvRound(top * kPxPerMm)),
             cv::Point(cvRound(x * kPxPerMm), cvRound((top + 54) * kPxPerMm)), cv::Scalar::all(20),
             line);
  }
  return page;
}

cv::Mat blank(Rng& rng) {
  cv::Mat page = paper(rng);
  // A few specks of dust or toner, the only thing a blank page carries before capture.
  const int specks = uniform_int(rng, 0, 12);
  for (int i = 0; i < specks; ++i) {
    cv::circle(page,
               cv::Point(uniform_int(rng, 0, page.cols - 1), uniform_int(rng, 0, page.rows - 1)),
               uniform_int(rng, 1, 3), cv::Scalar::all(uniform(rng, 90, 200)), -1, cv::LINE_AA);
  }
  return page;
}

}  // namespace

cv::Mat distractor_page(const std::string& kind, const Vocabulary& v, FontKit fonts, Rng& rng) {
  if (kind == "letter") return letter(v, fonts, rng);
  if (kind == "unrelated_form") return unrelated_form(v, fonts, rng);
  return blank(rng);
}

}  // namespace carescan::synth
