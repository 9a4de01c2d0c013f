// `carescan eval`: reads a generated set and scores the claims against its ground truth.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "claim/claim_json.h"
#include "cli/commands.h"
#include "cli/scan_pool.h"
#include "core/json_util.h"
#include "eval/report.h"
#include "eval/score.h"
#include "eval/tesseract_baseline.h"
#include "eval/truth.h"
#include "forms/template_loader.h"
#include "io/decode.h"

namespace carescan::cli {
namespace {

struct EvalOptions {
  std::vector<std::string> dirs;
  bool baseline = false;
  int limit = 0;
  int workers = 0;
  std::string json_out;
  std::string claims_out;
  std::string fit_calibration;
  std::string fit_thresholds;
  double kind_threshold = 0.9;
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Generated sets carry no day of receipt: a sheet counts as received the day its student
// signed it (the generator's own "today" for that sheet), unless config pins one.
core::Date received_on(const eval::TruthPage& truth, const core::Config& cfg) {
  if (!cfg.claims.today) {
    if (auto it = truth.fields.find("signature_date"); it != truth.fields.end() && it->second) {
      if (auto d = core::parse_iso_date(*it->second)) return *d;
    }
  }
  return reference_day(cfg);
}

const core::PageReading* reading_for(const ScannedFile& scanned, int page) {
  for (size_t i = 0; i < scanned.readings.size(); ++i) {
    if (scanned.pages_meta[i].number == page) return &scanned.readings[i];
  }
  return nullptr;
}

// The same pages through one whole-page Tesseract per worker, files shared out between them.
eval::Baseline run_baseline(const std::vector<eval::TruthFile>& truth, const core::Config& cfg,
                            int workers) {
  eval::Baseline out;
  out.throughput.workers = workers;
  std::atomic<size_t> next{0};
  std::mutex mutex;
  const auto limits = io::DecodeLimits::from(cfg.reader);
  const auto start = Clock::now();
  auto work = [&] {
    eval::FullPageTesseract ocr(cfg.reader.tessdata_dir, "fra+eng");
    for (size_t i = next++; i < truth.size(); i = next++) {
      std::vector<std::pair<const eval::TruthPage*, std::string>> texts;
      try {
        const io::Document doc = io::decode_file(truth[i].file, limits);
        for (const auto& page : doc.pages) {
          for (const auto& t : truth[i].pages) {
            if (t.page == page.number) texts.emplace_back(&t, ocr.read(page.image));
          }
        }
      } catch (const std::exception& e) {
        std::cerr << "carescan: baseline: " << truth[i].file.filename().string() << ": " << e.what()
                  << "\n";
      }
      std::lock_guard lock(mutex);
      for (const auto& [page, text] : texts) {
        ++out.throughput.pages;
        eval::find_key_values(text, *page, out.finds);
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers));
  for (int w = 0; w < workers; ++w) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  out.throughput.seconds = seconds_since(start);
  return out;
}

// Each key field's threshold chosen on this set, and every page decided again with them: the
// straight-through and error rates the chosen thresholds give where they were chosen.
eval::ThresholdFit fit_thresholds(const std::vector<eval::ScoredPage>& scored,
                                  const eval::Scores& scores, const std::vector<std::string>& keys,
                                  const core::ClaimsConfig& claims, const std::string& file) {
  eval::ThresholdFit fit;
  fit.settings = claims.fit;
  fit.file = file;
  static const eval::FieldSamples kNone;
  for (const auto& key : keys) {
    auto it = scores.field_samples.find(key);
    fit.choices.push_back(eval::fit_threshold(
        key, it == scores.field_samples.end() ? kNone : it->second, fit.settings));
  }
  core::ClaimsConfig refit = claims;
  refit.accept_min_confidence = eval::apply_choices(claims.accept_min_confidence, fit.choices);
  std::vector<eval::ScoredPage> redecided = scored;
  for (auto& page : redecided) {
    if (page.claim) {
      page.claim->decision = claim::decide_status(page.claim->reading, page.claim->findings, refit);
    }
  }
  fit.rescored = eval::score_pages(redecided, keys);
  return fit;
}

int run_eval(const Context& ctx, const EvalOptions& opts) {
  if (!opts.fit_calibration.empty() && !opts.fit_thresholds.empty()) {
    // Thresholds apply to calibrated confidences; a calibration fit reads raw ones.
    throw core::DataError(
        "--fit-calibration and --fit-thresholds cannot run together: fit the calibration, then "
        "the thresholds with it in place");
  }
  core::Config cfg = ctx.load();
  if (opts.workers > 0) cfg.reader.workers = opts.workers;
  // A calibration is fitted on raw confidences, never on already calibrated ones.
  if (!opts.fit_calibration.empty()) cfg.reader.calibration.clear();
  // Several sets are scored as one: a fit on more pages than one generated set holds.
  std::vector<eval::TruthFile> truth;
  for (const auto& dir : opts.dirs) {
    auto set = eval::load_truth_set(dir, opts.limit);
    std::move(set.begin(), set.end(), std::back_inserter(truth));
  }
  std::vector<std::filesystem::path> files;
  files.reserve(truth.size());
  for (const auto& t : truth) files.push_back(t.file);

  std::ofstream claims_out;
  if (!opts.claims_out.empty()) claims_out.open(opts.claims_out);
  const std::string received_at = utc_timestamp();
  std::vector<eval::ScoredPage> scored;
  eval::Report report;
  report.throughput.workers = cfg.reader.workers;
  const auto start = Clock::now();
  {
    const forms::FormMatcher matcher(forms::load_templates(cfg.forms_dir), cfg.reader.matching);
    ReaderPool pool(cfg, matcher, cfg.reader.workers);
    size_t index = 0;
    scan_files(files, cfg, pool, [&](ScannedFile&& scanned) {
      const eval::TruthFile& t = truth[index++];
      if (!scanned.error.empty()) {
        std::cerr << "carescan: " << scanned.file.filename().string() << ": " << scanned.error
                  << "\n";
      }
      for (const auto& page : t.pages) {
        eval::ScoredPage s{t.file.filename().string(), page, std::nullopt};
        if (const core::PageReading* r = reading_for(scanned, page.page)) {
          claim::DocumentRef doc{scanned.sha256, page.page, "cli", std::nullopt, received_at};
          s.claim = claim::build_claim(std::move(doc), *r, cfg, received_on(page, cfg));
          if (claims_out) claims_out << claim::to_json_line(*s.claim) << "\n";
        }
        scored.push_back(std::move(s));
      }
      report.throughput.pages += static_cast<long>(t.pages.size());
    });
  }
  report.throughput.seconds = seconds_since(start);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  report.peak_memory_kb = usage.ru_maxrss;

  std::vector<std::string> keys;
  for (const auto& [field, threshold] : cfg.claims.accept_min_confidence) keys.push_back(field);
  report.scores = eval::score_pages(scored, keys);
  report.accept_thresholds = cfg.claims.accept_min_confidence;
  report.fitted_fields = cfg.claims.fitted_fields;
  report.kind_threshold = opts.kind_threshold;
  if (!opts.fit_thresholds.empty()) {
    report.fit = fit_thresholds(scored, report.scores, keys, cfg.claims, opts.fit_thresholds);
  }
  if (opts.baseline) report.baseline = run_baseline(truth, cfg, cfg.reader.workers);

  // Which engines read the handwriting: the figures of the two set-ups are compared side by side.
  const bool models = cfg.reader.handwriting_model && !cfg.reader.comb_model.empty();
  const bool lines = cfg.reader.handwriting_model && !cfg.reader.line_model.empty();
  std::cout << "recognisers: "
            << (models
                    ? "comb cells by " + cfg.reader.comb_model.filename().string() +
                          (lines ? ", handwritten lines by " +
                                       cfg.reader.line_model.filename().string() +
                                       (cfg.reader.name_model.empty()
                                            ? ""
                                            : " (names by " +
                                                  cfg.reader.name_model.filename().string() + ")") +
                                       (cfg.reader.cin_model.empty()
                                            ? ""
                                            : " (CINs' second reading by " +
                                                  cfg.reader.cin_model.filename().string() + ")") +
                                       (cfg.reader.name_prior.empty() ? "" : " (name list on)") +
                                       (cfg.reader.place_prior.empty() ? "" : " (place list on)") +
                                       ", print by Tesseract"
                                 : ", the rest by Tesseract")
                    : std::string("Tesseract only (handwriting models off)"))
            << "\n";
  eval::print_report(std::cout, report);
  if (!opts.fit_calibration.empty()) {
    const auto fitted = extract::Calibration::fit(report.scores.calibration_samples);
    std::ofstream out(opts.fit_calibration);
    out << core::to_json(fitted.to_json(), 2) << "\n";
    if (!out) throw core::DataError("cannot write " + opts.fit_calibration);
    std::cout << "calibration fitted on " << report.scores.pages << " pages -> "
              << opts.fit_calibration << "\n";
  }
  if (report.fit) {
    std::string fitted_on;
    for (const auto& dir : opts.dirs) {
      fitted_on += (fitted_on.empty() ? "" : "+") + std::filesystem::path(dir).filename().string();
    }
    std::ofstream out(opts.fit_thresholds);
    out << core::to_json(eval::thresholds_json(report.fit->choices, report.fit->settings,
                                               report.scores.pages, fitted_on),
                         2)
        << "\n";
    if (!out) throw core::DataError("cannot write " + opts.fit_thresholds);
    std::cout << "thresholds fitted on " << report.scores.pages << " pages -> "
              << opts.fit_thresholds << " (claims.thresholds names the file the reader uses)\n";
  }
  if (!opts.json_out.empty()) {
    std::ofstream out(opts.json_out);
    out << core::to_json(eval::report_json(report), 2) << "\n";
    if (!out) throw core::DataError("cannot write " + opts.json_out);
  }
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto opts = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Score carescan on a generated sample set");
  cmd->add_option("dir", opts->dirs,
                  "folder written by `carescan samples`; several are scored as one set")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_flag("--tesseract-baseline", opts->baseline,
                "also run plain full-page Tesseract on the same pages, for comparison");
  cmd->add_option("--limit", opts->limit, "only the first N files of each folder")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--workers", opts->workers, "reader threads (default: reader.workers)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--json-out", opts->json_out, "also write the figures as JSON to this file");
  cmd->add_option("--claims-out", opts->claims_out, "write every claim (JSON Lines) to this file");
  cmd->add_option("--fit-calibration", opts->fit_calibration,
                  "read with raw confidences and write the fitted calibration to this file "
                  "(fit on a set you will not report figures on)");
  cmd->add_option("--fit-thresholds", opts->fit_thresholds,
                  "choose each key field's acceptance threshold on this set (claims.fit: target "
                  "precision, minimum count) and write them to this file (fit on the calibration "
                  "set, never on one you report figures on)");
  cmd->add_option("--kind-threshold", opts->kind_threshold,
                  "confidence at which the field-kind table is drawn (informative; default 0.9)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([&ctx, &run, opts] { run = [&ctx, opts] { return run_eval(ctx, *opts); }; });
}

}  // namespace carescan::cli
