#include "postgres_server.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace carescan::testing {
namespace {

const std::filesystem::path kBin = "/usr/lib/postgresql/15/bin";

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The server refuses to run as root: as root, every server command runs as `postgres`.
std::string as_server_user(const std::string& command) {
  if (::geteuid() != 0) return command;
  return "runuser -u postgres -- " + command;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<std::string> PostgresServer::unavailable_reason() {
  if (!std::filesystem::exists(kBin / "initdb") || !std::filesystem::exists(kBin / "pg_ctl")) {
    return "PostgreSQL server binaries not found in " + kBin.string() +
           " (apt-get install postgresql)";
  }
  return std::nullopt;
}

PostgresServer::PostgresServer() : port_(free_port()) {
  std::string pattern = (std::filesystem::temp_directory_path() / "carescan-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  // The server user creates its files inside; the test (root, maybe without DAC override)
  // writes its own log beside them.
  std::filesystem::permissions(dir_, std::filesystem::perms::all);
  const auto data = (dir_ / "data").string();
  const auto log = (dir_ / "setup.log").string();
  const std::string init =
      as_server_user((kBin / "initdb").string() + " -A trust -U postgres -D " + data) + " >" + log +
      " 2>&1";
  // Durability is not under test here, speed is: fsync off.
  const std::string options = "-p " + std::to_string(port_) + " -k " + dir_.string() +
                              " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
  const std::string start =
      as_server_user((kBin / "pg_ctl").string() + " -w -t 30 -D " + data + " -l " +
                     (dir_ / "server.log").string() + " -o \"" + options + "\" start") +
      " >>" + log + " 2>&1";
  if (std::system(init.c_str()) != 0 || std::system(start.c_str()) != 0) {  // NOLINT
    const std::string why = slurp(log) + slurp(dir_ / "server.log");
    std::filesystem::remove_all(dir_);
    throw std::runtime_error("PostgreSQL did not start:\n" + why);
  }
}

PostgresServer::~PostgresServer() {
  const std::string stop =
      as_server_user((kBin / "pg_ctl").string() + " -D " + (dir_ / "data").string() +
                     " -m immediate -w stop" + " >/dev/null 2>&1");
  std::system(stop.c_str());  // NOLINT(cert-env33-c): test teardown
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresServer::create_database() {
  const std::string base = "postgresql://postgres@127.0.0.1:" + std::to_string(port_);
  const std::string name = "t" + std::to_string(++databases_);
  PGconn* conn = PQconnectdb((base + "/postgres").c_str());
  PGresult* result = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string why = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("CREATE DATABASE failed: " + why);
  return base + "/" + name;
}

}  // namespace carescan::testing
