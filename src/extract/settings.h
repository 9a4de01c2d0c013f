#pragma once
// The extractor's tuning: ink, blank and tick thresholds, in pixels of the template frame.

namespace carescan::extract {

// Defaults were read off the reference sheets at 300 dpi and generated fills; a page registered
// to its template is always in that frame, so pixel figures do not depend on the scan's dpi.
struct ExtractionSettings {
  int ink_below = 210;  // grey level under which a pixel is ink: light, thin pens read at 150 lose
                        // half their strokes and Tesseract reads them as noise
  int printed_below = 200;         // the same for the blank reference sheet's printing
  int printed_dilate_px = 3;       // absorbs a registration error of a few pixels
  int min_component_px = 12;       // smaller specks are scanner noise or dust
  int blank_max_ink_px = 60;       // a free field with less ink than this is blank
  int cell_blank_max_ink_px = 30;  // the same for one comb cell
  double margin_mm = 1.0;          // handwriting leaves its box: read a little around it
  int tick_min_ink_px = 120;       // ink of a tick or cross centred on its box
  int signature_min_ink_px = 350;  // a signature leaves more than a stray stroke
  // Comb cells go one by one to a character classifier (Layout::kChar) whose alternatives the
  // field's grammar decodes; off: the whole comb is read as lines by a line recogniser.
  bool cell_classifier = false;
  int comb_year_min = 1900;  // a comb date outside these years is no reading of a care sheet
  int comb_year_max = 2099;
};

}  // namespace carescan::extract
