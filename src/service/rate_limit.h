#pragma once
// Per-key token buckets: each key may spend `burst` requests at once, refilled at `rate` per
// second.

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace carescan::service {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double rate_per_second, double burst) : rate_(rate_per_second), burst_(burst) {}

  // 0 when the request may go; else the whole seconds to wait before the next token.
  int take(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point refilled;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace carescan::service
