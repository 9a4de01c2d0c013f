#pragma once
// The service's Prometheus figures: counters and a latency histogram kept in memory, and gauges
// (queue depth, review backlog) read from the store when scraped.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace carescan::service {

class Histogram {
 public:
  void observe(double seconds);
  // Prometheus text lines for `name` (…_bucket, …_sum, …_count).
  [[nodiscard]] std::string render(const std::string& name, const std::string& help) const;

 private:
  // Upload-to-claim spans a fraction of a second (an idle worker) to minutes (a long queue).
  static constexpr std::array<double, 12> kBounds{0.1, 0.25, 0.5, 1,   2,   5,
                                                  10,  30,   60,  120, 300, 600};
  mutable std::mutex mutex_;
  std::array<std::uint64_t, kBounds.size()> buckets_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

struct Metrics {
  std::atomic<std::uint64_t> documents_received{0};
  std::atomic<std::uint64_t> documents_refused{0};  // bad input, too large, queue full
  std::atomic<std::uint64_t> pages_processed{0};
  std::atomic<std::uint64_t> page_failures{0};
  std::atomic<std::uint64_t> deliveries_ok{0};
  std::atomic<std::uint64_t> delivery_failures{0};
  std::atomic<std::uint64_t> dead_letters{0};
  std::atomic<std::uint64_t> rate_limited{0};
  Histogram page_latency;      // from upload to the page's claim
  Histogram delivery_latency;  // one POST to the engine
  // Read when scraped: gauge name -> value (queue depth, review backlog, from the store).
  std::function<std::map<std::string, double>()> gauges;

  [[nodiscard]] std::string render() const;
};

}  // namespace carescan::service
