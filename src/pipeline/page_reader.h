#pragma once
// Runs one decoded page through the reader: prepare, classify, register, extract.

#include <memory>

#include "core/config.h"
#include "core/page.h"
#include "core/reading.h"
#include "extract/calibration.h"
#include "extract/extractor.h"
#include "forms/match.h"
#include "preprocess/prepare.h"
#include "recognize/comb_model.h"
#include "recognize/ctc_decode.h"
#include "recognize/line_model.h"
#include "recognize/print_glyphs.h"
#include "recognize/routing_recognizer.h"
#include "recognize/tesseract_recognizer.h"

namespace carescan::pipeline {

// Where one page's time went, in seconds of the reading thread's CPU time (the machine is shared:
// wall time varies with the load, CPU time much less). `extract` excludes the recognisers' time,
// which `recognize` holds, split by engine in `tesseract` and `line_model` (the comb model's
// share is the rest).
struct StageTimes {
  double prepare = 0;
  double classify = 0;
  double register_page = 0;
  double extract = 0;
  double recognize = 0;
  double tesseract = 0;
  double line_model = 0;
  [[nodiscard]] double total() const {
    return prepare + classify + register_page + extract + recognize;
  }
};

// Seconds of CPU time used by the calling thread so far.
double thread_cpu_seconds();

// A Recognizer that passes every request on and adds the thread CPU time it took to `spent`.
class TimedRecognizer final : public recognize::Recognizer {
 public:
  explicit TimedRecognizer(recognize::Recognizer& inner) : inner_(inner) {}
  recognize::Recognition recognize(const cv::Mat& crop,
                                   const recognize::FieldRequest& request) override;
  recognize::Recognition recognize_weighing(const cv::Mat& crop,
                                            const recognize::FieldRequest& request,
                                            const std::vector<std::string>& proposed) override;
  std::vector<recognize::Recognition> recognize_all(
      const std::vector<cv::Mat>& crops, const recognize::FieldRequest& request) override;
  [[nodiscard]] bool reads_alike_at_any_scale(const recognize::FieldRequest& request) override {
    return inner_.reads_alike_at_any_scale(request);
  }
  double spent = 0;

 private:
  recognize::Recognizer& inner_;
};

// One per worker thread: owns its Tesseract instance (slow to start, so reused across pages) and
// its handwriting models, behind a router that sends each request to the engine that reads it
// best; not thread-safe. The matcher is shared and must outlive the reader.
class PageReader {
 public:
  PageReader(const core::Config& config, const forms::FormMatcher& matcher);

  // Never throws for a bad page: a page that is not a care sheet gets a reject_reason, one that
  // cannot be registered a low registration_quality and low confidences.
  // `times`, when given, receives where the page's time went.
  core::PageReading read(const core::Page& page, StageTimes* times = nullptr);

  // The crops `read` would hand to the recogniser, for a page that registers to a care sheet;
  // none otherwise. `form_type` gets the sheet's form ("" when it is not one). May throw.
  std::vector<extract::FieldCrop> crops(const core::Page& page, std::string& form_type);

 private:
  // The stages of `read`; may throw. Fills `spent`'s prepare, classify and register times.
  void read_stages(const core::Page& page, core::PageReading& out, StageTimes& spent);
  // The page measured, its layout classified and aligned with its template. A page that does
  // not register well (below kSureRegistration) is tried by its other framings (a photo's other
  // candidate outlines, none, the outline of a sheet cut by the photo's frame): a side cut
  // through the paper by a shadow's edge leaves the printed layout cut, yet it can pass for
  // another form. The first framing that registers well wins; failing that, the best registered.
  // Adds the time taken to `spent`'s prepare, classify and register times.
  std::pair<preprocess::PreparedPage, forms::MatchResult> measure_and_align(
      const core::Page& page, StageTimes& spent) const;
  // Resamples the aligned page into its template's frame, cleaned (`match.registered.image`).
  void resample(const preprocess::PreparedPage& prepared, forms::MatchResult& match) const;

  const forms::FormMatcher& matcher_;
  recognize::TesseractRecognizer tesseract_;
  std::unique_ptr<recognize::CombModel> comb_model_;  // null: comb cells read by Tesseract
  // null: the sheet number's series letter is read by Tesseract
  std::unique_ptr<recognize::PrintGlyphs> print_glyphs_;
  recognize::WordPrior name_prior_;                             // empty: no prior
  recognize::WordPrior place_prior_;                            // empty: no prior
  recognize::WordPrior care_prior_;                             // empty: no prior
  std::unique_ptr<recognize::LineModelRecognizer> line_model_;  // null: lines by Tesseract
  // Each engine behind a stopwatch: a few hundred calls per page, each far longer than the
  // clock reading itself.
  TimedRecognizer timed_tesseract_;
  std::unique_ptr<TimedRecognizer> timed_line_model_;
  recognize::RoutingRecognizer router_;
  TimedRecognizer recognizer_;
  extract::FieldExtractor extractor_;
  extract::Calibration calibration_;
};

}  // namespace carescan::pipeline
