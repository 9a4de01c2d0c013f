// `carescan engine-sink`: the reference receiver of delivered claims, for the demo and tests.
#include <iostream>

#include "cli/commands.h"
#include "core/json_util.h"
#include "service/engine_sink.h"
#include "service/server.h"

namespace carescan::cli {
namespace {

struct SinkArgs {
  std::string listen = "127.0.0.1:8090";
  std::string data;
  int fail_first = 0;
};

int run_sink(const SinkArgs& args) {
  service::block_termination_signals();
  const auto colon = args.listen.rfind(':');
  if (colon == std::string::npos) {
    throw core::DataError("--listen must be HOST:PORT (127.0.0.1:8090)");
  }
  int port = 0;
  try {
    port = std::stoi(args.listen.substr(colon + 1));
  } catch (const std::exception&) {
    throw core::DataError("--listen must end with a port number");
  }
  service::EngineSink sink(args.listen.substr(0, colon), port, args.data, args.fail_first);
  sink.start();
  std::cerr << "carescan engine-sink: listening on " << args.listen.substr(0, colon) << ":"
            << sink.port() << ", claims in " << args.data << "/claims\n";
  service::wait_for_termination_signal();
  sink.stop();
  const auto c = sink.counts();
  std::cerr << "carescan engine-sink: " << c.stored << " claims stored, " << c.duplicates
            << " duplicates answered, " << c.refused << " refused\n";
  return 0;
}

}  // namespace

void add_engine_sink_command(CLI::App& app, const Context&, Runner& run) {
  auto args = std::make_shared<SinkArgs>();
  auto* cmd = app.add_subcommand(
      "engine-sink", "Receive delivered claims as the reimbursement engine would (demo, tests)");
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any)");
  cmd->add_option("--data", args->data, "folder that keeps the claims")->required();
  cmd->add_option("--fail-first", args->fail_first,
                  "answer the first N posts 503, to exercise the sender's retries");
  cmd->callback([&run, args] { run = [args] { return run_sink(*args); }; });
}

}  // namespace carescan::cli
