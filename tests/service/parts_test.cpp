// The service's parts on their own: passwords and keys, the rate limiter, the metrics text, the
// service configuration, and the engine sink over real HTTP.
#include <gtest/gtest.h>

#include "harness.h"
#include "service/delivery.h"
#include "service/engine_sink.h"
#include "service/metrics.h"
#include "service/rate_limit.h"
#include "service/secrets.h"
#include "service/views.h"

namespace carescan::testing {
namespace {

TEST(Secrets, APasswordVerifiesOnlyItselfAndIsSalted) {
  const std::string a = service::hash_password("correct horse battery", 1000);
  const std::string b = service::hash_password("correct horse battery", 1000);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("pbkdf2-sha256$1000$", 0), 0u);
  EXPECT_TRUE(service::verify_password("correct horse battery", a));
  EXPECT_TRUE(service::verify_password("correct horse battery", b));
  EXPECT_FALSE(service::verify_password("correct horse batterY", a));
  EXPECT_FALSE(service::verify_password("correct horse battery", "plain text"));
  EXPECT_FALSE(service::verify_password("x", "pbkdf2-sha256$0$00$00"));
}

TEST(Secrets, ApiKeysAreRandomAndStoredAsTheirHash) {
  const std::string k1 = service::new_api_key();
  const std::string k2 = service::new_api_key();
  EXPECT_NE(k1, k2);
  EXPECT_EQ(k1.size(), 4u + 64u);
  EXPECT_EQ(service::token_hash(k1).size(), 64u);
  EXPECT_EQ(service::token_hash(k1).find(k1.substr(4, 16)), std::string::npos);
}

TEST(RateLimiter, SpendsTheBurstThenRefillsAtTheRate) {
  service::RateLimiter limiter(2, 3);  // 2 per second, 3 at once
  const auto t0 = service::RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take("k", t0), 0);
  EXPECT_GE(limiter.take("k", t0), 1);
  EXPECT_EQ(limiter.take("other", t0), 0);
  EXPECT_EQ(limiter.take("k", t0 + std::chrono::milliseconds(600)), 0);
  EXPECT_GE(limiter.take("k", t0 + std::chrono::milliseconds(700)), 1);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  service::Metrics m;
  m.page_latency.observe(0.3);
  m.page_latency.observe(4);
  m.gauges = [] { return std::map<std::string, double>{{"carescan_queue_depth", 7}}; };
  const std::string text = m.render();
  EXPECT_NE(text.find("carescan_page_latency_seconds_bucket{le=\"0.25\"} 0"), std::string::npos);
  EXPECT_NE(text.find("carescan_page_latency_seconds_bucket{le=\"0.5\"} 1"), std::string::npos);
  EXPECT_NE(text.find("carescan_page_latency_seconds_bucket{le=\"5\"} 2"), std::string::npos);
  EXPECT_NE(text.find("carescan_page_latency_seconds_count 2"), std::string::npos);
  EXPECT_NE(text.find("carescan_queue_depth 7"), std::string::npos);
}

TEST(ServiceConfig, LoadsTheRepositorySectionAndItsOverrides) {
  const auto file = source_root() / "config" / "carescan.json";
  const auto cfg = core::load_config(
      file, {{"CARESCAN_PORT", "9123"}, {"CARESCAN_ENGINE_URL", "http://engine:1/x"}});
  EXPECT_EQ(cfg.service.port, 9123);
  EXPECT_EQ(cfg.service.engine_url, "http://engine:1/x");
  EXPECT_GT(cfg.service.max_body_bytes, 1 << 20);
  EXPECT_GE(cfg.service.password_iterations, 100'000);
  EXPECT_TRUE(cfg.service.tls_cert.empty());
  EXPECT_THROW(core::load_config(file, {{"CARESCAN_PORT", "http"}}), core::DataError);
}

TEST(Views, TimesRoundTripInIso8601) {
  const auto t = service::parse_time("2025-03-20T09:15:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(service::iso_time(*t), "2025-03-20T09:15:00.000Z");
  EXPECT_EQ(service::iso_time(*service::parse_time("2025-03-20")), "2025-03-20T00:00:00.000Z");
  EXPECT_FALSE(service::parse_time("20/03/2025"));
}

TEST(EngineSink, KeepsEachClaimOnceAndAnswersARepeatWithTheFirst) {
  TempDir dir("sink");
  service::EngineSink sink("127.0.0.1", 0, dir.path());
  sink.start();
  const std::string url = "http://127.0.0.1:" + std::to_string(sink.port()) + "/claims";
  const std::string body = R"({"claim_id":"abc123","status":"accepted"})";
  auto first = service::post_claim(url, "abc123", body, 5);
  EXPECT_TRUE(first.delivered);
  EXPECT_EQ(first.status, 201);
  auto again = service::post_claim(url, "abc123", R"({"claim_id":"abc123","status":"x"})", 5);
  EXPECT_TRUE(again.delivered);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(file_bytes(dir.path() / "claims" / "abc123.json"), body);
  auto mismatch = service::post_claim(url, "zzz", body, 5);
  EXPECT_FALSE(mismatch.delivered);
  EXPECT_EQ(mismatch.status, 422);
  auto bad_key = service::post_claim(url, "../etc/passwd", body, 5);
  EXPECT_EQ(bad_key.status, 400);
  const auto c = sink.counts();
  EXPECT_EQ(c.stored, 1u);
  EXPECT_EQ(c.duplicates, 1u);
  EXPECT_EQ(c.refused, 2u);
  sink.stop();

  // A restarted sink still knows what it kept.
  service::EngineSink restarted("127.0.0.1", 0, dir.path());
  restarted.start();
  const std::string url2 = "http://127.0.0.1:" + std::to_string(restarted.port()) + "/claims";
  EXPECT_EQ(service::post_claim(url2, "abc123", body, 5).status, 200);
  EXPECT_EQ(restarted.counts().stored, 1u);
}

TEST(Delivery, AnEngineThatIsDownIsAFailureWithAReason) {
  const auto r = service::post_claim("http://127.0.0.1:1/claims", "abc", "{}", 2);
  EXPECT_FALSE(r.delivered);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace carescan::testing
