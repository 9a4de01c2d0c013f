#pragma once
// The reading workers: each thread owns a PageReader (its own Tesseract), leases a page from the
// store's queue, reads it into a claim and completes it in one transaction.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.h"
#include "forms/match.h"
#include "service/metrics.h"
#include "store/store.h"

namespace carescan::service {

// The claim's channel in the contract ("upload", "mailroom", "cli") for the store's channel.
[[nodiscard]] std::string contract_channel(const std::string& store_channel);

class PageWorkers {
 public:
  // Starts `count` threads named "<name>-<i>" (the lease holder names in the store).
  PageWorkers(const core::Config& config, store::Store& store, store::BlobStore& blobs,
              Metrics& metrics, const forms::FormMatcher& matcher, int count, std::string name);
  ~PageWorkers();
  PageWorkers(const PageWorkers&) = delete;
  PageWorkers& operator=(const PageWorkers&) = delete;

  // Lets each thread finish the page it holds, then joins them: nothing is left half-done, and
  // what is not started stays queued for the next start.
  void stop();

 private:
  void run(const std::string& worker);

  const core::Config& config_;
  store::Store& store_;
  store::BlobStore& blobs_;
  Metrics& metrics_;
  const forms::FormMatcher& matcher_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace carescan::service
