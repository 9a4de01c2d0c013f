// Throughput of the reading queue alone (no reading): pages leased and completed per second by
// N workers, each with its own store connection, on SQLite and on a PostgreSQL server it starts.
// Usage: store_bench [pages] [workers]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "postgres_server.h"
#include "store/store.h"

namespace {

double run(const std::string& url, const std::filesystem::path& dir, int pages, int workers) {
  {
    auto store = carescan::store::open_store(url, dir);
    const auto office = store->create_office("bench", "Bench");
    for (int n = 0; n < pages; ++n) {
      const std::string hex = std::to_string(n);
      store->add_document(
          {office.id, std::string(64 - hex.size(), 'b') + hex, "f.png", "image/png", 1, 1, "api"});
    }
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers));
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      auto store = carescan::store::open_store(url, dir);
      const std::string name = "w" + std::to_string(w);
      while (auto lease = store->lease_next_page(name, 60)) {
        carescan::store::PageResult result;
        result.claim_id = lease->document.sha256;
        result.state = carescan::store::PageState::kAccepted;
        result.json = std::string(4000, 'x');  // about a claim's size
        store->complete_page(lease->page.id, name, result);
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return pages / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int pages = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int workers = argc > 2 ? std::atoi(argv[2]) : 4;
  std::string pattern = (std::filesystem::temp_directory_path() / "carescan-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return 1;
  const std::filesystem::path dir = pattern;
  std::printf("%d pages, %d workers: lease + complete (claim + outbox + transitions)\n", pages,
              workers);
  std::printf("SQLite (WAL, synchronous=FULL): %.0f pages/s\n",
              run("sqlite:bench.db", dir, pages, workers));
  if (!carescan::testing::PostgresServer::unavailable_reason()) {
    carescan::testing::PostgresServer server;
    std::printf("PostgreSQL 15 (fsync off, test server): %.0f pages/s\n",
                run(server.create_database(), dir, pages, workers));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
