// `carescan samples`: placeholder until the generator lands.
#include "cli/commands.h"

namespace carescan::cli {

void add_samples_command(CLI::App& app, const Context& ctx, Runner& run) {
  (void)app;
  (void)ctx;
  (void)run;
}

}  // namespace carescan::cli
