// `carescan crops`: the crops the reader hands to its recognisers, labelled from a generated
// set's truth, for training the handwriting models.
#include <iostream>

#include "cli/commands.h"
#include "pipeline/crop_dump.h"

namespace carescan::cli {

void add_crops_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto opts = std::make_shared<pipeline::CropDumpOptions>();
  auto dir = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "crops", "Write the comb-cell and line crops of a generated set, labelled from its truth");
  cmd->add_option("dir", *dir, "folder written by `carescan samples`")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out", *out, "output folder (gets comb/ and line/)")->required();
  cmd->add_option("--limit", opts->limit, "only the first N files")->check(CLI::PositiveNumber);
  cmd->add_option("--workers", opts->workers, "reader threads (default: reader.workers)")
      ->check(CLI::PositiveNumber);
  cmd->callback([&ctx, &run, opts, dir, out] {
    run = [&ctx, opts, dir, out] {
      const core::Config cfg = ctx.load();
      pipeline::CropDumpOptions o = *opts;
      o.samples = *dir;
      o.out = *out;
      if (o.workers <= 0) o.workers = cfg.reader.workers;
      const auto stats = pipeline::dump_crops(cfg, o);
      std::cout << "care-sheet pages " << stats.pages << ", skipped (not registered) "
                << stats.pages_skipped << "\ncomb cells " << stats.comb_crops
                << " (filled cells with no ink seen: " << stats.comb_missed << ")\nline crops "
                << stats.line_crops << "\n";
      return 0;
    };
  });
}

}  // namespace carescan::cli
