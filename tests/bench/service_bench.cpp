// Upload-to-claim latency and throughput of `carescan serve` under a steady load on loopback.
//
//   service_bench DIR [--rate PAGES_PER_S] [--workers N]
//
// Starts the binary on a fresh SQLite store, sends every PNG/JPEG/TIFF/PDF of DIR as one office
// at the offered rate (0: all at once, for the peak throughput), and waits for every page's
// claim. Latency is the claim's creation time in the store minus the moment the upload began
// (one host, one clock), so it includes the upload, intake checks, queueing and reading.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "service/harness.h"
#include "service/serve_process.h"
#include "service/views.h"

namespace {

using namespace carescan;
using namespace carescan::testing;

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

struct Sent {
  std::string location;
  store::Time started;
  int pages = 0;
};

int run(const std::filesystem::path& dir, double rate, int workers) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto ext = e.path().extension().string();
    if (ext == ".png" || ext == ".jpg" || ext == ".tiff" || ext == ".tif" || ext == ".pdf") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "no scans in " << dir << "\n";
    return 2;
  }
  TempDir work("bench");
  const int port = free_port();
  Poco::JSON::Object::Ptr svc = new Poco::JSON::Object;
  svc->set("port", port);
  svc->set("worker_idle_ms", 20);
  svc->set("rate_per_second", 1000);
  svc->set("rate_burst", 1000);
  svc->set("max_queued_pages", 100000);
  svc->set("engine_url", Poco::Dynamic::Var());
  const auto config = write_config(work.path(), work.path() / "data", svc);
  std::string key;
  {
    auto store = store::open_store("sqlite:carescan.db", work.path() / "data");
    const auto office = store->create_office("bench", "Benchmark office");
    key = service::new_api_key();
    store->add_api_key(office.id, key.substr(0, 12), service::token_hash(key), "bench");
  }
  ServeProcess serve(config, work.path() / "serve.log",
                     {"serve", "--workers", std::to_string(workers)});
  serve.start();
  if (!wait_ready(port, std::chrono::seconds(60))) {
    std::cerr << "serve did not start; see its log\n";
    return 1;
  }

  std::vector<Sent> sent;
  const auto t0 = std::chrono::steady_clock::now();
  double offered_pages = 0;
  for (const auto& f : files) {
    if (rate > 0) {
      std::this_thread::sleep_until(t0 + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::duration<double>(offered_pages / rate)));
    }
    Sent s;
    s.started = service::now_ms();
    const Reply r = http(port, "POST", "/api/v1/documents", file_bytes(f), bearer(key));
    if (r.status != 202) {
      std::cerr << f.filename() << ": " << r.status << " " << r.body << "\n";
      continue;
    }
    s.location = r.header("Location");
    s.pages = r.json()->getValue<int>("page_count");
    offered_pages += s.pages;
    sent.push_back(s);
  }

  std::vector<double> latencies;
  store::Time last_claim = sent.front().started;
  for (const auto& s : sent) {
    Poco::JSON::Object::Ptr doc;
    wait_until(
        [&] {
          doc = http(port, "GET", s.location, "", bearer(key)).json();
          return doc->getValue<std::string>("state") == "done";
        },
        std::chrono::seconds(3600));
    auto claims = doc->getArray("claims");
    for (unsigned i = 0; i < claims->size(); ++i) {
      const auto created =
          service::parse_time(claims->getObject(i)->getValue<std::string>("created_at"));
      latencies.push_back(std::chrono::duration<double>(*created - s.started).count());
      last_claim = std::max(last_claim, *created);
    }
  }
  const double span = std::chrono::duration<double>(last_claim - sent.front().started).count();
  serve.terminate();

  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("files %zu, pages %zu, workers %d, offered %s pages/s\n", sent.size(),
              latencies.size(), workers, rate > 0 ? std::to_string(rate).c_str() : "all at once");
  std::printf("upload->claim latency  p50 %.2f s   p95 %.2f s   p99 %.2f s   max %.2f s\n",
              percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
              percentile(latencies, 100));
  std::printf("throughput             %.2f pages/s (first upload to last claim, %.1f s)\n",
              static_cast<double>(latencies.size()) / span, span);
  std::printf("load average at end    %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: service_bench DIR [--rate PAGES_PER_S] [--workers N]\n";
    return 2;
  }
  double rate = 1.0;
  int workers = 2;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rate") rate = std::atof(argv[i + 1]);
    if (flag == "--workers") workers = std::atoi(argv[i + 1]);
  }
  try {
    return run(argv[1], rate, workers);
  } catch (const std::exception& e) {
    std::cerr << "service_bench: " << e.what() << "\n";
    return 1;
  }
}
