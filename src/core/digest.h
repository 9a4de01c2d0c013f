#pragma once
// Content digests: a scan's identity, and the claim id derived from it.

#include <string>
#include <string_view>

namespace carescan::core {

// Lower-case hex SHA-256 of `bytes`.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace carescan::core
