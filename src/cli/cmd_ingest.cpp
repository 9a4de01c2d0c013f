// `carescan ingest DIR`: the mailroom once, as a batch. Every file in DIR is queued in the
// configured store and moved to DIR/archive or DIR/failed (reason beside it); then, unless
// --queue-only, the pages are read here by the service's workers and the claims stored.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <thread>

#include "cli/commands.h"
#include "forms/template_loader.h"
#include "service/mailroom.h"
#include "service/metrics.h"
#include "service/workers.h"
#include "store/store.h"

namespace carescan::cli {
namespace {

struct IngestOptions {
  std::string dir;
  std::string office;  // empty: the configured mailroom office
  bool queue_only = false;
  int workers = 0;  // 0: the configured number
};

// One line redrawn in place on a terminal; silent when stderr is a file or a pipe.
class ProgressBar {
 public:
  ProgressBar() : tty_(::isatty(STDERR_FILENO) != 0) {}
  void show(const char* label, std::size_t done, std::size_t total) {
    if (!tty_ || total == 0) return;
    constexpr std::size_t kWidth = 32;
    const std::size_t filled = kWidth * done / total;
    std::fprintf(stderr, "\r%-7s [%s%s] %zu/%zu", label, std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '.').c_str(), done, total);
    std::fflush(stderr);
  }
  void finish() {
    if (tty_) std::fputs("\n", stderr);
  }

 private:
  bool tty_;
};

struct Summary {
  std::size_t files = 0, taken = 0, duplicates = 0, failed_files = 0;
  std::size_t pages = 0, accepted = 0, needs_review = 0, rejected = 0, failed_pages = 0,
              waiting = 0;
};

// Tallies the pages of `documents` by state; returns how many are still waiting to be read.
std::size_t tally(store::Store& store, const std::set<store::Id>& documents, Summary& s) {
  s.accepted = s.needs_review = s.rejected = s.failed_pages = s.waiting = 0;
  for (const auto id : documents) {
    for (const auto& page : store.document_pages(id)) {
      switch (page.state) {
        case store::PageState::kReceived:
        case store::PageState::kProcessing:
          ++s.waiting;
          break;
        case store::PageState::kAccepted:
        case store::PageState::kDelivered:
        case store::PageState::kDeadLetter:
          ++s.accepted;
          break;
        case store::PageState::kNeedsReview:
          ++s.needs_review;
          break;
        case store::PageState::kRejected:
          ++s.rejected;
          break;
        case store::PageState::kFailed:
          ++s.failed_pages;
          break;
      }
    }
  }
  return s.waiting;
}

int run_ingest(const Context& ctx, const IngestOptions& opts) {
  core::Config cfg = ctx.load();
  if (opts.workers > 0) cfg.reader.workers = opts.workers;
  const std::filesystem::path dir = opts.dir;
  if (!std::filesystem::is_directory(dir)) {
    std::cerr << "carescan: " << dir.string() << " is not a folder\n";
    return 2;
  }
  auto store = store::open_store(cfg.storage);
  store::BlobStore blobs(store::blob_root(cfg.storage));
  const std::string office_code = opts.office.empty() ? cfg.mailroom.office : opts.office;
  auto office = store->find_office_by_code(office_code);
  if (!office) office = store->create_office(office_code, office_code);

  // The batch folder is the inbox; archive/ and failed/ are made inside it.
  service::Mailroom mailroom(
      {dir, dir / "archive", dir / "failed"},
      service::store_receiver(*store, blobs, office->id, io::DecodeLimits::from(cfg.reader)));
  ProgressBar bar;
  Summary summary;
  std::set<store::Id> documents;
  const auto outcomes = mailroom.take_all(
      [&](const service::MailroomOutcome& o, std::size_t done, std::size_t total) {
        bar.show("files", done, total);
        if (!o.receipt.taken) {
          // The reason may quote the decoder; it never holds the sheet's content.
          if (::isatty(STDERR_FILENO)) std::fputs("\n", stderr);
          std::cerr << "carescan: " << o.name << ": " << o.receipt.reason << "\n";
        }
      });
  bar.finish();
  for (const auto& o : outcomes) {
    ++summary.files;
    if (!o.receipt.taken) {
      ++summary.failed_files;
      continue;
    }
    ++summary.taken;
    summary.duplicates += o.receipt.duplicate ? 1 : 0;
    if (documents.insert(o.receipt.document_id).second) summary.pages += o.receipt.pages;
  }

  if (!opts.queue_only && summary.pages > 0) {
    const forms::FormMatcher matcher(forms::load_templates(cfg.forms_dir), cfg.reader.matching);
    service::Metrics metrics;
    service::PageWorkers workers(cfg, *store, blobs, metrics, matcher, cfg.reader.workers,
                                 "ingest-" + std::to_string(::getpid()));
    while (tally(*store, documents, summary) > 0) {
      bar.show("pages", summary.pages - summary.waiting, summary.pages);
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    bar.show("pages", summary.pages, summary.pages);
    bar.finish();
    workers.stop();
  }
  tally(*store, documents, summary);

  std::printf("files: %zu  queued: %zu  (already received: %zu)  failed: %zu\n", summary.files,
              summary.taken, summary.duplicates, summary.failed_files);
  std::printf(
      "pages: %zu  accepted: %zu  needs_review: %zu  rejected: %zu  failed: %zu  waiting: %zu\n",
      summary.pages, summary.accepted, summary.needs_review, summary.rejected, summary.failed_pages,
      summary.waiting);
  std::printf("archive: %s  failed: %s\n", (dir / "archive").string().c_str(),
              (dir / "failed").string().c_str());
  return summary.failed_files == 0 ? 0 : 1;
}

}  // namespace

void add_ingest_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto opts = std::make_shared<IngestOptions>();
  auto* cmd = app.add_subcommand(
      "ingest",
      "queue every scan in DIR into the store, move each to DIR/archive or DIR/failed, "
      "and read the pages");
  cmd->add_option("dir", opts->dir, "folder of scans (PNG, JPEG, TIFF, PDF)")->required();
  cmd->add_option("--office", opts->office, "office code the documents belong to")
      ->default_str("the mailroom office from the config");
  cmd->add_flag("--queue-only", opts->queue_only,
                "only queue the documents; a running `carescan serve` reads them");
  cmd->add_option("--workers", opts->workers, "reading threads (default: reader.workers)");
  cmd->callback([&ctx, &run, opts] { run = [&ctx, opts] { return run_ingest(ctx, *opts); }; });
}

}  // namespace carescan::cli
