// The reviewer's API on the real service (SQLite file, real workers reading a real sample, real
// Poco client on loopback): the queue, leases between two reviewers, the page image, corrections
// checked and saved with the rules re-run, the audit trail, delivery, and the supervisor's view.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <memory>

#include "harness.h"
#include "service/engine_sink.h"
#include "service/server.h"

namespace carescan::testing {
namespace {

bool has_rule(const Poco::JSON::Array::Ptr& findings, const std::string& rule) {
  for (unsigned i = 0; i < findings->size(); ++i) {
    if (findings->getObject(i)->getValue<std::string>("rule") == rule) return true;
  }
  return false;
}

// The value a lease's workspace showed for `target`, as the audit writes it ("" when blank).
std::string value_of(const Poco::JSON::Object::Ptr& work, const std::string& target) {
  const auto targets = work->getArray("targets");
  for (unsigned i = 0; i < targets->size(); ++i) {
    const auto t = targets->getObject(i);
    if (t->getValue<std::string>("target") != target) continue;
    const auto v = t->get("value");
    return v.isEmpty() ? "" : v.convert<std::string>();
  }
  return "<absent>";
}

class ReviewApiTest : public ::testing::Test {
 protected:
  void SetUp() override { cfg_ = std::make_unique<core::Config>(test_config(dir_.path())); }

  void start() {
    service::ServeOptions opts;
    opts.store_url = "sqlite:review.db";
    opts.name = "review-test";
    {
      auto store = store::open_store(opts.store_url, cfg_->data_dir);
      accounts_ = seed_accounts(*store, cfg_->service.password_iterations);
      store->create_user(
          "rev2", "Second reviewer", store::Role::kReviewer,
          service::hash_password(Accounts::kPassword, cfg_->service.password_iterations));
    }
    service_ = std::make_unique<service::Service>(*cfg_, opts);
    service_->start();
    port_ = service_->port();
  }

  // Uploads a sample as office a and returns the id of its claim once read into review.
  std::string claim_in_review(const std::string& sample_name) {
    const Reply r = http(port_, "POST", "/api/v1/documents", file_bytes(sample(sample_name)),
                         bearer(accounts_.key_a));
    EXPECT_EQ(r.status, 202) << r.body;
    Poco::JSON::Object::Ptr doc;
    wait_until(
        [&] {
          doc = http(port_, "GET", r.header("Location"), "", bearer(accounts_.key_a)).json();
          return doc->getValue<std::string>("state") == "done";
        },
        std::chrono::seconds(120));
    const auto row = doc->getArray("claims")->getObject(0);
    EXPECT_EQ(row->getValue<std::string>("state"), "needs_review");
    return row->getValue<std::string>("claim_id");
  }

  static std::string base(const std::string& claim_id) {
    return "/api/v1/review/claims/" + claim_id;
  }

  TempDir dir_{"review_api"};
  std::unique_ptr<core::Config> cfg_;
  Accounts accounts_;
  std::unique_ptr<service::Service> service_;
  int port_ = 0;
};

TEST_F(ReviewApiTest, QueueListsClaimsOldestFirstWithCountsAndFilters) {
  start();
  const std::string first = claim_in_review("0003-ambulatoire-photo.jpg");
  const std::string second = claim_in_review("0007-ald-scan.pdf");
  const auto rev = log_in(port_, "rev");

  const auto all = http(port_, "GET", "/api/v1/review/queue", "", rev.read());
  ASSERT_EQ(all.status, 200) << all.body;
  const auto items = all.json()->getArray("items");
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("claim_id"), first);
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("claim_id"), second);
  const auto counts = all.json()->getObject("counts");
  EXPECT_EQ(counts->getValue<int>("total"), 2);
  EXPECT_EQ(counts->getObject("office")->getValue<int>("office-a"), 2);
  EXPECT_EQ(counts->getObject("form_type")->getValue<int>("ambulatoire"), 1);
  EXPECT_EQ(counts->getObject("form_type")->getValue<int>("ald"), 1);

  const auto ald = http(port_, "GET", "/api/v1/review/queue?form_type=ald", "", rev.read()).json();
  ASSERT_EQ(ald->getArray("items")->size(), 1u);
  EXPECT_EQ(ald->getArray("items")->getObject(0)->getValue<std::string>("claim_id"), second);
  EXPECT_EQ(ald->getObject("counts")->getValue<int>("total"), 2);
  EXPECT_EQ(ald->getObject("counts")->getValue<int>("shown"), 1);
  const auto elsewhere =
      http(port_, "GET", "/api/v1/review/queue?office=office-b", "", rev.read()).json();
  EXPECT_EQ(elsewhere->getArray("items")->size(), 0u);

