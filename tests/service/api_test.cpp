// The real service on loopback (SQLite file, real workers, real Poco HTTP client): intake,
// tracking, review, delivery to the engine sink, and every bad input answered as a problem.
#include <Poco/JSON/Array.h>
#include <Poco/Net/MultipartWriter.h>
#include <gtest/gtest.h>

#include <memory>

#include "harness.h"
#include "service/engine_sink.h"
#include "service/server.h"

namespace carescan::testing {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { cfg_ = std::make_unique<core::Config>(test_config(dir_.path())); }

  // Accounts first (through a store of the same file, as `carescan admin` does), then serve.
  void start(const service::ServeOptions& extra = {}) {
    service::ServeOptions opts = extra;
    opts.store_url = "sqlite:service.db";
    opts.name = "test";
    {
      auto store = store::open_store(opts.store_url, cfg_->data_dir);
      accounts_ = seed_accounts(*store, cfg_->service.password_iterations);
    }
    service_ = std::make_unique<service::Service>(*cfg_, opts);
    service_->start();
    port_ = service_->port();
  }

  Reply upload(const std::string& key, const std::string& bytes) {
    return http(port_, "POST", "/api/v1/documents", bytes, bearer(key));
  }

  // Waits until every page of the document has left the queue.
  Poco::JSON::Object::Ptr wait_read(const std::string& location, const std::string& key) {
    Poco::JSON::Object::Ptr doc;
    wait_until(
        [&] {
          doc = http(port_, "GET", location, "", bearer(key)).json();
          return doc->getValue<std::string>("state") == "done";
        },
        std::chrono::seconds(120));
    return doc;
  }

  TempDir dir_{"service"};
  std::unique_ptr<core::Config> cfg_;
  Accounts accounts_;
  std::unique_ptr<service::Service> service_;
  int port_ = 0;
};

// HTTP without readers: what is uploaded stays queued.
service::ServeOptions intake_only() {
  service::ServeOptions opts;
  opts.intake_only = true;
  return opts;
}

void expect_problem(const Reply& r, int status, const std::string& type) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json") << r.body;
  const auto p = r.json();
  EXPECT_EQ(p->getValue<int>("status"), status);
  EXPECT_EQ(p->getValue<std::string>("type"), "https://carescan.example/problems/" + type);
  EXPECT_FALSE(p->getValue<std::string>("detail").empty());
}

TEST_F(ServiceTest, UploadIsReadIntoATrackedClaimAndTheSameFileAgainIsTheSameDocument) {
  start();
  const std::string bytes = file_bytes(sample("0003-ambulatoire-photo.jpg"));
  const Reply first = upload(accounts_.key_a, bytes);
  ASSERT_EQ(first.status, 202) << first.body;
  const std::string location = first.header("Location");
  EXPECT_EQ(location, first.json()->getValue<std::string>("url"));
  EXPECT_EQ(first.json()->getValue<std::string>("media_type"), "image/jpeg");

  const Reply again = upload(accounts_.key_a, bytes);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.header("Location"), location);
  EXPECT_TRUE(again.json()->getValue<bool>("duplicate"));

  const auto doc = wait_read(location, accounts_.key_a);
  ASSERT_EQ(doc->getValue<std::string>("state"), "done");
  const auto pages = doc->getArray("pages");
  ASSERT_EQ(pages->size(), 1u);
  const auto history = pages->getObject(0)->getArray("transitions");
  EXPECT_GE(history->size(), 3u);  // received, processing, then its outcome
  const auto claims = doc->getArray("claims");
  ASSERT_EQ(claims->size(), 1u);
  const std::string claim_url = claims->getObject(0)->getValue<std::string>("url");

  const Reply claim = http(port_, "GET", claim_url, "", bearer(accounts_.key_a));
  ASSERT_EQ(claim.status, 200) << claim.body;
  const auto c = claim.json();
  EXPECT_EQ(c->getValue<std::string>("schema"), "carescan.claim/v1");
  EXPECT_EQ(c->getObject("document")->getValue<std::string>("office"), "office-a");
  EXPECT_EQ(c->getObject("document")->getValue<std::string>("channel"), "upload");
  EXPECT_EQ(c->getObject("tracking")->getValue<std::string>("state"),
            c->getValue<std::string>("status"));

  const Reply list =
      http(port_, "GET", "/api/v1/claims?status=" + c->getValue<std::string>("status"), "",
           bearer(accounts_.key_a));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()->getArray("items")->size(), 1u);

  const Reply metrics = http(port_, "GET", "/metrics");
  EXPECT_NE(metrics.body.find("carescan_pages_processed_total 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("carescan_page_latency_seconds_count 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("carescan_review_backlog"), std::string::npos);
}

