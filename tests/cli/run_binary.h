#pragma once
// Runs the carescan binary as a user would and captures what it prints.

#include <Poco/JSON/Object.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json_util.h"

namespace carescan::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) {
      if (!l.empty()) v.push_back(l);
    }
    return v;
  }
};

inline std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

// `args` are shell words, already quoted where needed.
inline RunResult run_carescan(const std::string& args) {
  const auto err_file = std::filesystem::temp_directory_path() /
                        ("carescan_cli_stderr_" + std::to_string(::getpid()));
  const std::string command = std::string("CARESCAN_TODAY=2025-03-20 ") + CARESCAN_BINARY + " " +
                              args + " 2>" + quoted(err_file.string());
  RunResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 8192> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  std::ostringstream s;
  s << err.rdbuf();
  r.err = s.str();
  std::filesystem::remove(err_file);
  return r;
}

inline Poco::JSON::Object::Ptr parse(const std::string& line) {
  return core::parse_json_object(line, "claim");
}

inline std::filesystem::path form_image(const std::string& form) {
  return std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config" / "forms" / (form + ".png");
}

}  // namespace carescan::testing
