#pragma once
// Reads every field of a registered care sheet: field map in, normalised values with confidence
// out.

#include <map>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/reading.h"
#include "extract/comb_decode.h"
#include "extract/fields.h"
#include "extract/ink.h"
#include "extract/settings.h"
#include "forms/template.h"
#include "recognize/print_glyphs.h"
#include "recognize/recognizer.h"

namespace carescan::extract {

// Fields by id and filled table rows; boxes are in pixels of the template frame.
struct Extraction {
  std::map<std::string, core::ReadField> fields;
  std::vector<core::ReadLine> lines;
};

// One crop exactly as the extractor hands it to a recogniser: for training data and inspection.
struct FieldCrop {
  std::string field;   // field id, or the table's id
  std::string column;  // table column as the field map names it; "" for a field
  int row = -1;        // table row (0-based); -1 for a field
  int cell = -1;       // comb cell (0-based); -1 for a free field or table cell
  recognize::Content content = recognize::Content::kAny;
  cv::Mat image;  // dark ink on white
};

// One per worker thread (it drives a Recognizer, which is not thread-safe). Keeps each form's
// printed mask once it has been computed.
class FieldExtractor {
 public:
  // `glyphs`, when given, reads the sheet number's series letter by its shape (printed.h).
  explicit FieldExtractor(recognize::Recognizer& recognizer, ExtractionSettings settings = {},
                          const recognize::PrintGlyphs* glyphs = nullptr);

  // `page`: grey, registered to `form` (its reference image's size).
  Extraction extract(const forms::FormTemplate& form, const cv::Mat& page);

  // Every inked comb cell and every inked free field and table cell of `page`, as `extract`
  // would hand them to the recogniser (blank ones left out).
  std::vector<FieldCrop> crops(const forms::FormTemplate& form, const cv::Mat& page);

 private:
  const cv::Mat& printed_of(const forms::FormTemplate& form);
  InkRegion free_ink(const cv::Mat& page, const cv::Mat& printed, const forms::BoxMm& box,
                     forms::FieldKind kind, const std::string& column_or_id) const;
  core::ReadField read_free(const cv::Mat& page, const cv::Mat& printed, const forms::BoxMm& box,
                            forms::FieldKind kind, const std::string& column_or_id);
  // The pre-printed serial number, read off the page with its known shape.
  core::ReadField read_printed(const cv::Mat& page, const forms::BoxMm& box, const TextRule& rule);
  // The comb's cells through a character classifier, decoded by the field's grammar.
  CombReading classify_comb(const cv::Mat& page, const cv::Mat& printed,
                            const std::vector<cv::Rect>& cells, const forms::FieldSpec& spec,
                            const CombRule& rule, const DecodeLimits& limits);
  // Whether the line recogniser, reading the comb's written cells side by side under `request`
  // (the field's own rule), reads them as `cells`, or with `close_second` holds that reading
  // within kCloseSecondLogOdds of its favourite. False when there is no ink.
  bool line_supports(const CombInk& ink, const recognize::FieldRequest& request,
                     const std::string& cells, bool close_second);
  // `lines`: the table rows already read (the signature date is expected after the care).
  core::ReadField read_comb_field(const cv::Mat& page, const cv::Mat& printed,
                                  const forms::FieldSpec& spec,
                                  const std::vector<core::ReadLine>& lines);
  core::ReadField read_signature(const cv::Mat& page, const cv::Mat& printed,
                                 const forms::BoxMm& box);
  // Tick boxes read together (a group, or one box alone), in the order of `specs`. `exclusive`:
  // the boxes are a choice of one (the template's group: sex, the ALD relation).
  std::vector<core::ReadField> read_ticks(const cv::Mat& page, const cv::Mat& printed,
                                          const std::vector<const forms::FieldSpec*>& specs,
                                          bool exclusive);
  recognize::Recognition cross_checked(const recognize::Recognition& first, const cv::Mat& image,
                                       const TextRule& rule, recognize::Content content);
  void read_tables(const cv::Mat& page, const cv::Mat& printed, const forms::FieldSpec& table,
                   Extraction& out);
  // Where a section's rows do not add up to its total, asks the line recogniser how likely each
  // amount's ink is to read as the value the others imply, and adds that reading to the field's
  // others for mend_sums to weigh: a misread amount's truth is often one the beam never held.
  void weigh_implied_amounts(const forms::FormTemplate& form, const cv::Mat& page,
                             const cv::Mat& printed, Extraction& out);
  // A care date read outside the signature window before the signature date (a year read 2022
  // for 2026, a month 01 for 09) is re-read with every date of that window weighed: the
  // likeliest of them replaces it, marked mended, when the ink makes it nearly as likely as the
  // reading.
  void weigh_care_dates(const forms::FormTemplate& form, const cv::Mat& page,
                        const cv::Mat& printed, Extraction& out);
  // Re-reads a free field's ink with `proposed` weighed (Recognizer::recognize_weighing); none
  // when the box is blank.
  std::optional<recognize::Recognition> reweigh(const cv::Mat& page, const cv::Mat& printed,
                                                const forms::BoxMm& box, forms::FieldKind kind,
                                                const std::string& column_or_id,
                                                const std::vector<std::string>& proposed);
  // Re-reads a free amount field with `proposed` weighed, and adds what it finds to its others.
  void weigh_others(const cv::Mat& page, const cv::Mat& printed, const forms::BoxMm& box,
                    forms::FieldKind kind, const std::string& column_or_id,
                    const std::vector<std::string>& proposed, core::ReadField& field);

  recognize::Recognizer& recognizer_;
  ExtractionSettings settings_;
  const recognize::PrintGlyphs* glyphs_;
  std::map<std::string, cv::Mat> printed_;  // by form name
};

// A template box in pixels of the template frame (300 dpi reference image).
cv::Rect to_pixels(const forms::BoxMm& box, double dpi);

}  // namespace carescan::extract
