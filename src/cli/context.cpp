#include "cli/commands.h"

namespace carescan::cli {

core::Config Context::load() const {
  return core::load_config(config_file, core::carescan_environment());
}

}  // namespace carescan::cli
