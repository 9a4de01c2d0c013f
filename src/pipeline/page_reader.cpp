#include "pipeline/page_reader.h"

#include <time.h>

#include <algorithm>
#include <exception>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <tuple>
#include <vector>

#include "forms/classify.h"
#include "preprocess/prepare.h"
#include "preprocess/warp.h"

namespace carescan::pipeline {
namespace {

// Confidence ceiling for anything read from a page whose registration failed: its values are
// shown to a reviewer, never trusted.
constexpr double kUnregisteredCeiling = 0.2;
// A framing of the page (a photo's outline, none, the outline past the photo's frame) whose page
// registers at least this well is kept, and the others are not tried. Correctly framed pages of
// every capture register at 0.86 or more (seed 778: photos 0.92 and more); a side cut through the
// paper leaves the layout cut, and registration still passes its own bar (0.6) at 0.65.
constexpr double kSureRegistration = 0.9;

// Template pixels -> decoded-page pixels, through the prepared page.
core::PixelBox to_page(const core::PixelBox& box, const forms::RegisteredPage& registered,
                       const cv::Mat& original_from_prepared, bool upright) {
  std::vector<cv::Point2d> corners = {{box.x, box.y},
                                      {box.x + box.w, box.y},
                                      {box.x, box.y + box.h},
                                      {box.x + box.w, box.y + box.h}};
  for (auto& corner : corners) corner = registered.bend.apply(corner);
  if (!registered.page_from_template.empty()) {
    cv::perspectiveTransform(corners, corners, registered.page_from_template);
  }
  // The prepared page's frame only matches the decoded image when no turn was needed.
  if (upright && !original_from_prepared.empty()) {
    cv::perspectiveTransform(corners, corners, original_from_prepared);
  }
  double x0 = corners[0].x, y0 = corners[0].y, x1 = x0, y1 = y0;
  for (const auto& p : corners) {
    x0 = std::min(x0, p.x);
    y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x);
    y1 = std::max(y1, p.y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

void place_boxes(core::ReadField& field, const forms::RegisteredPage& registered,
                 const preprocess::PreparedPage& prepared, bool upright) {
  if (field.box) {
    field.box = to_page(*field.box, registered, prepared.original_from_prepared, upright);
  }
}

std::unique_ptr<recognize::CombModel> comb_model_of(const core::ReaderConfig& reader) {
  if (!reader.handwriting_model || reader.comb_model.empty()) return nullptr;
  return std::make_unique<recognize::CombModel>(reader.comb_model);
}

std::unique_ptr<recognize::PrintGlyphs> print_glyphs_of(const core::ReaderConfig& reader) {
  if (!reader.handwriting_model || reader.print_glyphs.empty()) return nullptr;
  return std::make_unique<recognize::PrintGlyphs>(reader.print_glyphs);
}

recognize::WordPrior prior_of(const core::ReaderConfig& reader, const std::filesystem::path& path,
                              double bonus, std::size_t complete_below = 0) {
  if (!reader.handwriting_model || path.empty()) return {};
  auto prior = recognize::load_word_prior(path.string());
  prior.bonus_per_word = bonus;
  prior.complete_below = complete_below;
  return prior;
}

// The name list holds every name word under three letters (EL, ES).
constexpr std::size_t kNameWordsCompleteBelow = 3;

std::unique_ptr<recognize::LineModelRecognizer> line_model_of(const core::ReaderConfig& reader,
                                                              const recognize::WordPrior& names,
                                                              const recognize::WordPrior& places,
                                                              const recognize::WordPrior& care) {
  if (!reader.handwriting_model || reader.line_model.empty()) return nullptr;
  // An empty list (none configured) is no list to the recogniser (LineModelRecognizer::prior_for).
  return std::make_unique<recognize::LineModelRecognizer>(reader.line_model, &names, &places, &care,
                                                          reader.name_model, reader.cin_model);
}

extract::ExtractionSettings settings_for(const core::ReaderConfig& reader,
                                         const recognize::CombModel* comb) {
  extract::ExtractionSettings settings = reader.extraction;
  settings.cell_classifier = comb != nullptr;
  return settings;
}

// Adds the thread's CPU time since the last stop (or its start) to a stage's total.
class Lap {
 public:
  void to(double& stage) {
    const double now = thread_cpu_seconds();
    stage += now - last_;
    last_ = now;
  }

 private:
  double last_ = thread_cpu_seconds();
};

std::unique_ptr<TimedRecognizer> timed(recognize::Recognizer* inner) {
  return inner == nullptr ? nullptr : std::make_unique<TimedRecognizer>(*inner);
}

}  // namespace

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

recognize::Recognition TimedRecognizer::recognize(const cv::Mat& crop,
                                                  const recognize::FieldRequest& request) {
  const double start = thread_cpu_seconds();
  auto out = inner_.recognize(crop, request);
  spent += thread_cpu_seconds() - start;
  return out;
}

recognize::Recognition TimedRecognizer::recognize_weighing(
    const cv::Mat& crop, const recognize::FieldRequest& request,
    const std::vector<std::string>& proposed) {
  const double start = thread_cpu_seconds();
  auto out = inner_.recognize_weighing(crop, request, proposed);
  spent += thread_cpu_seconds() - start;
  return out;
}

std::vector<recognize::Recognition> TimedRecognizer::recognize_all(
    const std::vector<cv::Mat>& crops, const recognize::FieldRequest& request) {
  const double start = thread_cpu_seconds();
  auto out = inner_.recognize_all(crops, request);
  spent += thread_cpu_seconds() - start;
  return out;
}

PageReader::PageReader(const core::Config& config, const forms::FormMatcher& matcher)
    : matcher_(matcher),
      tesseract_(config.reader.tessdata_dir),
      comb_model_(comb_model_of(config.reader)),
      print_glyphs_(print_glyphs_of(config.reader)),
      name_prior_(prior_of(config.reader, config.reader.name_prior, config.reader.name_prior_bonus,
                           kNameWordsCompleteBelow)),
      place_prior_(
          prior_of(config.reader, config.reader.place_prior, config.reader.place_prior_bonus)),
      care_prior_(
          prior_of(config.reader, config.reader.care_prior, config.reader.care_prior_bonus)),
      line_model_(line_model_of(config.reader, name_prior_, place_prior_, care_prior_)),
      timed_tesseract_(tesseract_),
      timed_line_model_(timed(line_model_.get())),
      router_(timed_tesseract_, comb_model_.get(), timed_line_model_.get()),
      recognizer_(router_),
      extractor_(recognizer_, settings_for(config.reader, comb_model_.get()), print_glyphs_.get()),
      calibration_(config.reader.calibration.empty()
                       ? extract::Calibration{}
                       : extract::Calibration::load(config.reader.calibration)) {}

void PageReader::resample(const preprocess::PreparedPage& prepared,
                          forms::MatchResult& match) const {
  forms::RegisteredPage& registered = match.registered;
  if (registered.form == nullptr || registered.page_from_template.empty()) return;
  // One resampling, from the decoded page straight into the template's frame: turning, deskewing
  // or rectifying the full page first would cost a second one, and blur it twice.
  const cv::Mat source_from_template =
      prepared.original_from_prepared *
      forms::unrotation(match.classification.rotation_degrees, prepared.size) *
      registered.page_from_template;
  // A copier's or scanner's streaks run down the decoded image, darker than the ink threshold
  // where they are deepest: in a comb cell such a band read as a stroke beside the character
  // (most of the CINs misread on copies). Evened out here, before the page is turned.
  const cv::Mat source = prepared.perspective_corrected
                             ? prepared.source
                             : preprocess::even_out_streaks(prepared.source, prepared.dpi_estimate);
  const cv::Size frame = matcher_.template_size(*registered.form);
  const forms::Bend& bend = registered.bend;
  const cv::Mat warped = bend.empty()
                             ? preprocess::warp_into(source, source_from_template, frame)
                             : preprocess::warp_through(
                                   source,
                                   [&](cv::Point2d p) {
                                     const cv::Point2d q = bend.apply(p);
                                     const double* h = source_from_template.ptr<double>();
                                     const double w = h[6] * q.x + h[7] * q.y + h[8];
                                     return cv::Point2d((h[0] * q.x + h[1] * q.y + h[2]) / w,
                                                        (h[3] * q.x + h[4] * q.y + h[5]) / w);
                                   },
                                   frame);
  registered.image = preprocess::clean_page(warped, registered.form->dpi);
}

std::pair<preprocess::PreparedPage, forms::MatchResult> PageReader::measure_and_align(
    const core::Page& page, StageTimes& spent) const {
  Lap lap;
  // The best try so far: aligned before merely classified, then by registration quality; the
  // very first try when none shows a care sheet.
  std::optional<std::pair<preprocess::PreparedPage, forms::MatchResult>> best;
  auto rank = [](const forms::MatchResult& m) {
    return std::tuple(m.registered.ok, !m.classification.form.empty(), m.registered.quality);
  };
  std::size_t framings = 1;
  for (std::size_t choice = 0; choice < framings; ++choice) {
    preprocess::PreparedPage prepared = preprocess::measure_page(page, choice);
    framings = prepared.framings;
    lap.to(spent.prepare);
    const forms::PageLayout layout = matcher_.classify(prepared.reduced);
    lap.to(spent.classify);
    forms::MatchResult match = matcher_.align(layout, prepared.size);
    lap.to(spent.register_page);
    if (match.registered.quality >= kSureRegistration) {
      return {std::move(prepared), std::move(match)};
    }
    if (!best || rank(match) > rank(best->second))
      best.emplace(std::move(prepared), std::move(match));
  }
  return std::move(*best);
}

std::vector<extract::FieldCrop> PageReader::crops(const core::Page& page, std::string& form_type) {
  StageTimes ignored;
  auto [prepared, match] = measure_and_align(page, ignored);
  resample(prepared, match);
  form_type = match.classification.form;
  const forms::RegisteredPage& registered = match.registered;
  if (form_type.empty() || !registered.ok || registered.form == nullptr ||
      registered.image.empty()) {
    return {};
  }
  return extractor_.crops(*registered.form, registered.image);
}

core::PageReading PageReader::read(const core::Page& page, StageTimes* times) {
  core::PageReading out;
  StageTimes spent;
  const double start = thread_cpu_seconds();
  const double recognize_before = recognizer_.spent;
  const double tesseract_before = timed_tesseract_.spent;
  const double line_before = timed_line_model_ ? timed_line_model_->spent : 0.0;
  try {
    read_stages(page, out, spent);
  } catch (const std::exception& e) {
    // A page the reader chokes on goes to a person with the reason, never takes the batch down.
    out.fields.clear();
    out.lines.clear();
    out.registration_quality = 0;
    out.reject_reason = std::string("page could not be read: ") + e.what();
    out.read_failed = true;
  }
  if (times != nullptr) {
    spent.recognize = recognizer_.spent - recognize_before;
    spent.tesseract = timed_tesseract_.spent - tesseract_before;
    spent.line_model = timed_line_model_ ? timed_line_model_->spent - line_before : 0.0;
    // What no other stage took (placing boxes, calibration, a failure's clean-up) is extraction's.
    spent.extract = std::max(0.0, thread_cpu_seconds() - start - spent.prepare - spent.classify -
                                      spent.register_page - spent.recognize);
    *times = spent;
  }
  return out;
}

void PageReader::read_stages(const core::Page& page, core::PageReading& out, StageTimes& spent) {
  auto [prepared, match] = measure_and_align(page, spent);
  Lap lap;
  resample(prepared, match);
  lap.to(spent.register_page);
  out.form_type = match.classification.form;
  out.form_confidence = match.classification.confidence;
  out.rotation_degrees = match.classification.rotation_degrees;
  if (out.form_type.empty()) {
    out.reject_reason =
        match.classification.reason.empty() ? "not a care sheet" : match.classification.reason;
    return;
  }
  const forms::RegisteredPage& registered = match.registered;
  out.registration_quality = registered.ok ? registered.quality : 0.0;
  if (registered.form == nullptr || registered.image.empty()) {
    // Nothing to read from: the claim builder reports every field as unread.
    return;
  }
  extract::Extraction extraction = extractor_.extract(*registered.form, registered.image);
  const bool upright = out.rotation_degrees == 0;
  for (auto& [id, field] : extraction.fields) {
    place_boxes(field, registered, prepared, upright);
    if (!registered.ok) field.confidence = std::min(field.confidence, kUnregisteredCeiling);
  }
  for (auto& line : extraction.lines) {
    for (auto& [column, cell] : line.cells) {
      place_boxes(cell, registered, prepared, upright);
      if (!registered.ok) cell.confidence = std::min(cell.confidence, kUnregisteredCeiling);
    }
  }
  out.fields = std::move(extraction.fields);
  out.lines = std::move(extraction.lines);
  calibration_.apply(out);
}

}  // namespace carescan::pipeline
