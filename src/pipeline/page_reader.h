#pragma once
// Runs one decoded page through the reader: prepare, classify, register, extract.

#include <memory>

#include "core/config.h"
#include "core/page.h"
#include "core/reading.h"
#include "extract/calibration.h"
#include "extract/extractor.h"
#include "forms/match.h"
#include "recognize/comb_model.h"
#include "recognize/ctc_decode.h"
#include "recognize/line_model.h"
#include "recognize/routing_recognizer.h"
#include "recognize/tesseract_recognizer.h"

namespace carescan::pipeline {

// One per worker thread: owns its Tesseract instance (slow to start, so reused across pages) and
// its handwriting models, behind a router that sends each request to the engine that reads it
// best; not thread-safe. The matcher is shared and must outlive the reader.
class PageReader {
 public:
  PageReader(const core::Config& config, const forms::FormMatcher& matcher);

  // Never throws for a bad page: a page that is not a care sheet gets a reject_reason, one that
  // cannot be registered a low registration_quality and low confidences.
  core::PageReading read(const core::Page& page);

  // The crops `read` would hand to the recogniser, for a page that registers to a care sheet;
  // none otherwise. `form_type` gets the sheet's form ("" when it is not one). May throw.
  std::vector<extract::FieldCrop> crops(const core::Page& page, std::string& form_type);

 private:
  const forms::FormMatcher& matcher_;
  recognize::TesseractRecognizer tesseract_;
  std::unique_ptr<recognize::CombModel> comb_model_;  // null: comb cells read by Tesseract
  recognize::NamePrior name_prior_;                   // empty: no prior
  std::unique_ptr<recognize::LineModelRecognizer> line_model_;  // null: lines by Tesseract
  recognize::RoutingRecognizer recognizer_;
  extract::FieldExtractor extractor_;
  extract::Calibration calibration_;
};

}  // namespace carescan::pipeline
