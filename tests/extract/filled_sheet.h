#pragma once
// Test sheets: a form's blank reference image with values written into its field boxes.

#include <memory>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

#include "extract/extractor.h"
#include "forms/template_loader.h"

namespace carescan::testing {

inline std::filesystem::path source_root() {
  return CARESCAN_SOURCE_ROOT;
}

inline forms::FormTemplate load_form(const std::string& name) {
  return forms::load_template(source_root() / "config/forms" / (name + ".fields.json"));
}

// Writes with one of the handwriting fonts the sample generator may use (domain/fonts.md).
class SheetWriter {
 public:
  explicit SheetWriter(
      const forms::FormTemplate& form,
      const std::string& font = "/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf")
      : form_(form), font_(cv::freetype::createFreeType2()) {
    // FreeType draws on colour images only.
    page_ = cv::imread(form.image.string(), cv::IMREAD_COLOR);
    font_->loadFontData(font, 0);
  }

  // Text left-aligned in the box, baseline a little above its bottom.
  void write(const forms::BoxMm& box, const std::string& text, int height_px = 55) {
    const cv::Rect r = extract::to_pixels(box, 300);
    font_->putText(page_, text, {r.x + 10, r.y + r.height - 14}, height_px, cv::Scalar(20, 20, 20),
                   -1, cv::LINE_AA, true);
  }
  void write(const std::string& field_id, const std::string& text, int height_px = 55) {
    write(form_.field(field_id)->box, text, height_px);
  }
  // One character per comb cell, centred; a space leaves the cell blank.
  void write_comb(const std::string& field_id, const std::string& text) {
    const auto& cells = form_.field(field_id)->cells;
    for (std::size_t i = 0; i < text.size() && i < cells.size(); ++i) {
      if (text[i] == ' ') continue;
      const cv::Rect r = extract::to_pixels(cells[i], 300);
      font_->putText(page_, std::string(1, text[i]), {r.x + r.width / 4, r.y + r.height - 14}, 52,
                     cv::Scalar(20, 20, 20), -1, cv::LINE_AA, true);
    }
  }
  void tick(const std::string& field_id) {
    const cv::Rect r = extract::to_pixels(form_.field(field_id)->box, 300);
    cv::line(page_, r.tl(), r.br(), cv::Scalar(20, 20, 20), 4);
    cv::line(page_, {r.x, r.y + r.height}, {r.x + r.width, r.y}, cv::Scalar(20, 20, 20), 4);
  }
  void sign(const std::string& field_id) {
    const cv::Rect r = extract::to_pixels(form_.field(field_id)->box, 300);
    std::vector<cv::Point> stroke;
    for (int x = 0; x < r.width * 2 / 3; x += 4) {
      stroke.emplace_back(r.x + 40 + x,
                          r.y + r.height / 2 + static_cast<int>(25 * std::sin(x / 15.0)));
    }
    cv::polylines(page_, stroke, false, cv::Scalar(20, 20, 20), 4, cv::LINE_AA);
  }
  // Replaces the printed serial number as the printer does, in DejaVu Sans Bold.
  void print_serial(const std::string& serial) {
    const cv::Rect r = extract::to_pixels(form_.field("sheet_number")->box, 300);
    cv::rectangle(page_, r, cv::Scalar(255, 255, 255), cv::FILLED);
    auto dejavu = cv::freetype::createFreeType2();
    dejavu->loadFontData("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0);
    const int width = dejavu->getTextSize(serial, 48, -1, nullptr).width;
    dejavu->putText(page_, serial, {r.x + r.width - width - 6, r.y + r.height - 10}, 48,
                    cv::Scalar(0, 0, 0), -1, cv::LINE_AA, true);
  }

  cv::Mat page() const {
    cv::Mat grey;
    cv::cvtColor(page_, grey, cv::COLOR_BGR2GRAY);
    return grey;
  }

 private:
  const forms::FormTemplate& form_;
  cv::Ptr<cv::freetype::FreeType2> font_;
  cv::Mat page_;
};

}  // namespace carescan::testing