  // Every reason the queue counts filters to at least the claims it counted.
  for (const auto& [reason, n] : *counts->getObject("reason")) {
    const auto only =
        http(port_, "GET", "/api/v1/review/queue?reason=" + reason, "", rev.read()).json();
    EXPECT_EQ(static_cast<int>(only->getArray("items")->size()), n.convert<int>()) << reason;
  }

  EXPECT_EQ(http(port_, "GET", "/api/v1/review/queue", "", bearer(accounts_.key_a)).status, 403);
  EXPECT_EQ(http(port_, "GET", "/api/v1/review/queue").status, 401);
}

TEST_F(ReviewApiTest, ASecondReviewerCannotOpenALeasedClaimUntilItIsReleased) {
  start();
  const std::string id = claim_in_review("0003-ambulatoire-photo.jpg");
  const auto rev = log_in(port_, "rev");
  const auto rev2 = log_in(port_, "rev2");

  const auto mine = http(port_, "POST", base(id) + "/lease", "", rev.write());
  ASSERT_EQ(mine.status, 200) << mine.body;
  const auto work = mine.json();
  EXPECT_EQ(work->getValue<std::string>("claim_id"), id);
  const auto targets = work->getArray("targets");
  ASSERT_GT(targets->size(), 12u);  // every contract field, and the table cells
  bool flagged_part = true;         // flagged fields come first
  for (unsigned i = 0; i < targets->size(); ++i) {
    const bool flagged = targets->getObject(i)->getValue<bool>("flagged");
    EXPECT_FALSE(flagged && !flagged_part) << "flagged field after an unflagged one";
    flagged_part = flagged_part && flagged;
  }
  // The holder renews; another reviewer is turned away, then gets it once released.
  EXPECT_EQ(http(port_, "POST", base(id) + "/lease", "", rev.write()).status, 200);
  const auto theirs = http(port_, "POST", base(id) + "/lease", "", rev2.write());
  EXPECT_EQ(theirs.status, 409);
  EXPECT_EQ(theirs.json()->getValue<std::string>("type"),
            "https://carescan.example/problems/review-locked");
  EXPECT_EQ(
      http(port_, "POST", base(id) + "/approve", "{}", rev2.write(), "application/json").status,
      409);
  EXPECT_EQ(http(port_, "DELETE", base(id) + "/lease", "", rev.write()).status, 204);
  EXPECT_EQ(http(port_, "POST", base(id) + "/lease", "", rev2.write()).status, 200);
  // A lease is a write: without the session's CSRF token it is refused.
  EXPECT_EQ(http(port_, "POST", base(id) + "/lease", "", rev.read()).status, 403);
}

TEST_F(ReviewApiTest, ThePageImageIsThePageAsReadInPng) {
  start();
  const std::string id = claim_in_review("0003-ambulatoire-photo.jpg");
  const auto rev = log_in(port_, "rev");
  const auto png = http(port_, "GET", base(id) + "/image", "", rev.read());
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_EQ(png.body.substr(0, 4), "\x89PNG");
  EXPECT_EQ(http(port_, "GET", base(id) + "/image", "", bearer(accounts_.key_a)).status, 403);
  EXPECT_EQ(http(port_, "GET", base("0000") + "/image", "", rev.read()).status, 404);
}

