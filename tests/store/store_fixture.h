#pragma once
// One fixture for the store's suite, run against SQLite and against a real PostgreSQL server
// that the test starts; the store's clock is the test's, so leases expire on demand.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "postgres_server.h"
#include "store/store.h"

namespace carescan::store {

enum class Backend { kSqlite, kPostgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void TearDownTestSuite() { server().reset(); }

  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "carescan-store-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    if (GetParam() == Backend::kSqlite) {
      url_ = "sqlite:db/carescan.db";
      return;
    }
    if (auto why = testing::PostgresServer::unavailable_reason()) GTEST_SKIP() << *why;
    // A server that failed to start fails every later test at once, not after another wait.
    ASSERT_TRUE(start_error().empty()) << start_error();
    if (!server()) {
      try {
        server() = std::make_unique<testing::PostgresServer>();
      } catch (const std::exception& e) {
        start_error() = e.what();
        FAIL() << e.what();
      }
    }
    url_ = server()->create_database();
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Each call opens its own connection(s), as another process would.
  std::unique_ptr<Store> open(StoreOptions options = {}) {
    if (!options.clock) options.clock = [this] { return now(); };
    return open_store(url_, dir_, options);
  }

  [[nodiscard]] Time now() const { return Time(std::chrono::milliseconds(clock_ms_.load())); }
  void advance_seconds(int seconds) { clock_ms_ += std::int64_t{seconds} * 1000; }

  static Id make_office(Store& store, const std::string& code) {
    return store.create_office(code, "Bureau " + code).id;
  }

  // A distinct, valid-looking SHA-256 per n.
  static std::string sha(int n) {
    std::string hex = std::to_string(n);
    return std::string(64 - hex.size(), 'a') + hex;
  }

  static Document add_document(Store& store, Id office, int n, int pages) {
    NewDocument d;
    d.office_id = office;
    d.sha256 = sha(n);
    d.filename = "scan-" + std::to_string(n) + ".pdf";
    d.media_type = "application/pdf";
    d.size_bytes = 1000 + n;
    d.page_count = pages;
    d.channel = "api";
    return store.add_document(d).document;
  }

  static PageResult result_for(const PageLease& lease, PageState state) {
    PageResult r;
    r.claim_id = lease.document.sha256 + "-" + std::to_string(lease.page.index);
    r.state = state;
    r.json = "{\"claim_id\":\"" + r.claim_id + "\"}";
    return r;
  }

  std::filesystem::path dir_;
  std::string url_;
  std::atomic<std::int64_t> clock_ms_{1'700'000'000'000};

 private:
  static std::unique_ptr<testing::PostgresServer>& server() {
    static std::unique_ptr<testing::PostgresServer> instance;
    return instance;
  }
  static std::string& start_error() {
    static std::string error;
    return error;
  }
};

}  // namespace carescan::store
