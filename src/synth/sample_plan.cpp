#include "synth/sample_plan.h"

#include <algorithm>
#include <cstdio>

#include "synth/distractors.h"
#include "synth/rng.h"

namespace carescan::synth {
namespace {

// Block-level draws use their own stream so that page seeds stay derive_seed(seed, index).
constexpr std::uint64_t kPlanSalt = 0x5A3C9E17B2D46F01ULL;
constexpr int kDistractorSlots[] = {8, 20};

// The order profiles are handed out in a block: the first bundle goes to fax, the second to
// photocopy, as such bundles arrive in practice.
int profile_rank(CaptureProfile p) {
  switch (p) {
    case CaptureProfile::kScan:
      return 0;
    case CaptureProfile::kFax:
      return 1;
    case CaptureProfile::kPhoto:
      return 2;
    case CaptureProfile::kPhotocopy:
      return 3;
    case CaptureProfile::kClean:
      return 4;
  }
  return 5;
}

FileFormat single_format(CaptureProfile profile, Rng& rng) {
  switch (profile) {
    case CaptureProfile::kFax:
      return FileFormat::kTiffG4;
    case CaptureProfile::kPhoto:
      return FileFormat::kJpeg;
    case CaptureProfile::kClean:
      return FileFormat::kPng;
    case CaptureProfile::kPhotocopy:
      return chance(rng, 0.5) ? FileFormat::kPng : FileFormat::kPdf;
    case CaptureProfile::kScan:
      return pick(rng,
                  std::vector<FileFormat>{FileFormat::kJpeg, FileFormat::kJpeg, FileFormat::kPng,
                                          FileFormat::kTiff, FileFormat::kPdf});
  }
  return FileFormat::kPng;
}

std::string four(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", i);
  return buf;
}

}  // namespace

std::string_view format_name(FileFormat format) {
  switch (format) {
    case FileFormat::kPng:
      return "png";
    case FileFormat::kJpeg:
      return "jpeg";
    case FileFormat::kTiff:
      return "tiff";
    case FileFormat::kTiffG4:
      return "tiff_g4";
    case FileFormat::kPdf:
      return "pdf";
  }
  return "png";
}

std::vector<PlannedFile> plan_samples(const PlanRequest& req) {
  std::vector<CaptureProfile> profiles = req.profiles;
  std::stable_sort(profiles.begin(), profiles.end(),
                   [](auto a, auto b) { return profile_rank(a) < profile_rank(b); });
  profiles.erase(std::unique(profiles.begin(), profiles.end()), profiles.end());

  std::vector<PlannedPage> pages;
  int sheets = 0;
  for (int i = 0; i < req.count; ++i) {
    PlannedPage p{i, derive_seed(req.seed, static_cast<std::uint64_t>(i)), "", ""};
    const int slot = i % kPlanBlock;
    const auto* hit = std::find(std::begin(kDistractorSlots), std::end(kDistractorSlots), slot);
    if (hit != std::end(kDistractorSlots)) {
      const auto& kinds = distractor_kinds();
      const size_t k = static_cast<size_t>(i / kPlanBlock) * 2 +
                       static_cast<size_t>(hit - std::begin(kDistractorSlots));
      p.distractor = kinds[k % kinds.size()];
    } else {
      p.form = req.forms[static_cast<size_t>(sheets++) % req.forms.size()];
    }
    pages.push_back(p);
  }

  std::vector<PlannedFile> files;
  const bool bundles = req.count >= 10;
  for (int block_start = 0; block_start < req.count; block_start += kPlanBlock) {
    const int block = block_start / kPlanBlock;
    Rng block_rng(derive_seed(req.seed ^ kPlanSalt, static_cast<std::uint64_t>(block)));
    const int tiff_len = uniform_int(block_rng, 2, 4);
    const int pdf_len = uniform_int(block_rng, 2, 4);
    const int block_end = std::min(req.count, block_start + kPlanBlock);
    int unit_in_block = 0;
    for (int i = block_start; i < block_end;) {
      const int j = i - block_start;
      int len = 1;
      bool pdf = false;
      if (bundles && j == 1) len = tiff_len;
      if (bundles && j == tiff_len + 2) {
        len = pdf_len;
        pdf = true;
      }
      len = std::min(len, block_end - i);
      PlannedFile f;
      f.profile = profiles[static_cast<size_t>(unit_in_block + block) % profiles.size()];
      f.bundle = len > 1;
      f.pages.assign(pages.begin() + i, pages.begin() + i + len);
      Rng format_rng(derive_seed(f.pages.front().seed, 2));
      if (f.bundle) {
        // A fax server delivers G4 TIFF whatever the bundle; others go to TIFF or PDF.
        if (f.profile == CaptureProfile::kFax) {
          f.format = FileFormat::kTiffG4;
        } else {
          f.format = pdf ? FileFormat::kPdf : FileFormat::kTiff;
        }
      } else {
        f.format = single_format(f.profile, format_rng);
      }
      const std::string what = f.bundle                       ? "bundle"
                               : f.pages.front().form.empty() ? "distractor"
                                                              : f.pages.front().form;
      f.name = four(i) + "-" + what + "-" + std::string(profile_name(f.profile)) + "." +
               std::string(extension(f.format));
      files.push_back(std::move(f));
      i += len;
      ++unit_in_block;
    }
  }
  return files;
}

}  // namespace carescan::synth
