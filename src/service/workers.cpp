#include "service/workers.h"

#include <chrono>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <optional>

#include "claim/claim.h"
#include "claim/claim_json.h"
#include "io/decode.h"
#include "pipeline/page_reader.h"
#include "service/log.h"
#include "service/views.h"

namespace carescan::service {
namespace {

// What one thread keeps between pages: its reader, and the last document it decoded, since the
// pages of one file usually come one after another and a PDF costs most to rasterise.
struct WorkerState {
  std::unique_ptr<pipeline::PageReader> reader;
  std::string cached_sha;
  std::optional<io::Document> cached;
};

store::PageState page_state(claim::Status status) {
  switch (status) {
    case claim::Status::kAccepted:
      return store::PageState::kAccepted;
    case claim::Status::kRejected:
      return store::PageState::kRejected;
    case claim::Status::kNeedsReview:
      break;
  }
  return store::PageState::kNeedsReview;
}

const core::Page& page_of(WorkerState& state, store::BlobStore& blobs, const core::Config& config,
                          const store::PageLease& lease) {
  if (!state.cached || state.cached_sha != lease.document.sha256) {
    state.cached.reset();
    state.cached =
        io::decode_bytes(blobs.get(lease.document.sha256), io::DecodeLimits::from(config.reader));
    state.cached_sha = lease.document.sha256;
  }
  const int index = lease.page.index;
  if (index < 1 || index > static_cast<int>(state.cached->pages.size())) {
    throw std::runtime_error("page " + std::to_string(index) + " is not in the document");
  }
  return state.cached->pages[static_cast<size_t>(index - 1)];
}

store::PageResult read_page(WorkerState& state, const core::Config& config, store::Store& store,
                            store::BlobStore& blobs, const store::PageLease& lease) {
  const core::Page& page = page_of(state, blobs, config, lease);
  core::PageReading reading = state.reader->read(page);
  const auto office = store.find_office(lease.document.office_id);
  claim::DocumentRef ref{lease.document.sha256, lease.page.index,
                         contract_channel(lease.document.channel),
                         office ? std::optional<std::string>(office->code) : std::nullopt,
                         iso_time(lease.document.received_at)};
  const claim::Claim c = claim::build_claim(std::move(ref), std::move(reading), config,
                                            day_of_receipt(config, lease.document.received_at));
  store::PageResult result;
  result.claim_id = c.claim_id;
  result.state = page_state(c.decision.status);
  result.json = claim::to_json_line(c);
  // The page as read, for the reviewer's screen; a fast PNG since it is written once per page.
  std::vector<uchar> png;
  if (cv::imencode(".png", page.image, png, {cv::IMWRITE_PNG_COMPRESSION, 1})) {
    result.image_sha256 =
        blobs.put(std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
  }
  return result;
}

}  // namespace

std::string contract_channel(const std::string& store_channel) {
  if (store_channel == "api") return "upload";
  if (store_channel == "mailroom") return "mailroom";
  return "cli";
}

PageWorkers::PageWorkers(const core::Config& config, store::Store& store, store::BlobStore& blobs,
                         Metrics& metrics, const forms::FormMatcher& matcher, int count,
                         std::string name)
    : config_(config), store_(store), blobs_(blobs), metrics_(metrics), matcher_(matcher) {
  for (int i = 0; i < std::max(1, count); ++i) {
    threads_.emplace_back([this, worker = name + "-" + std::to_string(i + 1)] { run(worker); });
  }
}

PageWorkers::~PageWorkers() {
  stop();
}

void PageWorkers::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void PageWorkers::run(const std::string& worker) {
  WorkerState state;
  try {
    state.reader = std::make_unique<pipeline::PageReader>(config_, matcher_);
  } catch (const std::exception& e) {
    log_event("error", "worker.start_failed", {{"worker", worker}, {"error", e.what()}});
    return;
  }
  const int lease_seconds = config_.service.lease_seconds;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::optional<store::PageLease> lease;
    try {
      lease = store_.lease_next_page(worker, lease_seconds);
    } catch (const std::exception& e) {
      log_event("error", "worker.lease_failed", {{"worker", worker}, {"error", e.what()}});
    }
    if (!lease) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(config_.service.worker_idle_ms),
                     [this] { return stopping_; });
      continue;
    }
    const std::string page_id = std::to_string(lease->page.id);
    try {
      const store::PageResult result = read_page(state, config_, store_, blobs_, *lease);
      const auto done = store_.complete_page(lease->page.id, worker, result);
      if (done == store::CompleteResult::kLeaseLost) {
        log_event("warn", "page.lease_lost", {{"worker", worker}, {"page_id", page_id}});
        continue;
      }
      ++metrics_.pages_processed;
      metrics_.page_latency.observe(
          std::chrono::duration<double>(now_ms() - lease->document.received_at).count());
      log_event("info", "page.read",
                {{"worker", worker},
                 {"page_id", page_id},
                 {"claim_id", result.claim_id},
                 {"state", std::string(store::to_string(result.state))}});
    } catch (const std::exception& e) {
      ++metrics_.page_failures;
      state.cached.reset();
      try {
        const auto now_state = store_.fail_page(lease->page.id, worker, e.what());
        log_event("error", "page.failed",
                  {{"worker", worker},
                   {"page_id", page_id},
                   {"error", e.what()},
                   {"state", std::string(store::to_string(now_state))}});
      } catch (const std::exception& again) {
        log_event("error", "page.fail_not_stored", {{"page_id", page_id}, {"error", again.what()}});
      }
    }
  }
}

}  // namespace carescan::service
