// `carescan samples`: generates filled, captured care sheets with their ground truth.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/json_util.h"
#include "synth/sample_set.h"

namespace carescan::cli {
namespace {

struct SamplesOptions {
  int count = 30;
  std::uint64_t seed = 1;
  std::string out;
  std::vector<std::string> profiles{"scan", "photocopy", "fax", "photo"};
  std::vector<std::string> forms{"ambulatoire", "ald", "dentaire"};
};

synth::PlanRequest to_request(const SamplesOptions& o) {
  synth::PlanRequest req;
  req.count = o.count;
  req.seed = o.seed;
  req.forms = o.forms;
  for (const auto& name : o.profiles) {
    const auto profile = synth::profile_from_name(name);
    if (!profile) {
      throw core::DataError("samples: unknown profile \"" + name +
                            "\" (scan, photocopy, fax, photo, clean)");
    }
    req.profiles.push_back(*profile);
  }
  if (req.profiles.empty() || req.forms.empty()) {
    throw core::DataError("samples: give at least one profile and one form");
  }
  return req;
}

}  // namespace

void add_samples_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto* cmd = app.add_subcommand(
      "samples",
      "Generate filled and captured care sheets with ground truth (docs/truth-format.md)");
  auto opts = std::make_shared<SamplesOptions>();
  cmd->add_option("--count", opts->count, "number of pages")->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", opts->seed, "random seed; the same seed gives the same bytes");
  cmd->add_option("--out", opts->out, "output folder")->required();
  cmd->add_option("--profile", opts->profiles, "capture profiles: scan,photocopy,fax,photo,clean")
      ->delimiter(',');
  cmd->add_option("--forms", opts->forms, "forms to fill: ambulatoire,ald,dentaire")
      ->delimiter(',');
  cmd->callback([&ctx, &run, opts] {
    run = [&ctx, opts] {
      const auto cfg = ctx.load();
      const auto summary = synth::generate_samples(cfg, to_request(*opts), opts->out);
      std::cout << "samples: " << summary.one_line() << " -> " << opts->out << "\n";
      return 0;
    };
  });
}

}  // namespace carescan::cli
