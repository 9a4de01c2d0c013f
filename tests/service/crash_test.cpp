// `kill -9` of the serve process while it reads and while it delivers, then a restart: every
// page ends in exactly one outcome, with one claim, and the engine holds each accepted claim once.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <set>

#include "harness.h"
#include "serve_process.h"
#include "service/engine_sink.h"

namespace carescan::testing {
namespace {

const std::vector<std::string> kFiles = {"0000-ambulatoire-scan.pdf",  "0001-bundle-fax.tiff",
                                         "0003-ambulatoire-photo.jpg", "0004-bundle-photocopy.pdf",
                                         "0007-ald-scan.pdf",          "0008-distractor-fax.tiff",
                                         "0009-dentaire-photo.jpg"};

bool is_outcome(const std::string& state) {
  return state == "needs_review" || state == "accepted" || state == "rejected";
}

bool is_terminal(const std::string& state) {
  return state == "needs_review" || state == "rejected" || state == "delivered" ||
         state == "dead_letter" || state == "failed";
}

// The insured names and CINs that the samples carry, from their truth files.
std::vector<std::string> personal_values() {
  std::vector<std::string> out;
  for (const auto& f : kFiles) {
    auto truth = core::read_json_object(sample(f.substr(0, f.rfind('.')) + ".truth.json"));
    auto pages = truth->getArray("pages");
    for (unsigned i = 0; i < pages->size(); ++i) {
      auto fields = pages->getObject(i)->getObject("fields");
      if (!fields) continue;
      for (const char* key : {"insured_name", "cin"}) {
        if (fields->has(key) && !fields->isNull(key))
          out.push_back(fields->getValue<std::string>(key));
      }
    }
  }
  return out;
}

TEST(CrashRecovery, KillNineWhileReadingAndDeliveringLosesAndDuplicatesNothing) {
  TempDir dir("crash");
  TempDir sink_dir("crash_sink");
  service::EngineSink sink("127.0.0.1", 0, sink_dir.path());
  sink.start();
  const int port = free_port();
  Poco::JSON::Object::Ptr svc = new Poco::JSON::Object;
  svc->set("port", port);
  // A dead worker's page returns to the queue after this; long enough that a slow read on a
  // busy machine keeps its lease (a page read by two workers in turn is not what is tested).
  svc->set("lease_seconds", 15);
  svc->set("worker_idle_ms", 50);
  svc->set("password_iterations", 10000);
  svc->set("rate_per_second", 1000);
  svc->set("rate_burst", 1000);
  svc->set("engine_url", "http://127.0.0.1:" + std::to_string(sink.port()) + "/claims");
  Poco::JSON::Object::Ptr delivery = new Poco::JSON::Object;
  delivery->set("backoff_seconds", 0.2);
  delivery->set("backoff_max_seconds", 1);
  delivery->set("timeout_seconds", 2);
  svc->set("delivery", delivery);
  const auto config = write_config(dir.path(), dir.path() / "data", svc);
  Accounts accounts;
  {
    auto store = store::open_store("sqlite:carescan.db", dir.path() / "data");
    accounts = seed_accounts(*store, 10000);
  }
  const auto log = dir.path() / "serve.log";
  auto serve = std::make_unique<ServeProcess>(config, log, std::vector<std::string>{"serve"});
  serve->start();
  ASSERT_TRUE(wait_ready(port, std::chrono::seconds(60)));

  std::vector<std::string> documents;
  int page_total = 0;
  for (const auto& f : kFiles) {
    const Reply r =
        http(port, "POST", "/api/v1/documents", file_bytes(sample(f)), bearer(accounts.key_a));
    ASSERT_EQ(r.status, 202) << r.body;
    documents.push_back(r.header("Location"));
    page_total += r.json()->getValue<int>("page_count");
  }
  auto page_states = [&] {
    std::vector<std::string> states;
    for (const auto& d : documents) {
      auto pages = http(port, "GET", d, "", bearer(accounts.key_a)).json()->getArray("pages");
      for (unsigned i = 0; i < pages->size(); ++i) {
        states.push_back(pages->getObject(i)->getValue<std::string>("state"));
      }
    }
    return states;
  };
  // Killed while a page is in a worker's hands, after some are done.
  ASSERT_TRUE(wait_until(
      [&] {
        const auto s = page_states();
        return std::count(s.begin(), s.end(), "processing") > 0 &&
               std::count_if(s.begin(), s.end(), is_outcome) > 0;
      },
      std::chrono::seconds(120)));
  serve->kill_now();

  serve = std::make_unique<ServeProcess>(config, log, std::vector<std::string>{"serve"});
  serve->start();
  ASSERT_TRUE(wait_ready(port, std::chrono::seconds(60)));
  ASSERT_TRUE(wait_until(
      [&] {
        const auto s = page_states();
        return std::all_of(s.begin(), s.end(), is_terminal);
      },
      std::chrono::seconds(300)));

  std::set<std::string> claim_ids;
  std::vector<std::string> in_review;
  for (const auto& d : documents) {
    const auto doc = http(port, "GET", d, "", bearer(accounts.key_a)).json();
    auto pages = doc->getArray("pages");
    for (unsigned i = 0; i < pages->size(); ++i) {
      auto history = pages->getObject(i)->getArray("transitions");
      int outcomes = 0;
      for (unsigned t = 0; t < history->size(); ++t) {
        outcomes += is_outcome(history->getObject(t)->getValue<std::string>("to")) ? 1 : 0;
      }
      EXPECT_EQ(outcomes, 1) << d << " page " << i + 1 << " reached an outcome " << outcomes
                             << " times; "
                             << pages->getObject(i)->optValue<std::string>("last_error", "");
    }
    auto claims = doc->getArray("claims");
    EXPECT_EQ(claims->size(), pages->size()) << d;
    for (unsigned i = 0; i < claims->size(); ++i) {
      const auto row = claims->getObject(i);
      claim_ids.insert(row->getValue<std::string>("claim_id"));
      if (row->getValue<std::string>("state") == "needs_review") {
        in_review.push_back(row->getValue<std::string>("url"));
      }
    }
  }
  EXPECT_EQ(static_cast<int>(claim_ids.size()), page_total);
  ASSERT_GE(in_review.size(), 3u);

  // A reviewer approves; the process dies as the first deliveries go out.
  const auto reviewer = log_in(port, "rev");
  for (const auto& url : in_review) {
    ASSERT_EQ(http(port, "POST", url + "/approve", "", reviewer.write()).status, 200);
  }
  wait_until([&] { return sink.counts().stored > 0; }, std::chrono::seconds(30));
  serve->kill_now();
  serve = std::make_unique<ServeProcess>(config, log, std::vector<std::string>{"serve"});
  serve->start();
  ASSERT_TRUE(wait_ready(port, std::chrono::seconds(60)));
  // A claim posted just before the kill but not yet marked delivered is posted again once its
  // delivery lease expires; the engine answers the repeated key with what it kept.
  auto delivered = [&] {
    for (const auto& url : in_review) {
      const auto c = http(port, "GET", url, "", bearer(accounts.key_a)).json();
      if (c->getObject("tracking")->getValue<std::string>("state") != "delivered") return false;
    }
    return true;
  };
  ASSERT_TRUE(wait_until(delivered, std::chrono::seconds(120)));
  EXPECT_EQ(sink.counts().stored, in_review.size());
  for (const auto& url : in_review) {
    const std::string id = url.substr(url.rfind('/') + 1);
    EXPECT_TRUE(std::filesystem::exists(sink_dir.path() / "claims" / (id + ".json")));
  }
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(sink_dir.path() / "claims")) {
    files += e.path().extension() == ".json" ? 1 : 0;
  }
  EXPECT_EQ(files, in_review.size());

  // Graceful stop drains and exits 0; the logs never carry a name or a CIN in clear.
  EXPECT_EQ(serve->terminate(), 0);
  const std::string logs = file_bytes(log);
  EXPECT_NE(logs.find("\"event\":\"page.read\""), std::string::npos);
  for (const auto& value : personal_values()) {
    EXPECT_EQ(logs.find(value), std::string::npos) << "a personal value is in the logs in clear";
  }
}

}  // namespace
}  // namespace carescan::testing
