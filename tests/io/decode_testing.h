#pragma once
// Helpers shared by the decoder's tests.

#include <string>
#include <string_view>

#include "io/decode.h"

namespace carescan::io::testing {

// The DecodeError's message for `bytes`, or "" when they decode.
inline std::string error_of(std::string_view bytes, const DecodeLimits& limits = {}) {
  try {
    decode_bytes(bytes, limits);
  } catch (const DecodeError& e) {
    return e.what();
  }
  return "";
}

}  // namespace carescan::io::testing
