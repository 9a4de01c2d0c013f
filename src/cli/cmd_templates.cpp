// `carescan templates`: lists the form templates and checks that each one loads.
#include <iostream>

#include "cli/commands.h"
#include "forms/template_loader.h"

namespace carescan::cli {

void add_templates_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto* cmd = app.add_subcommand("templates", "List the care-sheet templates and check them");
  cmd->callback([&ctx, &run] {
    run = [&ctx] {
      const auto cfg = ctx.load();
      for (const auto& t : forms::load_templates(cfg.forms_dir)) {
        size_t table_rows = 0;
        for (const auto* table : t.tables()) table_rows += table->rows.size();
        std::cout << t.form << " (" << t.version << "): " << t.fields.size() << " fields, "
                  << t.tables().size() << " tables with " << table_rows << " rows\n";
      }
      return 0;
    };
  });
}

}  // namespace carescan::cli
