#pragma once
// Turns a clean filled sheet into what a scanner, copier, fax machine or phone camera delivers.

#include <Poco/JSON/Object.h>

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synth/rng.h"

namespace carescan::synth {

enum class CaptureProfile { kClean, kScan, kPhotocopy, kFax, kPhoto };

std::string_view profile_name(CaptureProfile profile);  // "clean","scan","photocopy","fax","photo"
std::optional<CaptureProfile> profile_from_name(std::string_view name);

// Every parameter drawn for one capture; becomes the truth's "capture" object.
struct CaptureRecord {
  std::string profile;
  double dpi = 300;  // photo: the page's mean resolution in the frame
  double skew_deg = 0;
  bool upside_down = false;
  double scale = 1;
  double shift_x_mm = 0, shift_y_mm = 0;
  bool perspective = false;
  // What a JPEG (or JPEG-in-PDF) writer should use for this page; 0 = the writer's default.
  // Drawn for every non-binary capture so the random stream does not depend on the file format.
  int jpeg_quality = 0;
  // The sheet's corners in the captured image (top-left, top-right, bottom-right, bottom-left as
  // printed, so an upside-down page lists them rotated): ground truth for page finding.
  std::vector<cv::Point2f> corners_px;
  double bow = 0;       // photo: the paper's bend, as a fraction of the frame height (signed)
  int generations = 1;  // photocopy: 2 for a copy of a copy
  int folds = 0;        // fold creases across the sheet (scan, photocopy, photo)
  bool glare = false;   // photo: a flash or lamp reflection washing out part of the sheet

  Poco::JSON::Object::Ptr to_json() const;
};

// 8-bit grey or BGR; fax: binary grey, 0 or 255 only.
struct CapturedPage {
  cv::Mat image;
  double dpi = 300;
  CaptureRecord record;
};

// `clean_bgr_300dpi` is a filled A4 sheet (2480x3508 BGR or grey). All randomness comes from
// `rng`: the same seed gives the same pixels.
CapturedPage capture_page(const cv::Mat& clean_bgr_300dpi, CaptureProfile profile, Rng& rng);

}  // namespace carescan::synth
