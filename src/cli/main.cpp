// carescan: reads scanned AMO Étudiants care sheets into validated claims.
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "core/json_util.h"
#ifdef CARESCAN_HAVE_READER
#include "cli/scan_pool.h"
#include "recognize/tesseract_recognizer.h"
#endif

int main(int argc, char** argv) {
#ifdef CARESCAN_HAVE_READER
  carescan::cli::limit_openmp_threads(argv);
  carescan::recognize::silence_leptonica_messages();
#endif
  using carescan::cli::Context;
  CLI::App app{"carescan: reads scanned AMO Étudiants care sheets into validated claims"};
  app.require_subcommand(1);
  Context ctx;
  const auto env = carescan::core::carescan_environment();
  ctx.config_file = carescan::core::default_config_path(env);
  app.add_option("--config", ctx.config_file,
                 "configuration file (default: $CARESCAN_CONFIG or config/carescan.json)");

  carescan::cli::Runner run;
  carescan::cli::add_templates_command(app, ctx, run);
  carescan::cli::add_samples_command(app, ctx, run);
#ifdef CARESCAN_HAVE_READER
  carescan::cli::add_scan_command(app, ctx, run);
  carescan::cli::add_eval_command(app, ctx, run);
  carescan::cli::add_crops_command(app, ctx, run);
  carescan::cli::add_print_glyphs_command(app, ctx, run);
#endif
#ifdef CARESCAN_HAVE_SERVICE
  carescan::cli::add_serve_command(app, ctx, run);
  carescan::cli::add_engine_sink_command(app, ctx, run);
  carescan::cli::add_admin_command(app, ctx, run);
  carescan::cli::add_ingest_command(app, ctx, run);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return run ? run() : 0;
  } catch (const carescan::core::DataError& e) {
    std::cerr << "carescan: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "carescan: error: " << e.what() << "\n";
    return 1;
  }
}
