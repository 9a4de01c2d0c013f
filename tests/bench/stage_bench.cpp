// Where a page's time goes: CPU milliseconds per page for each stage of the reader (decode,
// prepare, classify, register, extract, recognise split by engine, validate), per capture profile,
// on one thread. CPU time of the reading thread is what a page costs a worker, and it barely moves
// when the shared machine is busy, so two runs of the same set compare where wall time would not.
// With --baseline it also times plain full-page Tesseract on the same pages, the reference of
// issue 3's "10x faster" target.
// Usage: stage_bench SET_DIR [--limit N] [--baseline]

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "claim/claim.h"
#include "core/config.h"
#include "core/json_util.h"
#include "eval/tesseract_baseline.h"
#include "forms/template_loader.h"
#include "guarded_main.h"
#include "io/decode.h"
#include "pipeline/page_reader.h"

namespace fs = std::filesystem;
using namespace carescan;

namespace {

struct Tally {
  int pages = 0;
  int sheets_read = 0;  // pages that got a form type
  double decode = 0, validate = 0, baseline = 0;
  pipeline::StageTimes stages;

  void add(const pipeline::StageTimes& t) {
    stages.prepare += t.prepare;
    stages.classify += t.classify;
    stages.register_page += t.register_page;
    stages.extract += t.extract;
    stages.recognize += t.recognize;
    stages.tesseract += t.tesseract;
    stages.line_model += t.line_model;
  }
  [[nodiscard]] double total() const { return decode + stages.total() + validate; }
};

void print_table(const std::map<std::string, Tally>& tallies, bool baseline) {
  std::printf("\nCPU ms per page, one thread (share of the page's total)\n");
  std::printf("%-10s %5s %12s %12s %12s %12s %12s %12s %12s %8s %8s %8s", "profile", "pages",
              "decode", "prepare", "classify", "register", "extract", "recognize", "validate",
              "total", "tess", "line");
  if (baseline) std::printf(" %9s %7s", "fullpage", "ratio");
  std::printf("\n");
  for (const auto& [name, t] : tallies) {
    const double n = std::max(1, t.pages);
    const double total = t.total();
    auto cell = [&](double seconds) {
      std::printf(" %6.0f (%2.0f%%)", 1e3 * seconds / n, total > 0 ? 100 * seconds / total : 0.0);
    };
    std::printf("%-10s %5d", name.c_str(), t.pages);
    cell(t.decode);
    cell(t.stages.prepare);
    cell(t.stages.classify);
    cell(t.stages.register_page);
    cell(t.stages.extract);
    cell(t.stages.recognize);
    cell(t.validate);
    std::printf(" %8.0f %8.0f %8.0f", 1e3 * total / n, 1e3 * t.stages.tesseract / n,
                1e3 * t.stages.line_model / n);
    if (baseline) {
      std::printf(" %9.0f %6.1fx", 1e3 * t.baseline / n, total > 0 ? t.baseline / total : 0.0);
    }
    std::printf("\n");
  }
  std::printf(
      "(recognize = tess + line + the comb model; fullpage = plain full-page Tesseract "
      "on the decoded page)\n");
}

}  // namespace

int run(int argc, char** argv) {
  // Tesseract's OpenMP threads must be capped before libgomp starts: see tesseract_recognizer.h.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: stage_bench SET_DIR [--limit N] [--baseline]\n");
    return 2;
  }
  const fs::path dir = argv[1];
  std::size_t limit = 1u << 30;
  bool baseline = false;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--limit" && i + 1 < argc) limit = std::stoul(argv[++i]);
    if (arg == "--baseline") baseline = true;
  }
  // One page on one thread, as each reader worker does: OpenCV's own threads would hide CPU time
  // from this thread's clock.
  cv::setNumThreads(1);
  const auto env = core::carescan_environment();
  const core::Config config = core::load_config(core::default_config_path(env), env);
  const forms::FormMatcher matcher(forms::load_templates(config.forms_dir), config.reader.matching);
  pipeline::PageReader reader(config, matcher);
  std::unique_ptr<eval::FullPageTesseract> fullpage;
  if (baseline) {
    fullpage = std::make_unique<eval::FullPageTesseract>(config.reader.tessdata_dir, "fra+eng");
  }
  const auto limits = io::DecodeLimits::from(config.reader);
  const core::Date today = core::Date::from_days_since_epoch(20'000);

  std::vector<fs::path> truth_files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().string().ends_with(".truth.json")) truth_files.push_back(entry.path());
  }
  std::sort(truth_files.begin(), truth_files.end());
  if (truth_files.size() > limit) truth_files.resize(limit);

  std::map<std::string, Tally> tallies;
  for (const auto& truth_path : truth_files) {
    const auto truth = core::read_json_object(truth_path);
    const fs::path file = dir / truth->getValue<std::string>("file");
    double t = pipeline::thread_cpu_seconds();
    io::Document doc;
    try {
      doc = io::decode_file(file, limits);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", file.filename().c_str(), e.what());
      continue;
    }
    const double decode = (pipeline::thread_cpu_seconds() - t) / doc.pages.size();
    const auto pages = truth->getArray("pages");
    for (std::size_t i = 0; i < doc.pages.size() && i < pages->size(); ++i) {
      const auto page_truth = pages->getObject(static_cast<unsigned>(i));
      const std::string profile =
          page_truth->getObject("capture")->getValue<std::string>("profile");
      pipeline::StageTimes times;
      core::PageReading reading = reader.read(doc.pages[i], &times);
      const bool sheet = !reading.form_type.empty();
      t = pipeline::thread_cpu_seconds();
      const claim::Claim c =
          claim::build_claim({doc.sha256, doc.pages[i].number, "cli", std::nullopt, "-"},
                             std::move(reading), config, today);
      const double validate = pipeline::thread_cpu_seconds() - t;
      double full = 0;
      if (fullpage) {
        t = pipeline::thread_cpu_seconds();
        (void)fullpage->read(doc.pages[i].image);
        full = pipeline::thread_cpu_seconds() - t;
      }
      for (const std::string& key : {profile, std::string("all")}) {
        Tally& tally = tallies[key];
        ++tally.pages;
        tally.sheets_read += sheet;
        tally.decode += decode;
        tally.validate += validate;
        tally.baseline += full;
        tally.add(times);
      }
      std::fprintf(
          stderr, "%-32s p%zu %-10s %6.0f ms%s\n", file.filename().c_str(), i + 1, profile.c_str(),
          1e3 * (decode + times.total() + validate),
          fullpage ? (" (full-page " + std::to_string(int(1e3 * full)) + " ms)").c_str() : "");
    }
  }
  print_table(tallies, baseline);
  return 0;
}

int main(int argc, char** argv) {
  return carescan::bench::guarded_main(run, argc, argv);
}
