#pragma once
// Runs one decoded page through the reader: prepare, classify, register, extract.

#include "core/config.h"
#include "core/page.h"
#include "core/reading.h"
#include "extract/calibration.h"
#include "extract/extractor.h"
#include "forms/match.h"
#include "recognize/tesseract_recognizer.h"

namespace carescan::pipeline {

// One per worker thread: owns its Tesseract instance (slow to start, so reused across pages);
// not thread-safe. The matcher is shared and must outlive the reader.
class PageReader {
 public:
  PageReader(const core::Config& config, const forms::FormMatcher& matcher);

  // Never throws for a bad page: a page that is not a care sheet gets a reject_reason, one that
  // cannot be registered a low registration_quality and low confidences.
  core::PageReading read(const core::Page& page);

 private:
  const forms::FormMatcher& matcher_;
  recognize::TesseractRecognizer recognizer_;
  extract::FieldExtractor extractor_;
  extract::Calibration calibration_;
};

}  // namespace carescan::pipeline
