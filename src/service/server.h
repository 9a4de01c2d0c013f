#pragma once
// `carescan serve` as an object: the store, the HTTP API, the mailroom watcher, the reading
// workers and the outbox, started together and stopped in the order that drains work.

#include <Poco/Net/HTTPServer.h>

#include <atomic>
#include <memory>
#include <string>

#include "core/config.h"
#include "forms/match.h"
#include "service/delivery.h"
#include "service/mailroom.h"
#include "service/metrics.h"
#include "service/rate_limit.h"
#include "service/router.h"
#include "service/workers.h"
#include "store/store.h"

namespace carescan::service {

struct ServeOptions {
  std::string store_url;      // empty: the config's storage.url
  bool workers_only = false;  // no HTTP, no outbox: one more reader on a shared PostgreSQL queue
  bool intake_only = false;   // HTTP and outbox, no readers: a front end before reader machines
  int workers = 0;            // 0: config.reader.workers
  std::string name;           // names this process's lease holders; empty: host-pid
};

class Service {
 public:
  Service(const core::Config& config, const ServeOptions& options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  void start();
  // Stops taking requests, lets the requests and pages in hand finish, then the outbox.
  void stop();
  [[nodiscard]] int port() const;  // the bound HTTP port (0 asked: the one the OS chose)

 private:
  // Starts the inbox watcher when config's mailroom.dir is set.
  void watch_mailroom();

  const core::Config& config_;
  ServeOptions options_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::BlobStore> blobs_;
  std::unique_ptr<forms::FormMatcher> matcher_;
  Metrics metrics_;
  RateLimiter limiter_;
  std::atomic<bool> ready_{false};
  std::unique_ptr<ServiceContext> context_;
  std::unique_ptr<Poco::Net::HTTPServer> http_;
  std::unique_ptr<PageWorkers> workers_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Mailroom> mailroom_;
  std::unique_ptr<MailroomWatcher> watcher_;
};

// SIGINT and SIGTERM are blocked in every thread, and the caller waits for one with sigwait:
// call before any thread starts, so that the threads inherit the mask.
void block_termination_signals();
// Returns the signal that arrived.
int wait_for_termination_signal();

}  // namespace carescan::service
