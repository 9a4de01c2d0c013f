#pragma once
// What the API's handlers share: the configuration, the store, the metrics and the limiter.

#include <atomic>

#include "core/config.h"
#include "service/metrics.h"
#include "service/rate_limit.h"
#include "store/store.h"

namespace carescan::service {

struct ServiceContext {
  const core::Config& config;
  store::Store& store;
  store::BlobStore& blobs;
  Metrics& metrics;
  RateLimiter& limiter;
  std::atomic<bool>& ready;  // set once the store answered and the workers started
  bool tls = false;
};

}  // namespace carescan::service
