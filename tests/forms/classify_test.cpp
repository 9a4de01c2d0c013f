#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "forms/match.h"
#include "forms/template_loader.h"

using carescan::forms::FormMatcher;

namespace {

const std::filesystem::path kForms = std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config/forms";

const FormMatcher& matcher() {
  static const FormMatcher m(carescan::forms::load_templates(kForms));
  return m;
}

}  // namespace

TEST(Classify, RecognisesEachBlankReferenceUpright) {
  for (const auto& form : {"ambulatoire", "ald", "dentaire"}) {
    const cv::Mat page =
        cv::imread((kForms / (std::string(form) + ".png")).string(), cv::IMREAD_GRAYSCALE);
    const auto result = matcher().match(page);
    EXPECT_EQ(result.classification.form, form);
    EXPECT_EQ(result.classification.rotation_degrees, 0);
    EXPECT_TRUE(result.registered.ok);
  }
}

TEST(Classify, RejectsBlankPage) {
  const cv::Mat blank(3508, 2480, CV_8UC1, cv::Scalar(250));
  const auto result = matcher().match(blank);
  EXPECT_EQ(result.classification.form, "");
  EXPECT_FALSE(result.classification.reason.empty());
}
