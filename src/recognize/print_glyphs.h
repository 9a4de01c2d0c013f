#pragma once
// Printed capitals and digits read by their shape: one glyph at a time, against reference
// glyphs rendered from typed fonts (models/print-glyphs.png, made by `carescan print-glyphs`).
//
// Tesseract reads a printed line well and a lone printed letter badly: the sheet number's series
// letter, the one letter before seven digits, came back as a digit (O as 0, Z as 2, I as 1) or
// as nothing. A glyph compared with the same letter in a few typefaces is read whatever stands
// beside it.

#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "recognize/recognizer.h"

namespace carescan::recognize {

class PrintGlyphs {
 public:
  // The reference sheet: one row per typeface, one 32x32 cell per class of classes(), in order.
  // Throws std::runtime_error when the file is missing or not such a sheet.
  explicit PrintGlyphs(const std::filesystem::path& png);
  // From reference cells already normalised (normalise()), `classes().size()` per typeface.
  explicit PrintGlyphs(const std::vector<cv::Mat>& cells);

  static const std::string& classes();  // "0-9A-Z"
  static constexpr int kCell = 32;

  // Where a glyph stands on its line, in the ink image's rows: the top of the capitals and their
  // height. A J and an I, an O and a Q differ most below the baseline, which a glyph scaled to its
  // own box would lose.
  struct Line {
    double cap_top = 0;
    double cap_height = 0;
  };

  // A glyph's ink (CV_8U, 0 = none, any size) as a reference cell: capitals 20 px high with their
  // top 4 px down, centred across; what reaches below the baseline stays below it.
  static cv::Mat normalise(const cv::Mat& ink, const Line& line);

  // What a glyph's shape says: the classes of `allowed` (empty: all), most likely first, each
  // with its probability among them (empty when the glyph has no ink), and how alike the glyph
  // is to its best reference of any class (normalised correlation, up to 1), so that a caller
  // can tell a typeface the references lack.
  struct Shapes {
    std::vector<Alternative> alternatives;
    double likeness = 0;
  };
  [[nodiscard]] Shapes classify(const cv::Mat& ink, const Line& line,
                                const std::string& allowed = {}) const;

 private:
  // How a glyph is placed in its cell beside the plain normalise(): stretched across by `width`,
  // moved down by `shift` cell pixels.
  struct Fit {
    double width = 1.0;
    double shift = 0.0;
  };
  static cv::Mat placed(const cv::Mat& ink, const Line& line, const Fit& fit);
  // Blurred, zero-mean, unit-norm cells, compared by their dot product.
  static cv::Mat comparable(const cv::Mat& cell);
  void add_reference(const cv::Mat& cell);  // the next cell of the sheet, row by row
  std::vector<double> scores(const cv::Mat& ink, const Line& line) const;  // best per class

  std::vector<std::pair<std::size_t, cv::Mat>> references_;  // class index, comparable cell
};

}  // namespace carescan::recognize
