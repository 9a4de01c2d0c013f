#include "service/server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <signal.h>
#include <unistd.h>

#include "forms/template_loader.h"
#include "io/decode.h"
#include "service/log.h"

namespace carescan::service {
namespace {

Poco::Net::ServerSocket listen_socket(const core::ServiceConfig& svc) {
  const Poco::Net::SocketAddress address(svc.listen_address, static_cast<uint16_t>(svc.port));
  if (svc.tls_cert.empty()) return Poco::Net::ServerSocket(address);
  Poco::Net::Context::Ptr tls =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, svc.tls_key.string(),
                             svc.tls_cert.string(), "", Poco::Net::Context::VERIFY_NONE);
  // TLS 1.2 is the oldest that still serves health data (ANSSI / NIST SP 800-52r2).
  tls->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                        Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  return Poco::Net::SecureServerSocket(address, 64, tls);
}

std::string default_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(::getpid());
}

}  // namespace

Service::Service(const core::Config& config, const ServeOptions& options)
    : config_(config),
      options_(options),
      limiter_(config.service.rate_per_second, config.service.rate_burst) {
  if (options_.name.empty()) options_.name = default_name();
  core::StorageConfig storage = config.storage;
  if (!options_.store_url.empty()) storage.url = options_.store_url;
  store_ = store::open_store(storage);
  blobs_ = std::make_unique<store::BlobStore>(store::blob_root(storage));
  matcher_ = std::make_unique<forms::FormMatcher>(forms::load_templates(config.forms_dir),
                                                  config.reader.matching);
  metrics_.gauges = [store = store_.get()] {
    const auto c = store->counts();
    return std::map<std::string, double>{
        {"carescan_queue_depth", static_cast<double>(c.received)},
        {"carescan_pages_processing", static_cast<double>(c.processing)},
        {"carescan_review_backlog", static_cast<double>(c.needs_review)},
        {"carescan_pages_failed", static_cast<double>(c.failed)},
        {"carescan_deliveries_pending", static_cast<double>(c.deliveries_pending)},
        {"carescan_deliveries_dead_letter", static_cast<double>(c.deliveries_dead)},
    };
  };
  context_ = std::make_unique<ServiceContext>(ServiceContext{
      config_, *store_, *blobs_, metrics_, limiter_, ready_, !config.service.tls_cert.empty()});
}

Service::~Service() {
  stop();
}

void Service::start() {
  const int workers = options_.workers > 0 ? options_.workers : config_.reader.workers;
  if (!options_.intake_only) {
    workers_ = std::make_unique<PageWorkers>(config_, *store_, *blobs_, metrics_, *matcher_,
                                             workers, options_.name);
  }
  if (!options_.workers_only) {
    if (!config_.service.engine_url.empty()) {
      outbox_ =
          std::make_unique<Outbox>(config_.service, *store_, metrics_, options_.name + "-outbox");
    }
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config_.service.http_threads);
    params->setMaxQueued(4 * config_.service.http_threads);
    params->setKeepAlive(true);
    http_ = std::make_unique<Poco::Net::HTTPServer>(new RequestRouter(*context_, api_routes()),
                                                    listen_socket(config_.service), params);
    http_->start();
    watch_mailroom();
  }
  ready_ = true;
  log_event("info", "service.started",
            {{"name", options_.name},
             {"port", std::to_string(port())},
             {"workers", std::to_string(workers)},
             {"http", options_.workers_only ? "off" : (context_->tls ? "https" : "http")}});
}

void Service::watch_mailroom() {
  const auto& mr = config_.mailroom;
  if (mr.dir.empty()) return;
  auto office = store_->find_office_by_code(mr.office);
  if (!office) office = store_->create_office(mr.office, mr.office);
  const auto dirs = MailroomDirs::under(mr.dir);
  dirs.create();
  mailroom_ = std::make_unique<Mailroom>(
      dirs, store_receiver(*store_, *blobs_, office->id, io::DecodeLimits::from(config_.reader)));
  // File names are the scanner's and may carry a name: the log keeps the document id only.
  watcher_ = std::make_unique<MailroomWatcher>(
      *mailroom_, std::chrono::milliseconds(static_cast<long>(mr.poll_seconds * 1000)),
      [](const MailroomOutcome& o) {
        log_event(o.receipt.taken ? "info" : "warn",
                  o.receipt.taken ? "mailroom.taken" : "mailroom.refused",
                  {{"document_id", std::to_string(o.receipt.document_id)},
                   {"pages", std::to_string(o.receipt.pages)},
                   {"duplicate", o.receipt.duplicate ? "true" : "false"},
                   {"reason", o.receipt.reason}});
      });
}

void Service::stop() {
  if (!ready_.exchange(false) && !workers_ && !http_) return;
  log_event("info", "service.stopping", {{"name", options_.name}});
  // Requests in hand finish (an upload is stored or not at all); no new ones are taken.
  if (http_) http_->stopAll(false);
  if (watcher_) watcher_->stop();
  if (workers_) workers_->stop();
  if (outbox_) outbox_->stop();
  http_.reset();
  workers_.reset();
  outbox_.reset();
  watcher_.reset();
  mailroom_.reset();
  log_event("info", "service.stopped", {{"name", options_.name}});
}

int Service::port() const {
  return http_ ? http_->port() : 0;
}

void block_termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_termination_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace carescan::service
