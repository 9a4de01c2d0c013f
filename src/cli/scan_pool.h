#pragma once
// Reads the pages of many files on a fixed set of worker threads, each owning its PageReader,
// and hands back the files in input order as soon as each is complete.

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "core/page.h"
#include "core/reading.h"
#include "forms/match.h"

namespace carescan::cli {

class ReaderPool {
 public:
  // Starts `workers` threads; each builds its own PageReader (its own Tesseract).
  ReaderPool(const core::Config& config, const forms::FormMatcher& matcher, int workers);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // Blocks while 2 x workers pages wait, so that decoded images do not pile up in memory.
  std::future<core::PageReading> submit(core::Page page);
  [[nodiscard]] int workers() const { return static_cast<int>(threads_.size()); }

 private:
  struct Job {
    core::Page page;
    std::promise<core::PageReading> result;
  };
  void work(const core::Config& config, const forms::FormMatcher& matcher);

  std::mutex mutex_;
  std::condition_variable ready_;  // a job was queued, or stopping
  std::condition_variable room_;   // a job was taken
  std::deque<Job> jobs_;
  size_t capacity_ = 2;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

struct ScannedFile {
  std::filesystem::path file;
  std::string sha256;
  std::string error;  // the file could not be decoded or read: a user-facing reason
  std::vector<core::Page> pages_meta;       // number and dpi of each page (images dropped)
  std::vector<core::PageReading> readings;  // one per page, in page order
  double decode_seconds = 0;
};

// Decodes `files` one after the other on the calling thread, reads their pages on `pool`, and
// calls `done` for each file in input order. A file that fails carries `error`, no readings.
void scan_files(const std::vector<std::filesystem::path>& files, const core::Config& config,
                ReaderPool& pool, const std::function<void(ScannedFile&&)>& done);

// The day of receipt for the date rules: config's `claims.today` when pinned, else today (UTC).
core::Date reference_day(const core::Config& config);
// Now, ISO 8601 UTC ("2025-03-20T09:00:00Z").
std::string utc_timestamp();

// Tesseract is built with OpenMP, whose thread limit is read once when the library loads: with
// one Tesseract per worker, each must stay on one thread. Re-executes the process with
// OMP_THREAD_LIMIT=1 when it is not set; returns only when no re-exec was needed or possible.
void limit_openmp_threads(char** argv);

}  // namespace carescan::cli
