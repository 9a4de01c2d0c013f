// `carescan serve`: the HTTP API, the reading workers and the delivery outbox in one process,
// until SIGINT or SIGTERM; `--workers-only` runs readers on a shared queue and nothing else.
#include <iostream>

#include "cli/commands.h"
#include "service/server.h"

namespace carescan::cli {
namespace {

struct ServeArgs {
  bool workers_only = false;
  bool intake_only = false;
  int workers = 0;
  std::string store_url;
  std::string name;
};

int run_serve(const Context& ctx, const ServeArgs& args) {
  // Before any thread exists, so that every thread inherits the blocked mask.
  service::block_termination_signals();
  const core::Config cfg = ctx.load();
  service::ServeOptions opts;
  opts.store_url = args.store_url;
  opts.workers_only = args.workers_only;
  opts.intake_only = args.intake_only;
  opts.workers = args.workers;
  opts.name = args.name;
  service::Service svc(cfg, opts);
  svc.start();
  const int sig = service::wait_for_termination_signal();
  std::cerr << "carescan: signal " << sig << ", finishing the work in hand\n";
  svc.stop();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Run the HTTP service, its reading workers and delivery");
  cmd->add_flag("--workers-only", args->workers_only,
                "only read queued pages (more readers on a shared PostgreSQL queue)");
  cmd->add_flag("--intake-only", args->intake_only,
                "HTTP and delivery without readers (readers run elsewhere on a shared queue)")
      ->excludes("--workers-only");
  cmd->add_option("--workers", args->workers, "reader threads (default: reader.workers)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--store", args->store_url,
                  "store URL: sqlite:PATH or postgresql://… (default: from the config)");
  cmd->add_option("--name", args->name, "this process's name in leases (default: host-pid)");
  cmd->callback([&ctx, &run, args] { run = [&ctx, args] { return run_serve(ctx, *args); }; });
}

}  // namespace carescan::cli