TEST_F(ReviewApiTest, CorrectionsAreCheckedThenApprovedAuditedAndDeliveredAsTheReviewers) {
  TempDir sink_dir("review_sink");
  service::EngineSink sink("127.0.0.1", 0, sink_dir.path());
  sink.start();
  cfg_->service.engine_url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/claims";
  start();
  const std::string id = claim_in_review("0003-ambulatoire-photo.jpg");
  const auto rev = log_in(port_, "rev");
  const auto work = http(port_, "POST", base(id) + "/lease", "", rev.write()).json();
  const int version = work->getValue<int>("version");

  // The rules re-run on what the reviewer types, without saving anything.
  const auto bad = http(port_, "POST", base(id) + "/check", R"({"corrections":{"cin":"12"}})",
                        rev.write(), "application/json");
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_TRUE(has_rule(bad.json()->getArray("validation"), "cin_format"));
  const auto good = http(port_, "POST", base(id) + "/check",
                         R"({"corrections":{"cin":"be 123456"}})", rev.write(), "application/json");
  EXPECT_FALSE(has_rule(good.json()->getArray("validation"), "cin_format")) << good.body;
  EXPECT_EQ(http(port_, "POST", base(id) + "/check", R"({"corrections":{"nope":"1"}})", rev.write(),
                 "application/json")
                .status,
            400);

  const std::string body = R"({"version":)" + std::to_string(version) +
                           R"(,"corrections":{"cin":"be 123456","total_amount":"1 250,00"}})";
  const auto approved =
      http(port_, "POST", base(id) + "/approve", body, rev.write(), "application/json");
  ASSERT_EQ(approved.status, 200) << approved.body;
  const auto claim = approved.json();
  EXPECT_EQ(claim->getValue<std::string>("status"), "accepted");
  const auto cin = claim->getObject("fields")->getObject("cin");
  EXPECT_EQ(cin->getValue<std::string>("value"), "BE123456");
  EXPECT_EQ(cin->getValue<std::string>("source"), "reviewer");
  EXPECT_EQ(claim->getObject("fields")->getObject("total_amount")->getValue<std::string>("value"),
            "1250.00");
  EXPECT_FALSE(has_rule(claim->getArray("validation"), "cin_format"));

  const auto trail = http(port_, "GET", base(id) + "/audit", "", rev.read());
  ASSERT_EQ(trail.status, 200);
  const auto entries = trail.json()->getArray("items");
  std::map<std::string, Poco::JSON::Object::Ptr> by_field;
  for (unsigned i = 0; i < entries->size(); ++i) {
    by_field[entries->getObject(i)->getValue<std::string>("field")] = entries->getObject(i);
  }
  ASSERT_EQ(by_field.count("cin"), 1u);
  EXPECT_EQ(by_field["cin"]->getValue<std::string>("after"), "BE123456");
  EXPECT_EQ(by_field["cin"]->getValue<std::string>("before"), value_of(work, "cin"));
  EXPECT_EQ(by_field["cin"]->getValue<std::string>("user"), "rev");
  ASSERT_EQ(by_field.count("status"), 1u);
  EXPECT_EQ(by_field["status"]->getValue<std::string>("after"), "accepted");

  ASSERT_TRUE(wait_until([&] { return sink.counts().stored == 1; }, std::chrono::seconds(30)));
  const auto kept = core::read_json_object(sink_dir.path() / "claims" / (id + ".json"));
  EXPECT_EQ(kept->getObject("fields")->getObject("cin")->getValue<std::string>("source"),
            "reviewer");
  EXPECT_EQ(kept->getObject("review")->getValue<std::string>("by"), "rev");
  // Decided: nobody can lease it again.
  EXPECT_EQ(http(port_, "POST", base(id) + "/lease", "", rev.write()).status, 409);
}

TEST_F(ReviewApiTest, TheSupervisorsFiguresAreForAdministratorsOnly) {
  start();
  const std::string id = claim_in_review("0003-ambulatoire-photo.jpg");
  const auto rev = log_in(port_, "rev");
  const auto boss = log_in(port_, "boss");
  EXPECT_EQ(http(port_, "GET", "/api/v1/review/supervisor", "", rev.read()).status, 403);

  const auto before = http(port_, "GET", "/api/v1/review/supervisor", "", boss.read());
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json()->getObject("backlog")->getValue<int>("waiting"), 1);
  EXPECT_EQ(before.json()->getValue<int>("reviewed"), 0);

  ASSERT_EQ(http(port_, "POST", base(id) + "/lease", "", rev.write()).status, 200);
  ASSERT_EQ(http(port_, "POST", base(id) + "/approve", R"({"corrections":{"cin":"ZZ999999"}})",
                 rev.write(), "application/json")
                .status,
            200);
  const auto after = http(port_, "GET", "/api/v1/review/supervisor", "", boss.read()).json();
  EXPECT_EQ(after->getObject("backlog")->getValue<int>("waiting"), 0);
  EXPECT_EQ(after->getValue<int>("reviewed"), 1);
  EXPECT_GE(after->getValue<double>("median_review_seconds"), 0.0);
  const auto rows = after->getArray("corrections");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("field"), "cin");
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("form_type"), "ambulatoire");
  EXPECT_EQ(rows->getObject(0)->getValue<int>("count"), 1);
}

TEST_F(ReviewApiTest, TheReviewPageIsServedByTheServiceItself) {
  start();
  const auto page = http(port_, "GET", "/review");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_NE(page.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  const auto script = http(port_, "GET", "/review/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(script.body, file_bytes(source_root() / "src" / "web" / "app.js"));
  EXPECT_EQ(http(port_, "GET", "/review/missing.js").status, 404);
}

}  // namespace
}  // namespace carescan::testing
