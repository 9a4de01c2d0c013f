#pragma once
// What the service tests share: a configuration in a temporary folder, a real HTTP client on
// loopback, accounts made through the store, and waiting for the workers.

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "core/config.h"
#include "core/json_util.h"
#include "service/secrets.h"
#include "store/store.h"

namespace carescan::testing {

inline std::filesystem::path source_root() {
  return CARESCAN_SOURCE_ROOT;
}

inline std::filesystem::path sample(const std::string& name) {
  return source_root() / "samples" / name;
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh folder under the system's temporary one, removed at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = std::filesystem::temp_directory_path() /
            ("carescan_" + tag + "_" + std::to_string(::getpid()) + "_" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The repository's configuration with its data in `data_dir`, the date rules pinned, and
// service settings a test can wait on (any free port, quick leases and retries, cheap KDF).
inline core::Config test_config(const std::filesystem::path& data_dir) {
  core::Config cfg = core::load_config(
      source_root() / "config" / "carescan.json",
      {{"CARESCAN_DATA_DIR", data_dir.string()}, {"CARESCAN_TODAY", "2025-03-20"}});
  cfg.reader.workers = 1;
  cfg.service.port = 0;
  cfg.service.http_threads = 4;
  cfg.service.password_iterations = 10'000;
  cfg.service.worker_idle_ms = 50;
  cfg.service.lease_seconds = 30;
  cfg.service.rate_per_second = 200;
  cfg.service.rate_burst = 200;
  cfg.service.delivery_backoff_seconds = 0.2;
  cfg.service.delivery_backoff_max_seconds = 1;
  cfg.service.engine_url.clear();
  cfg.mailroom.dir.clear();
  return cfg;
}

struct Reply {
  int status = 0;
  std::string body;
  Poco::Net::NameValueCollection headers;
  std::string content_type;
  Poco::JSON::Object::Ptr json() const { return core::parse_json_object(body, "reply"); }
  std::string header(const std::string& name) const { return headers.get(name, ""); }
};

using Headers = std::map<std::string, std::string>;

inline Reply http(int port, const std::string& method, const std::string& target,
                  const std::string& body = "", const Headers& headers = {},
                  const std::string& content_type = "application/octet-stream") {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<uint16_t>(port));
  session.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) request.set(k, v);
  if (!body.empty() || method == "POST") {
    request.setContentType(content_type);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request).write(body.data(), static_cast<std::streamsize>(body.size()));
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply r;
  r.status = static_cast<int>(response.getStatus());
  std::ostringstream s;
  s << in.rdbuf();
  r.body = s.str();
  for (const auto& [k, v] : response) r.headers.add(k, v);
  r.content_type = response.getContentType();
  return r;
}

inline Headers bearer(const std::string& key) {
  return {{"Authorization", "Bearer " + key}};
}

// Offices a and b with a key each, a reviewer and an administrator (password "correct horse
// battery"), made as `carescan admin` makes them.
struct Accounts {
  std::string key_a;
  std::string key_b;
  store::Id office_a = 0;
  store::Id office_b = 0;
  static constexpr const char* kPassword = "correct horse battery";
};

inline Accounts seed_accounts(store::Store& store, int iterations) {
  Accounts a;
  const auto office_a = store.create_office("office-a", "Bureau A (test)");
  const auto office_b = store.create_office("office-b", "Bureau B (test)");
  a.office_a = office_a.id;
  a.office_b = office_b.id;
  a.key_a = service::new_api_key();
  a.key_b = service::new_api_key();
  store.add_api_key(office_a.id, a.key_a.substr(0, 12), service::token_hash(a.key_a), "test");
  store.add_api_key(office_b.id, a.key_b.substr(0, 12), service::token_hash(a.key_b), "test");
  store.create_user("rev", "Reviewer", store::Role::kReviewer,
                    service::hash_password(Accounts::kPassword, iterations));
  store.create_user("boss", "Admin", store::Role::kAdmin,
                    service::hash_password(Accounts::kPassword, iterations));
  return a;
}

// A logged-in session: the cookie to send, and the CSRF token for writes.
struct SessionCookie {
  std::string cookie;
  std::string csrf;
  Headers read() const { return {{"Cookie", cookie}}; }
  Headers write() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

inline SessionCookie log_in(int port, const std::string& user) {
  const Reply r = http(
      port, "POST", "/api/v1/session",
      std::string("{\"username\":\"") + user + "\",\"password\":\"" + Accounts::kPassword + "\"}",
      {}, "application/json");
  SessionCookie s;
  if (r.status != 200) return s;
  const std::string set_cookie = r.header("Set-Cookie");
  s.cookie = set_cookie.substr(0, set_cookie.find(';'));
  s.csrf = r.json()->getValue<std::string>("csrf_token");
  return s;
}

inline bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

}  // namespace carescan::testing
