#pragma once
// The `carescan` subcommands. Each registers itself on the app and runs through `Context`.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>

#include "core/config.h"

namespace carescan::cli {

// Resolved once, after parsing, so that every command sees the same configuration.
struct Context {
  std::filesystem::path config_file;
  core::Config load() const;
};

// Each returns the process exit code through `run` set on the subcommand's callback.
using Runner = std::function<int()>;

void add_templates_command(CLI::App& app, const Context& ctx, Runner& run);
void add_samples_command(CLI::App& app, const Context& ctx, Runner& run);
void add_scan_command(CLI::App& app, const Context& ctx, Runner& run);
void add_eval_command(CLI::App& app, const Context& ctx, Runner& run);
void add_crops_command(CLI::App& app, const Context& ctx, Runner& run);
void add_print_glyphs_command(CLI::App& app, const Context& ctx, Runner& run);

void add_serve_command(CLI::App& app, const Context& ctx, Runner& run);
void add_engine_sink_command(CLI::App& app, const Context& ctx, Runner& run);
void add_admin_command(CLI::App& app, const Context& ctx, Runner& run);
void add_ingest_command(CLI::App& app, const Context& ctx, Runner& run);

}  // namespace carescan::cli
