#include "synth/capture.h"

#include <Poco/JSON/Array.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "synth/capture_ops.h"

namespace carescan::synth {
namespace {

constexpr std::array<std::pair<CaptureProfile, std::string_view>, 5> kProfileNames{{
    {CaptureProfile::kClean, "clean"},
    {CaptureProfile::kScan, "scan"},
    {CaptureProfile::kPhotocopy, "photocopy"},
    {CaptureProfile::kFax, "fax"},
    {CaptureProfile::kPhoto, "photo"},
}};

// Truth files are compared by eye and by diff: a tenth of a millimetre or degree is plenty.
// Dividing by the count per unit (not multiplying by a step) keeps 3.8 printing as 3.8.
double rounded(double value, double per_unit) {
  return std::round(value * per_unit) / per_unit;
}

}  // namespace

std::string_view profile_name(CaptureProfile profile) {
  for (const auto& [p, name] : kProfileNames) {
    if (p == profile) return name;
  }
  throw std::invalid_argument("unknown capture profile");
}

std::optional<CaptureProfile> profile_from_name(std::string_view name) {
  for (const auto& [p, n] : kProfileNames) {
    if (n == name) return p;
  }
  return std::nullopt;
}

Poco::JSON::Object::Ptr CaptureRecord::to_json() const {
  Poco::JSON::Object::Ptr obj = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  obj->set("profile", profile);
  obj->set("dpi", rounded(dpi, 10));
  obj->set("skew_deg", rounded(skew_deg, 100));
  obj->set("upside_down", upside_down);
  obj->set("scale", rounded(scale, 1000));
  obj->set("shift_x_mm", rounded(shift_x_mm, 10));
  obj->set("shift_y_mm", rounded(shift_y_mm, 10));
  obj->set("perspective", perspective);
  if (jpeg_quality > 0) obj->set("jpeg_quality", jpeg_quality);
  if (perspective) {
    obj->set("bow", rounded(bow, 1000));
    obj->set("glare", glare);
  }
  if (profile == "photocopy") obj->set("generations", generations);
  obj->set("folds", folds);
  Poco::JSON::Array::Ptr corners = new Poco::JSON::Array;
  for (const cv::Point2f& c : corners_px) {
    Poco::JSON::Array::Ptr point = new Poco::JSON::Array;
    point->add(rounded(c.x, 10));
    point->add(rounded(c.y, 10));
    corners->add(point);
  }
  obj->set("corners_px", corners);
  return obj;
}

CapturedPage capture_page(const cv::Mat& clean_bgr_300dpi, CaptureProfile profile, Rng& rng) {
  if (clean_bgr_300dpi.empty() || clean_bgr_300dpi.depth() != CV_8U ||
      (clean_bgr_300dpi.channels() != 1 && clean_bgr_300dpi.channels() != 3)) {
    throw std::invalid_argument("capture_page needs an 8-bit grey or BGR sheet");
  }
  switch (profile) {
    case CaptureProfile::kClean: {
      CapturedPage page;
      page.image = clean_bgr_300dpi.clone();
      page.dpi = capture_ops::sheet_dpi(clean_bgr_300dpi);
      page.record.profile = std::string(profile_name(profile));
      capture_ops::record_placement(
          page.record, capture_ops::Placement{.dpi = page.dpi},
          capture_ops::sheet_corners(clean_bgr_300dpi, cv::Mat::eye(2, 3, CV_64F)));
      return page;
    }
    case CaptureProfile::kScan:
      return capture_ops::capture_scan(clean_bgr_300dpi, rng);
    case CaptureProfile::kPhotocopy:
      return capture_ops::capture_photocopy(clean_bgr_300dpi, rng);
    case CaptureProfile::kFax:
      return capture_ops::capture_fax(clean_bgr_300dpi, rng);
    case CaptureProfile::kPhoto:
      return capture_ops::capture_photo(clean_bgr_300dpi, rng);
  }
  throw std::invalid_argument("unknown capture profile");
}

}  // namespace carescan::synth
