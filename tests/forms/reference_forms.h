#pragma once
// The repository's form templates, loaded once per test binary for the matcher tests.

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "forms/match.h"
#include "forms/template_loader.h"

namespace carescan::forms::testing {

inline const std::filesystem::path& forms_dir() {
  static const std::filesystem::path kDir =
      std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config/forms";
  return kDir;
}

// Building the matcher renders every template's rule maps: share one across the tests.
inline const FormMatcher& matcher() {
  static const FormMatcher m(load_templates(forms_dir()));
  return m;
}

inline cv::Mat reference(const std::string& form) {
  return cv::imread((forms_dir() / (form + ".png")).string(), cv::IMREAD_GRAYSCALE);
}

}  // namespace carescan::forms::testing
