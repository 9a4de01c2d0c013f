#pragma once
// The extractor's tuning: ink, blank and tick thresholds, in pixels of the template frame. They
// live in the typed config (reader.extraction in config/carescan.json, defaults in
// core/config.h) so that a deployment tunes them without a rebuild; the page reader hands them
// down to each FieldExtractor.

#include "core/config.h"

namespace carescan::extract {

using ExtractionSettings = core::ExtractionSettings;

}  // namespace carescan::extract
