#pragma once
// Delivery of accepted claims to the reimbursement engine: one POST, and the outbox loop that
// drains the store's delivery queue with retries.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/config.h"
#include "service/metrics.h"
#include "store/store.h"

namespace carescan::service {

struct PostResult {
  bool delivered = false;  // the engine answered 2xx
  int status = 0;          // HTTP status; 0 when no answer came
  std::string error;       // why not delivered, for the outbox's last_error
};

// POSTs `json` to `url` (http or https) with `Idempotency-Key: <claim_id>`.
PostResult post_claim(const std::string& url, const std::string& claim_id, const std::string& json,
                      int timeout_seconds);

// One thread that leases due deliveries and posts them until stopped.
class Outbox {
 public:
  Outbox(const core::ServiceConfig& config, store::Store& store, Metrics& metrics,
         std::string worker_name);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Finishes the post in flight, then returns.
  void stop();

 private:
  void run();
  void deliver(const store::Delivery& delivery);

  const core::ServiceConfig& config_;
  store::Store& store_;
  Metrics& metrics_;
  std::string worker_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace carescan::service