TEST_F(ServiceTest, MultipartUploadTakesTheFilePart) {
  start(intake_only());
  std::ostringstream body;
  Poco::Net::MultipartWriter writer(body, "carescan-boundary");
  Poco::Net::MessageHeader note;
  note.set("Content-Disposition", "form-data; name=\"note\"");
  writer.nextPart(note);
  body << "batch 12";
  Poco::Net::MessageHeader file;
  file.set("Content-Disposition", "form-data; name=\"file\"; filename=\"sheet.tiff\"");
  file.set("Content-Type", "image/tiff");
  writer.nextPart(file);
  body << file_bytes(sample("0001-bundle-fax.tiff"));
  writer.close();
  const Reply r = http(port_, "POST", "/api/v1/documents", body.str(), bearer(accounts_.key_a),
                       "multipart/form-data; boundary=carescan-boundary");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.json()->getValue<std::string>("filename"), "sheet.tiff");
  EXPECT_EQ(r.json()->getValue<int>("page_count"), 2);
  EXPECT_EQ(r.json()->getValue<std::string>("media_type"), "image/tiff");
}

TEST_F(ServiceTest, BadInputsAreProblemsWithAReason) {
  cfg_->service.max_body_bytes = 200'000;
  start(intake_only());
  expect_problem(upload(accounts_.key_a, "Dear sir, please find attached"), 415,
                 "unsupported-type");
  std::string corrupt = file_bytes(sample("0003-ambulatoire-photo.jpg")).substr(0, 2000);
  expect_problem(upload(accounts_.key_a, corrupt), 422, "unreadable-scan");
  expect_problem(upload(accounts_.key_a, std::string(300'000, 'x')), 413, "too-large");
  expect_problem(upload(accounts_.key_a, ""), 400, "bad-request");
  expect_problem(http(port_, "GET", "/api/v1/claims?status=lost", "", bearer(accounts_.key_a)), 400,
                 "bad-request");
  expect_problem(http(port_, "GET", "/api/v1/claims?since=yesterday", "", bearer(accounts_.key_a)),
                 400, "bad-request");
  expect_problem(http(port_, "GET", "/api/v1/claims?limit=-3", "", bearer(accounts_.key_a)), 400,
                 "bad-request");
  expect_problem(http(port_, "GET", "/api/v1/documents/abc", "", bearer(accounts_.key_a)), 404,
                 "not-found");
  expect_problem(http(port_, "GET", "/api/v1/nothing-here"), 404, "not-found");
  expect_problem(http(port_, "PUT", "/api/v1/documents", "x", bearer(accounts_.key_a)), 405,
                 "method-not-allowed");
  expect_problem(http(port_, "POST", "/api/v1/session", "{not json", {}, "application/json"), 400,
                 "bad-request");
  expect_problem(upload("csk_not-a-key", file_bytes(sample("0003-ambulatoire-photo.jpg"))), 401,
                 "unauthorized");
}

TEST_F(ServiceTest, AFullQueueAnswers503WithRetryAfter) {
  cfg_->service.max_queued_pages = 2;
  start(intake_only());
  ASSERT_EQ(upload(accounts_.key_a, file_bytes(sample("0001-bundle-fax.tiff"))).status, 202);
  const Reply full = upload(accounts_.key_a, file_bytes(sample("0003-ambulatoire-photo.jpg")));
  expect_problem(full, 503, "queue-full");
  EXPECT_EQ(full.header("Retry-After"), std::to_string(cfg_->service.retry_after_seconds));
}

TEST_F(ServiceTest, AKeyOverItsRateIsRefusedWith429) {
  cfg_->service.rate_per_second = 0.01;
  cfg_->service.rate_burst = 3;
  start(intake_only());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(http(port_, "GET", "/api/v1/claims", "", bearer(accounts_.key_a)).status, 200);
  }
  const Reply limited = http(port_, "GET", "/api/v1/claims", "", bearer(accounts_.key_a));
  expect_problem(limited, 429, "rate-limited");
  EXPECT_FALSE(limited.header("Retry-After").empty());
  // Another office's key has its own bucket.
  EXPECT_EQ(http(port_, "GET", "/api/v1/claims", "", bearer(accounts_.key_b)).status, 200);
}

TEST_F(ServiceTest, ClaimListingPagesWithACursor) {
  start();
  for (const char* name : {"0001-bundle-fax.tiff", "0008-distractor-fax.tiff"}) {
    const Reply r = upload(accounts_.key_a, file_bytes(sample(name)));
    ASSERT_EQ(r.status, 202);
    wait_read(r.header("Location"), accounts_.key_a);
  }
  std::set<std::string> seen;
  std::string next = "/api/v1/claims?limit=2";
  int pages = 0;
  while (!next.empty()) {
    const auto page = http(port_, "GET", next, "", bearer(accounts_.key_a)).json();
    for (size_t i = 0; i < page->getArray("items")->size(); ++i) {
      seen.insert(page->getArray("items")
                      ->getObject(static_cast<unsigned>(i))
                      ->getValue<std::string>("claim_id"));
    }
    next = page->isNull("next") ? "" : page->getValue<std::string>("next");
    ++pages;
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(pages, 2);
  const auto none =
      http(port_, "GET", "/api/v1/claims?since=2999-01-01", "", bearer(accounts_.key_a));
  EXPECT_EQ(none.json()->getArray("items")->size(), 0u);
  const auto other = http(port_, "GET", "/api/v1/claims", "", bearer(accounts_.key_b));
  EXPECT_EQ(other.json()->getArray("items")->size(), 0u);
}

TEST_F(ServiceTest, AnApprovedClaimIsDeliveredOnceAndRetriedWhileTheEngineFails) {
  TempDir sink_dir("sink");
  service::EngineSink sink("127.0.0.1", 0, sink_dir.path(), /*fail_first=*/2);
  sink.start();
  cfg_->service.engine_url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/claims";
  start();
  const Reply r = upload(accounts_.key_a, file_bytes(sample("0003-ambulatoire-photo.jpg")));
  ASSERT_EQ(r.status, 202);
  const auto doc = wait_read(r.header("Location"), accounts_.key_a);
  const auto row = doc->getArray("claims")->getObject(0);
  ASSERT_EQ(row->getValue<std::string>("state"), "needs_review")
      << "the reader sends handwritten sheets to review; this test approves one";
  const std::string claim_url = row->getValue<std::string>("url");

  const auto reviewer = log_in(port_, "rev");
  ASSERT_FALSE(reviewer.csrf.empty());
  expect_problem(http(port_, "POST", claim_url + "/approve", "", reviewer.read()), 403,
                 "forbidden");  // no CSRF token
  expect_problem(http(port_, "POST", claim_url + "/approve", "", bearer(accounts_.key_a)), 403,
                 "forbidden");  // offices do not review
  const Reply approved = http(port_, "POST", claim_url + "/approve", "", reviewer.write());
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()->getValue<std::string>("status"), "accepted");
  expect_problem(http(port_, "POST", claim_url + "/approve", "", reviewer.write()), 409,
                 "not-in-review");

  ASSERT_TRUE(wait_until(
      [&] {
        const auto c = http(port_, "GET", claim_url, "", bearer(accounts_.key_a)).json();
        return c->getObject("tracking")->getValue<std::string>("state") == "delivered";
      },
      std::chrono::seconds(30)));
  const auto counts = sink.counts();
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.refused, 2u);  // the two failures asked for, each retried with backoff
  const std::string claim_id = claim_url.substr(claim_url.rfind('/') + 1);
  const auto kept = core::read_json_object(sink_dir.path() / "claims" / (claim_id + ".json"));
  EXPECT_EQ(kept->getValue<std::string>("status"), "accepted");
  EXPECT_EQ(kept->getObject("review")->getValue<std::string>("by"), "rev");
  const Reply metrics = http(port_, "GET", "/metrics");
  EXPECT_NE(metrics.body.find("carescan_delivery_failures_total 2"), std::string::npos);
  EXPECT_NE(metrics.body.find("carescan_deliveries_total 1"), std::string::npos);
}

}  // namespace
}  // namespace carescan::testing
