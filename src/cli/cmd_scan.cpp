// `carescan scan`: reads care-sheet scans into claims, one per page, in input order.
#include <cstdio>
#include <iostream>

#include "claim/claim.h"
#include "claim/claim_json.h"
#include "claim/redact.h"
#include "cli/commands.h"
#include "cli/scan_pool.h"
#include "core/cin.h"
#include "forms/template_loader.h"

namespace carescan::cli {
namespace {

struct ScanOptions {
  std::vector<std::string> files;
  bool json = false;
  int workers = 0;  // 0: the configured number
};

std::string value_or_dash(const core::PageReading& r, const std::string& id) {
  auto it = r.fields.find(id);
  return it == r.fields.end() || !it->second.value ? "-" : *it->second.value;
}

// A terminal is a log: the name shrinks to initials, the CIN is masked.
void print_human(std::ostream& out, const std::string& file, const claim::Claim& c) {
  const auto& r = c.reading;
  long errors = 0;
  for (const auto& f : c.findings) errors += f.severity == core::Severity::kError ? 1 : 0;
  const std::string name = value_or_dash(r, "insured_name");
  const std::string cin = value_or_dash(r, "cin");
  char buf[512];
  std::snprintf(
      buf, sizeof buf, "%-28s %3d  %-11s %-12s %-10s %-10s %-10s %9s  %zu findings (%ld errors)\n",
      file.c_str(), c.document.page, r.form_type.empty() ? "-" : r.form_type.c_str(),
      std::string(claim::to_string(c.decision.status)).c_str(),
      name == "-" ? "-" : claim::initials(name).c_str(),
      cin == "-" ? "-" : core::mask_cin(cin).c_str(), value_or_dash(r, "signature_date").c_str(),
      value_or_dash(r, "total_amount").c_str(), c.findings.size(), errors);
  out << buf;
}

int run_scan(const Context& ctx, const ScanOptions& opts) {
  core::Config cfg = ctx.load();
  if (opts.workers > 0) cfg.reader.workers = opts.workers;
  const forms::FormMatcher matcher(forms::load_templates(cfg.forms_dir), cfg.reader.matching);
  const core::Date today = reference_day(cfg);
  const std::string received_at = utc_timestamp();
  std::vector<std::filesystem::path> files(opts.files.begin(), opts.files.end());
  if (!opts.json) {
    std::printf("%-28s %3s  %-11s %-12s %-10s %-10s %-10s %9s  %s\n", "file", "pg", "form",
                "status", "name", "cin", "signed", "total", "validation");
  }
  int exit_code = 0;
  ReaderPool pool(cfg, matcher, cfg.reader.workers);
  scan_files(files, cfg, pool, [&](ScannedFile&& scanned) {
    if (!scanned.error.empty()) {
      std::cerr << "carescan: " << scanned.file.string() << ": " << scanned.error << "\n";
      exit_code = 1;
      return;
    }
    for (size_t i = 0; i < scanned.readings.size(); ++i) {
      claim::DocumentRef doc{scanned.sha256, scanned.pages_meta[i].number, "cli", std::nullopt,
                             received_at};
      const claim::Claim c =
          claim::build_claim(std::move(doc), std::move(scanned.readings[i]), cfg, today);
      if (opts.json) {
        std::cout << claim::to_json_line(c) << "\n";
      } else {
        print_human(std::cout, scanned.file.filename().string(), c);
      }
    }
    std::cout.flush();
  });
  return exit_code;
}

}  // namespace

void add_scan_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto opts = std::make_shared<ScanOptions>();
  auto* cmd = app.add_subcommand("scan", "Read care-sheet scans into claims, one per page");
  cmd->add_option("files", opts->files, "PNG, JPEG, TIFF or PDF files")->required();
  cmd->add_flag("--json", opts->json, "print one claim-v1 JSON object per page (JSON Lines)");
  cmd->add_option("--workers", opts->workers, "reader threads (default: reader.workers)")
      ->check(CLI::PositiveNumber);
  cmd->callback([&ctx, &run, opts] { run = [&ctx, opts] { return run_scan(ctx, *opts); }; });
}

}  // namespace carescan::cli
