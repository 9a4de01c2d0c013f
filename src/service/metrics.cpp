#include "service/metrics.h"

#include <sstream>

namespace carescan::service {

void Histogram::observe(double seconds) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += seconds;
}

std::string Histogram::render(const std::string& name, const std::string& help) const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
  for (size_t i = 0; i < kBounds.size(); ++i) {
    out << name << "_bucket{le=\"" << kBounds[i] << "\"} " << buckets_[i] << "\n";
  }
  out << name << "_bucket{le=\"+Inf\"} " << count_ << "\n";
  out << name << "_sum " << sum_ << "\n" << name << "_count " << count_ << "\n";
  return out.str();
}

namespace {

void counter(std::ostringstream& out, const std::string& name, const std::string& help,
             const std::atomic<std::uint64_t>& value) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n"
      << name << " " << value.load() << "\n";
}

}  // namespace

std::string Metrics::render() const {
  std::ostringstream out;
  counter(out, "carescan_documents_received_total", "Documents accepted for reading.",
          documents_received);
  counter(out, "carescan_documents_refused_total",
          "Uploads refused (bad input, too large, queue full).", documents_refused);
  counter(out, "carescan_pages_processed_total", "Pages read into a claim.", pages_processed);
  counter(out, "carescan_page_failures_total", "Pages whose reading raised an error.",
          page_failures);
  counter(out, "carescan_deliveries_total", "Claims the engine acknowledged.", deliveries_ok);
  counter(out, "carescan_delivery_failures_total", "Failed delivery attempts.", delivery_failures);
  counter(out, "carescan_dead_letters_total", "Claims given up after the last attempt.",
          dead_letters);
  counter(out, "carescan_rate_limited_total", "Requests refused by a key's rate limit.",
          rate_limited);
  out << page_latency.render("carescan_page_latency_seconds", "From upload to the page's claim.");
  out << delivery_latency.render("carescan_delivery_latency_seconds",
                                 "One delivery POST to the engine.");
  if (gauges) {
    for (const auto& [name, value] : gauges()) {
      out << "# TYPE " << name << " gauge\n" << name << " " << value << "\n";
    }
  }
  return out.str();
}

}  // namespace carescan::service
