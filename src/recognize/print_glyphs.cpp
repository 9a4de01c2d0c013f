#include "recognize/print_glyphs.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/core/matx.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace carescan::recognize {
namespace {

constexpr double kCapHeight = 20;
constexpr double kCapTop = 4;
constexpr int kFaintInk = 127;
constexpr std::array<double, 3> kWidths = {0.85, 1.0, 1.15};
constexpr std::array<double, 5> kShifts = {-2, -1, 0, 1, 2};  // cell pixels
// Blur before comparing: the references are crisp, a photo's or a fax's glyph is not, and a
// stroke one pixel off its reference should still count.
constexpr double kBlurSigma = 1.2;
// Correlations of a clear glyph with its own letter and the likeliest other lie some 0.03-0.1
// apart (O and D, I and J): this spread turns that gap into 95-99.99 %.
constexpr double kTemperature = 0.01;

}  // namespace

const std::string& PrintGlyphs::classes() {
  static const std::string kClasses = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return kClasses;
}

cv::Mat PrintGlyphs::normalise(const cv::Mat& ink, const Line& line) {
  return placed(ink, line, {1.0, 0.0});
}

cv::Mat PrintGlyphs::placed(const cv::Mat& ink, const Line& line, const Fit& fit) {
  cv::Mat out = cv::Mat::zeros(kCell, kCell, CV_8U);
  if (ink.empty() || line.cap_height < 2) return out;
  // Faint pixels (a glyph's blurred halo, a rendering's anti-aliased edge) do not set its width.
  const cv::Rect box = cv::boundingRect(ink > kFaintInk);
  if (box.empty()) return out;
  const double scale = kCapHeight / line.cap_height;
  cv::Mat source = ink;
  if (scale < 0.8) {
    source = cv::Mat();                                  // a new buffer: `ink` is the caller's
    cv::GaussianBlur(ink, source, {0, 0}, 0.4 / scale);  // no aliasing
  }
  const double centre = box.x + box.width / 2.0;
  const double across = scale * fit.width;
  const cv::Matx23d to_cell(across, 0, kCell / 2.0 - across * centre, 0, scale,
                            kCapTop + fit.shift - scale * line.cap_top);
  cv::warpAffine(source, out, to_cell, out.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  return out;
}

cv::Mat PrintGlyphs::comparable(const cv::Mat& cell) {
  cv::Mat f;
  cell.convertTo(f, CV_32F, 1.0 / 255);
  cv::GaussianBlur(f, f, {0, 0}, kBlurSigma);
  f -= cv::mean(f)[0];
  const double norm = cv::norm(f);
  if (norm > 1e-6) f /= norm;
  return f;
}

PrintGlyphs::PrintGlyphs(const std::vector<cv::Mat>& cells) {
  if (cells.empty() || cells.size() % classes().size() != 0) {
    throw std::runtime_error("print glyphs: need whole rows of " +
                             std::to_string(classes().size()) + " reference cells");
  }
  for (const auto& cell : cells) add_reference(cell);
}

PrintGlyphs::PrintGlyphs(const std::filesystem::path& png) {
  const cv::Mat sheet = cv::imread(png.string(), cv::IMREAD_GRAYSCALE);
  const int columns = static_cast<int>(classes().size());
  if (sheet.empty() || sheet.cols != columns * kCell || sheet.rows % kCell != 0 ||
      sheet.rows == 0) {
    throw std::runtime_error("print glyphs " + png.string() + " is not a sheet of " +
                             std::to_string(columns) + " 32-px cells a row");
  }
  for (int y = 0; y < sheet.rows; y += kCell) {
    for (int x = 0; x < sheet.cols; x += kCell) {
      add_reference(sheet(cv::Rect(x, y, kCell, kCell)));
    }
  }
}

void PrintGlyphs::add_reference(const cv::Mat& cell) {
  references_.emplace_back(references_.size() % classes().size(), comparable(cell));
}

std::vector<double> PrintGlyphs::scores(const cv::Mat& ink, const Line& line) const {
  std::vector<double> best(classes().size(), -1.0);
  if (cv::countNonZero(ink) == 0) return {};
  // A capture's glyph is rarely set quite like the reference: a little narrower or wider (a
  // squeezed copy, another face), a pixel or two off the line (a tilted or bowed line, an O's
  // overshoot). Each reference is compared with the glyph placed the way that fits it best.
  for (const double width : kWidths) {
    for (const double shift : kShifts) {
      const cv::Mat query = comparable(placed(ink, line, {width, shift}));
      for (const auto& [c, reference] : references_) {
        double& b = best[c];
        b = std::max(b, query.dot(reference));
      }
    }
  }
  return best;
}

PrintGlyphs::Shapes PrintGlyphs::classify(const cv::Mat& ink, const Line& line,
                                          const std::string& allowed) const {
  Shapes out;
  const auto s = scores(ink, line);
  if (s.empty()) return out;
  out.likeness = *std::max_element(s.begin(), s.end());
  double top = -1.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (allowed.empty() || allowed.find(classes()[i]) != std::string::npos) {
      top = std::max(top, s[i]);
    }
  }
  double sum = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!allowed.empty() && allowed.find(classes()[i]) == std::string::npos) continue;
    const double weight = std::exp((s[i] - top) / kTemperature);
    out.alternatives.push_back({std::string(1, classes()[i]), weight});
    sum += weight;
  }
  for (auto& a : out.alternatives) a.probability /= sum;
  std::stable_sort(
      out.alternatives.begin(), out.alternatives.end(),
      [](const Alternative& a, const Alternative& b) { return a.probability > b.probability; });
  return out;
}

}  // namespace carescan::recognize
