#include "synth/sample_plan.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "synth/rng.h"

namespace carescan::synth {
namespace {

const std::vector<CaptureProfile> kDefaultProfiles{CaptureProfile::kScan,
                                                   CaptureProfile::kPhotocopy, CaptureProfile::kFax,
                                                   CaptureProfile::kPhoto};
const std::vector<std::string> kForms{"ambulatoire", "ald", "dentaire"};

std::vector<PlannedFile> plan(int count, std::uint64_t seed = 1) {
  return plan_samples({count, seed, kDefaultProfiles, kForms});
}

TEST(SamplePlan, EveryCountFromTenCoversEveryFormAndProfile) {
  for (int count = 10; count <= 60; ++count) {
    std::set<std::string> forms;
    std::set<CaptureProfile> profiles;
    int pages = 0;
    for (const auto& f : plan(count, static_cast<std::uint64_t>(count))) {
      profiles.insert(f.profile);
      for (const auto& p : f.pages) {
        if (!p.form.empty()) forms.insert(p.form);
        ++pages;
      }
    }
    EXPECT_EQ(pages, count);
    EXPECT_EQ(forms.size(), 3u) << count;
    EXPECT_EQ(profiles.size(), 4u) << count;
    EXPECT_FALSE(profiles.count(CaptureProfile::kClean));
  }
}

TEST(SamplePlan, ThirtyPagesHoldATiffAndAPdfBundleOfTwoToFourPages) {
  bool tiff = false, pdf = false;
  for (const auto& f : plan(30)) {
    if (!f.bundle) {
      EXPECT_EQ(f.pages.size(), 1u);
      continue;
    }
    EXPECT_GE(f.pages.size(), 2u);
    EXPECT_LE(f.pages.size(), 4u);
    tiff |= f.format == FileFormat::kTiff || f.format == FileFormat::kTiffG4;
    pdf |= f.format == FileFormat::kPdf;
  }
  EXPECT_TRUE(tiff);
  EXPECT_TRUE(pdf);
}

TEST(SamplePlan, APageDoesNotDependOnTheCount) {
  std::vector<PlannedPage> short_set, long_set;
  for (const auto& f : plan(30, 4))
    short_set.insert(short_set.end(), f.pages.begin(), f.pages.end());
  for (const auto& f : plan(80, 4)) long_set.insert(long_set.end(), f.pages.begin(), f.pages.end());
  ASSERT_EQ(short_set.size(), 30u);
  for (size_t i = 0; i < short_set.size(); ++i) {
    EXPECT_EQ(short_set[i].index, static_cast<int>(i));
    EXPECT_EQ(short_set[i].seed, derive_seed(4, i));
    EXPECT_EQ(short_set[i].seed, long_set[i].seed);
    EXPECT_EQ(short_set[i].form, long_set[i].form);
    EXPECT_EQ(short_set[i].distractor, long_set[i].distractor);
  }
}

TEST(SamplePlan, AboutOnePageInTwelveIsADistractorOfEachKind) {
  std::set<std::string> kinds;
  int distractors = 0;
  for (const auto& f : plan(100)) {
    for (const auto& p : f.pages) {
      EXPECT_NE(p.form.empty(), p.distractor.empty());
      if (!p.distractor.empty()) {
        kinds.insert(p.distractor);
        ++distractors;
      }
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"blank", "letter", "unrelated_form"}));
  EXPECT_GE(distractors, 6);
  EXPECT_LE(distractors, 10);
}

TEST(SamplePlan, NamesAndFormatsFollowTheProfile) {
  const std::regex name(
      "^[0-9]{4}-(ambulatoire|ald|dentaire|distractor|bundle)-(scan|photocopy|fax|photo)\\."
      "(png|jpg|tiff|pdf)$");
  std::set<std::string> names;
  for (const auto& f : plan(60)) {
    EXPECT_TRUE(std::regex_match(f.name, name)) << f.name;
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(f.name.substr(0, 4),
              std::string(4 - std::to_string(f.pages.front().index).size(), '0') +
                  std::to_string(f.pages.front().index));
    if (f.profile == CaptureProfile::kFax) {
      EXPECT_EQ(f.format, FileFormat::kTiffG4) << f.name;
    }
    if (!f.bundle && f.profile == CaptureProfile::kPhoto) {
      EXPECT_EQ(f.format, FileFormat::kJpeg);
    }
    if (!f.bundle && f.profile == CaptureProfile::kPhotocopy) {
      EXPECT_TRUE(f.format == FileFormat::kPng || f.format == FileFormat::kPdf) << f.name;
    }
  }
}

TEST(SamplePlan, CleanOnlyWhenAskedAndThenAsPng) {
  for (const auto& f : plan_samples({12, 3, {CaptureProfile::kClean}, {"ald"}})) {
    EXPECT_EQ(f.profile, CaptureProfile::kClean);
    if (!f.bundle) {
      EXPECT_EQ(f.format, FileFormat::kPng);
    }
    for (const auto& p : f.pages) EXPECT_TRUE(p.form == "ald" || !p.distractor.empty());
  }
}

TEST(SamplePlan, FewPagesMakeNoBundles) {
  for (const auto& f : plan(9)) EXPECT_FALSE(f.bundle);
}

}  // namespace
}  // namespace carescan::synth
