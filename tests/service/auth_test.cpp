// Who may do what: every endpoint called by the owning office, another office, a reviewer, an
// administrator and nobody, on a real server.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include "harness.h"
#include "service/server.h"

namespace carescan::testing {
namespace {

class AuthMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("auth");
    cfg_ = new core::Config(test_config(dir_->path()));
    service::ServeOptions opts;
    opts.store_url = "sqlite:auth.db";
    opts.name = "auth";
    {
      auto store = store::open_store(opts.store_url, cfg_->data_dir);
      accounts_ = new Accounts(seed_accounts(*store, cfg_->service.password_iterations));
    }
    service_ = new service::Service(*cfg_, opts);
    service_->start();
    port_ = service_->port();
    const Reply r = http(port_, "POST", "/api/v1/documents",
                         file_bytes(sample("0008-distractor-fax.tiff")), bearer(accounts_->key_a));
    ASSERT_EQ(r.status, 202) << r.body;
    document_ = new std::string(r.header("Location"));
    Poco::JSON::Object::Ptr doc;
    ASSERT_TRUE(wait_until(
        [&] {
          doc = http(port_, "GET", *document_, "", bearer(accounts_->key_a)).json();
          return doc->getArray("claims")->size() == 1;
        },
        std::chrono::seconds(120)));
    claim_ = new std::string(doc->getArray("claims")->getObject(0)->getValue<std::string>("url"));
    reviewer_ = new SessionCookie(log_in(port_, "rev"));
    admin_ = new SessionCookie(log_in(port_, "boss"));
  }
  static void TearDownTestSuite() {
    delete service_;
    delete reviewer_;
    delete admin_;
    delete document_;
    delete claim_;
    delete accounts_;
    delete cfg_;
    delete dir_;
  }

  enum Who { kOwner, kOtherOffice, kReviewer, kAdmin, kNobody };
  static Headers as(Who who, bool write) {
    switch (who) {
      case kOwner:
        return bearer(accounts_->key_a);
      case kOtherOffice:
        return {{"X-Api-Key", accounts_->key_b}};
      case kReviewer:
        return write ? reviewer_->write() : reviewer_->read();
      case kAdmin:
        return write ? admin_->write() : admin_->read();
      case kNobody:
        break;
    }
    return {};
  }

  // Inline statics would do, but a test suite's fixtures are plain pointers in GoogleTest style.
  static TempDir* dir_;
  static core::Config* cfg_;
  static Accounts* accounts_;
  static service::Service* service_;
  static int port_;
  static std::string* document_;
  static std::string* claim_;
  static SessionCookie* reviewer_;
  static SessionCookie* admin_;
};

TempDir* AuthMatrix::dir_ = nullptr;
core::Config* AuthMatrix::cfg_ = nullptr;
Accounts* AuthMatrix::accounts_ = nullptr;
service::Service* AuthMatrix::service_ = nullptr;
int AuthMatrix::port_ = 0;
std::string* AuthMatrix::document_ = nullptr;
std::string* AuthMatrix::claim_ = nullptr;
SessionCookie* AuthMatrix::reviewer_ = nullptr;
SessionCookie* AuthMatrix::admin_ = nullptr;

struct Case {
  std::string method;
  std::string target;  // "{doc}" and "{claim}" stand for the owner's document and claim
  std::string body;
  std::array<int, 5> expected;  // owner, other office, reviewer, admin, nobody
};

TEST_F(AuthMatrix, EachEndpointAnswersEachCallerAsDesigned) {
  const std::string tiff = file_bytes(sample("0008-distractor-fax.tiff"));
  const std::vector<Case> cases = {
      {"GET", "{doc}", "", {200, 404, 200, 200, 401}},
      {"GET", "{claim}", "", {200, 404, 200, 200, 401}},
      {"GET", "/api/v1/claims?office=office-a", "", {200, 403, 200, 200, 401}},
      {"GET", "/api/v1/claims", "", {200, 200, 200, 200, 401}},
      {"GET", "/api/v1/session", "", {200, 200, 200, 200, 401}},
      {"POST", "/api/v1/documents", tiff, {200, 202, 403, 403, 401}},
      {"POST", "{claim}/approve", "", {403, 403, 409, 409, 401}},
      {"POST", "{claim}/reject", "{\"reason\":\"illegible\"}", {403, 403, 409, 409, 401}},
      {"GET", "/api/v1/openapi.json", "", {200, 200, 200, 200, 200}},
      {"GET", "/healthz", "", {200, 200, 200, 200, 200}},
      {"GET", "/readyz", "", {200, 200, 200, 200, 200}},
      {"GET", "/metrics", "", {200, 200, 200, 200, 200}},
  };
  for (const auto& c : cases) {
    std::string target = c.target;
    if (target.rfind("{doc}", 0) == 0) target = *document_ + target.substr(5);
    if (target.rfind("{claim}", 0) == 0) target = *claim_ + target.substr(7);
    for (int who = kOwner; who <= kNobody; ++who) {
      const Reply r = http(port_, c.method, target, c.body, as(static_cast<Who>(who), true));
      EXPECT_EQ(r.status, c.expected[static_cast<size_t>(who)])
          << c.method << " " << target << " as caller " << who << ": " << r.body;
      if (r.status >= 400) {
        EXPECT_EQ(r.content_type, "application/problem+json");
      }
    }
  }
}

TEST_F(AuthMatrix, TheSessionCookieIsHttpOnlyAndSameSiteStrict) {
  const Reply r =
      http(port_, "POST", "/api/v1/session",
           R"({"username":"rev","password":"correct horse battery"})", {}, "application/json");
  ASSERT_EQ(r.status, 200);
  const std::string cookie = r.header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(r.json()->getValue<std::string>("role"), "reviewer");
}

TEST_F(AuthMatrix, AWrongPasswordOrUnknownUserGets401) {
  EXPECT_EQ(http(port_, "POST", "/api/v1/session", R"({"username":"rev","password":"nope"})", {},
                 "application/json")
                .status,
            401);
  EXPECT_EQ(http(port_, "POST", "/api/v1/session", R"({"username":"ghost","password":"x"})", {},
                 "application/json")
                .status,
            401);
}

TEST_F(AuthMatrix, ALoggedOutSessionAndARevokedKeyNoLongerWork) {
  const auto session = log_in(port_, "boss");
  ASSERT_EQ(http(port_, "GET", "/api/v1/claims", "", session.read()).status, 200);
  EXPECT_EQ(http(port_, "DELETE", "/api/v1/session", "", session.read()).status, 403);  // no CSRF
  EXPECT_EQ(http(port_, "DELETE", "/api/v1/session", "", session.write()).status, 204);
  EXPECT_EQ(http(port_, "GET", "/api/v1/claims", "", session.read()).status, 401);

  auto store = store::open_store("sqlite:auth.db", cfg_->data_dir);
  const std::string key = service::new_api_key();
  const auto issued =
      store->add_api_key(accounts_->office_a, key.substr(0, 12), service::token_hash(key), "temp");
  EXPECT_EQ(http(port_, "GET", "/api/v1/claims", "", bearer(key)).status, 200);
  store->revoke_api_key(issued.id);
  EXPECT_EQ(http(port_, "GET", "/api/v1/claims", "", bearer(key)).status, 401);
}

}  // namespace
}  // namespace carescan::testing
