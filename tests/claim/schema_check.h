#pragma once
// Checks claim JSON Lines against the contract with python3-jsonschema (a Debian package).

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace carescan::testing {

struct SchemaCheck {
  bool valid = false;
  std::string errors;
};

inline SchemaCheck check_claim_lines(const std::filesystem::path& jsonl) {
  const std::filesystem::path dir = std::filesystem::path(CARESCAN_SOURCE_ROOT) / "tests" / "claim";
  const std::string command = "python3 '" + (dir / "check_claims.py").string() + "' '" +
                              (dir / "claim-v1.schema.json").string() + "' '" + jsonl.string() +
                              "' 2>&1";
  SchemaCheck out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) out.errors += buf.data();
  out.valid = pclose(pipe) == 0;
  return out;
}

}  // namespace carescan::testing
