#pragma once
// `carescan serve` as a child process with its own configuration file, for the tests that kill
// it and the benchmark.

#include <Poco/JSON/Object.h>
#include <Poco/Net/ServerSocket.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "harness.h"

namespace carescan::testing {

inline int free_port() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = probe.address().port();
  probe.close();
  return port;
}

// The repository's config with absolute paths, data in `data_dir`, and `service` values
// replaced by `service` (keys as in config/carescan.json); written to `<dir>/config/carescan.json`.
inline std::filesystem::path write_config(const std::filesystem::path& dir,
                                          const std::filesystem::path& data_dir,
                                          const Poco::JSON::Object::Ptr& service) {
  auto cfg = core::read_json_object(source_root() / "config" / "carescan.json");
  // Relative paths (forms, models, calibration, thresholds, vocabulary...) resolve against the
  // source tree.
  for (const char* section : {"paths", "reader", "samples", "claims"}) {
    auto obj = cfg->getObject(section);
    for (const auto& [key, value] : *obj) {
      if (!value.isString()) continue;
      const std::filesystem::path p = value.toString();
      if (p.is_relative() && std::filesystem::exists(source_root() / p)) {
        obj->set(key, (source_root() / p).string());
      }
    }
  }
  cfg->getObject("paths")->set("data_dir", data_dir.string());
  cfg->getObject("claims")->set("today", "2025-03-20");
  cfg->getObject("mailroom")->set("dir", (data_dir / "mailroom").string());
  auto svc = cfg->getObject("service");
  for (const auto& [k, v] : *service) svc->set(k, v);
  std::filesystem::create_directories(dir / "config");
  const auto file = dir / "config" / "carescan.json";
  std::ofstream(file) << core::to_json(cfg, 2);
  return file;
}

class ServeProcess {
 public:
  ServeProcess(std::filesystem::path config, std::filesystem::path log,
               std::vector<std::string> args)
      : config_(std::move(config)), log_(std::move(log)), args_(std::move(args)) {}
  ~ServeProcess() { kill_now(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  void start() {
    std::vector<std::string> argv_s{CARESCAN_BINARY};
    argv_s.insert(argv_s.end(), args_.begin(), args_.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s{"CARESCAN_CONFIG=" + config_.string(), "PATH=/usr/bin:/bin"};
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string log = log_.string();
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
  }

  // SIGKILL: no drain, no cleanup, as a power cut would.
  void kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // SIGTERM, then the exit status once drained.
  int terminate() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::filesystem::path config_;
  std::filesystem::path log_;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
};

inline bool wait_ready(int port, std::chrono::seconds timeout) {
  return wait_until(
      [port] {
        try {
          return http(port, "GET", "/readyz").status == 200;
        } catch (const std::exception&) {
          return false;
        }
      },
      timeout);
}

}  // namespace carescan::testing
