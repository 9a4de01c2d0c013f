#include "cli/scan_pool.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <exception>

#include "io/decode.h"
#include "pipeline/page_reader.h"

namespace carescan::cli {

ReaderPool::ReaderPool(const core::Config& config, const forms::FormMatcher& matcher, int workers) {
  const int n = std::max(1, workers);
  capacity_ = 2 * static_cast<size_t>(n);
  for (int i = 0; i < n; ++i) {
    threads_.emplace_back([this, &config, &matcher] { work(config, matcher); });
  }
}

ReaderPool::~ReaderPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

std::future<core::PageReading> ReaderPool::submit(core::Page page) {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [this] { return jobs_.size() < capacity_; });
  jobs_.push_back(Job{std::move(page), {}});
  auto future = jobs_.back().result.get_future();
  lock.unlock();
  ready_.notify_one();
  return future;
}

void ReaderPool::work(const core::Config& config, const forms::FormMatcher& matcher) {
  std::unique_ptr<pipeline::PageReader> reader;
  std::exception_ptr startup_error;
  try {
    reader = std::make_unique<pipeline::PageReader>(config, matcher);
  } catch (...) {
    startup_error = std::current_exception();
  }
  for (;;) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    room_.notify_one();
    if (startup_error) {
      job.result.set_exception(startup_error);
      continue;
    }
    try {
      job.result.set_value(reader->read(job.page));
    } catch (...) {
      job.result.set_exception(std::current_exception());
    }
  }
}

namespace {

struct Pending {
  ScannedFile file;
  std::vector<std::future<core::PageReading>> futures;
};

bool all_ready(const Pending& p) {
  for (const auto& f : p.futures) {
    if (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  }
  return true;
}

void finish(Pending& p, const std::function<void(ScannedFile&&)>& done) {
  for (size_t i = 0; i < p.futures.size(); ++i) {
    try {
      p.file.readings.push_back(p.futures[i].get());
    } catch (const std::exception& e) {
      if (p.file.error.empty()) {
        p.file.error = "page " + std::to_string(i + 1) + " could not be read: " + e.what();
      }
    }
  }
  if (!p.file.error.empty()) p.file.readings.clear();
  done(std::move(p.file));
}

}  // namespace

void scan_files(const std::vector<std::filesystem::path>& files, const core::Config& config,
                ReaderPool& pool, const std::function<void(ScannedFile&&)>& done) {
  const auto limits = io::DecodeLimits::from(config.reader);
  std::deque<Pending> pending;
  auto drain = [&](bool wait) {
    while (!pending.empty() && (wait || all_ready(pending.front()))) {
      finish(pending.front(), done);
      pending.pop_front();
    }
  };
  for (const auto& path : files) {
    Pending p;
    p.file.file = path;
    const auto start = std::chrono::steady_clock::now();
    try {
      io::Document doc = io::decode_file(path, limits);
      p.file.sha256 = doc.sha256;
      p.file.decode_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (auto& page : doc.pages) {
        p.file.pages_meta.push_back(core::Page{cv::Mat(), page.number, page.dpi});
        p.futures.push_back(pool.submit(std::move(page)));
      }
      if (doc.pages.empty()) p.file.error = "no pages";
    } catch (const std::exception& e) {
      p.file.error = e.what();
      p.futures.clear();
    }
    pending.push_back(std::move(p));
    drain(false);
  }
  drain(true);
}

core::Date reference_day(const core::Config& config) {
  if (config.claims.today) return *config.claims.today;
  const auto now = std::chrono::system_clock::now();
  const auto days = std::chrono::duration_cast<std::chrono::days>(now.time_since_epoch()).count();
  return core::Date::from_days_since_epoch(static_cast<long>(days));
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void limit_openmp_threads(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed: carry on; Tesseract may then use more threads than there are cores.
}

}  // namespace carescan::cli
