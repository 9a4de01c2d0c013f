// Several `carescan serve` processes on one PostgreSQL queue, the way a site that outgrew one
// machine runs them: one takes the uploads, two only read. Every page is read once, by one of
// them, and both take their share.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "harness.h"
#include "serve_process.h"
#include "store/postgres_server.h"

namespace carescan::testing {
namespace {

bool is_outcome(const std::string& state) {
  return state == "needs_review" || state == "accepted" || state == "rejected";
}

TEST(SharedQueue, TwoReaderProcessesOnOnePostgresQueueReadEveryPageOnce) {
  if (auto why = PostgresServer::unavailable_reason()) GTEST_SKIP() << *why;
  PostgresServer postgres;
  const std::string url = postgres.create_database();
  TempDir dir("shared_queue");
  const int port = free_port();
  Poco::JSON::Object::Ptr svc = new Poco::JSON::Object;
  svc->set("port", port);
  svc->set("lease_seconds", 60);
  svc->set("worker_idle_ms", 50);
  svc->set("password_iterations", 10000);
  svc->set("rate_per_second", 1000);
  svc->set("rate_burst", 1000);
  const auto config = write_config(dir.path(), dir.path() / "data", svc);
  {
    auto cfg = core::read_json_object(config);
    cfg->getObject("storage")->set("url", url);
    std::ofstream(config) << core::to_json(cfg, 2);
  }
  Accounts accounts;
  {
    auto store = store::open_store(url, dir.path() / "data");
    accounts = seed_accounts(*store, 10000);
  }
  ServeProcess intake(config, dir.path() / "intake.log", {"serve", "--intake-only"});
  ServeProcess reader1(config, dir.path() / "reader-1.log",
                       {"serve", "--workers-only", "--workers", "1", "--name", "reader-1"});
  ServeProcess reader2(config, dir.path() / "reader-2.log",
                       {"serve", "--workers-only", "--workers", "1", "--name", "reader-2"});
  intake.start();
  ASSERT_TRUE(wait_ready(port, std::chrono::seconds(60)));
  reader1.start();
  reader2.start();

  std::vector<std::string> documents;
  int page_total = 0;
  for (const char* f : {"0000-ambulatoire-scan.pdf", "0001-bundle-fax.tiff",
                        "0004-bundle-photocopy.pdf", "0009-dentaire-photo.jpg"}) {
    const Reply r =
        http(port, "POST", "/api/v1/documents", file_bytes(sample(f)), bearer(accounts.key_a));
    ASSERT_EQ(r.status, 202) << r.body;
    documents.push_back(r.header("Location"));
    page_total += r.json()->getValue<int>("page_count");
  }
  auto pages_of = [&](const std::string& d) {
    return http(port, "GET", d, "", bearer(accounts.key_a)).json()->getArray("pages");
  };
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& d : documents) {
          auto pages = pages_of(d);
          for (unsigned i = 0; i < pages->size(); ++i) {
            if (!is_outcome(pages->getObject(i)->getValue<std::string>("state"))) return false;
          }
        }
        return true;
      },
      std::chrono::seconds(300)));

  std::set<std::string> readers;
  int pages_seen = 0;
  for (const auto& d : documents) {
    const auto doc = http(port, "GET", d, "", bearer(accounts.key_a)).json();
    auto pages = doc->getArray("pages");
    for (unsigned i = 0; i < pages->size(); ++i, ++pages_seen) {
      auto history = pages->getObject(i)->getArray("transitions");
      int reads = 0;
      for (unsigned t = 0; t < history->size(); ++t) {
        const auto step = history->getObject(t);
        if (step->getValue<std::string>("to") != "processing") continue;
        ++reads;
        // A worker thread's actor is the process's name and the thread's number.
        const auto actor = step->getValue<std::string>("actor");
        readers.insert(actor.substr(0, actor.rfind('-')));
      }
      EXPECT_EQ(reads, 1) << d << " page " << i + 1 << " was leased " << reads << " times";
    }
    EXPECT_EQ(doc->getArray("claims")->size(), pages->size()) << d;
  }
  EXPECT_EQ(pages_seen, page_total);
  EXPECT_EQ(readers, (std::set<std::string>{"reader-1", "reader-2"}));
}

}  // namespace
}  // namespace carescan::testing
