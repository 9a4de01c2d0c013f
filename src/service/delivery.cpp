#include "service/delivery.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <chrono>
#include <memory>

#include "service/log.h"

namespace carescan::service {

PostResult post_claim(const std::string& url, const std::string& claim_id, const std::string& json,
                      int timeout_seconds) {
  PostResult result;
  try {
    const Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(timeout_seconds, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(json.size()));
    request.set("Idempotency-Key", claim_id);
    session->sendRequest(request).write(json.data(), static_cast<std::streamsize>(json.size()));
    Poco::Net::HTTPResponse response;
    auto& body = session->receiveResponse(response);
    body.ignore(std::numeric_limits<std::streamsize>::max());
    result.status = static_cast<int>(response.getStatus());
    result.delivered = result.status >= 200 && result.status < 300;
    if (!result.delivered) {
      result.error =
          "engine answered " + std::to_string(result.status) + " " + response.getReason();
    }
  } catch (const Poco::Exception& e) {
    result.error = e.displayText();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

Outbox::Outbox(const core::ServiceConfig& config, store::Store& store, Metrics& metrics,
               std::string worker_name)
    : config_(config), store_(store), metrics_(metrics), worker_(std::move(worker_name)) {
  thread_ = std::thread([this] { run(); });
}

Outbox::~Outbox() {
  stop();
}

void Outbox::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Outbox::run() {
  // A lease outlives one POST's timeout, so that no other sender takes the claim meanwhile.
  const int lease_seconds = 2 * config_.delivery_timeout_seconds + 5;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::vector<store::Delivery> due;
    try {
      due = store_.lease_due_deliveries(worker_, 8, lease_seconds);
    } catch (const std::exception& e) {
      log_event("error", "outbox.lease_failed", {{"error", e.what()}});
    }
    for (const auto& d : due) deliver(d);
    if (due.empty()) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(config_.worker_idle_ms),
                     [this] { return stopping_; });
    }
  }
}

void Outbox::deliver(const store::Delivery& delivery) {
  const auto start = std::chrono::steady_clock::now();
  const PostResult r = post_claim(config_.engine_url, delivery.claim_id, delivery.json,
                                  config_.delivery_timeout_seconds);
  metrics_.delivery_latency.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  try {
    if (r.delivered) {
      store_.delivery_succeeded(delivery.claim_id);
      ++metrics_.deliveries_ok;
      log_event("info", "delivery.delivered",
                {{"claim_id", delivery.claim_id}, {"status", std::to_string(r.status)}});
      return;
    }
    ++metrics_.delivery_failures;
    const store::RetryPolicy policy{config_.delivery_max_attempts, config_.delivery_backoff_seconds,
                                    config_.delivery_backoff_max_seconds};
    const auto state = store_.delivery_failed(delivery.claim_id, r.error, policy);
    if (state == store::DeliveryState::kDeadLetter) ++metrics_.dead_letters;
    log_event("warn", "delivery.failed",
              {{"claim_id", delivery.claim_id},
               {"attempt", std::to_string(delivery.attempts + 1)},
               {"error", r.error},
               {"state", std::string(store::to_string(state))}});
  } catch (const std::exception& e) {
    log_event("error", "delivery.store_failed",
              {{"claim_id", delivery.claim_id}, {"error", e.what()}});
  }
}

}  // namespace carescan::service
