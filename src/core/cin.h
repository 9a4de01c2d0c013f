#pragma once
// The CIN (national ID number), which is also the student's affiliation number.

#include <string>
#include <string_view>

namespace carescan::core {

enum class CinShape {
  kStrict,   // one or two capital letters then 5 or 6 digits: the usual form
  kUnusual,  // letters then digits, but another length (at most 8 characters): warn
  kInvalid,  // anything else
};

// Capitals, no spaces: " be 123 456" -> "BE123456".
[[nodiscard]] std::string normalize_cin(std::string_view raw);
[[nodiscard]] CinShape classify_cin(std::string_view normalized);
// Keeps the prefix and the last two digits, for logs: "BE****56". Never log a CIN otherwise.
[[nodiscard]] std::string mask_cin(std::string_view cin);

}  // namespace carescan::core
