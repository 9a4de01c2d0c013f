#pragma once
// A throwaway PostgreSQL server for tests: initdb + pg_ctl in a temporary folder, on a free
// loopback port, stopped and removed when the object goes.

#include <filesystem>
#include <optional>
#include <string>

namespace carescan::testing {

class PostgresServer {
 public:
  // Empty when the server binaries are not installed (the caller skips with this reason).
  static std::optional<std::string> unavailable_reason();

  PostgresServer();  // throws std::runtime_error with the server's log when it cannot start
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A new, empty database on this server, as a connection URL.
  std::string create_database();
  [[nodiscard]] int port() const { return port_; }

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  int databases_ = 0;
};

}  // namespace carescan::testing
