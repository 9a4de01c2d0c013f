#pragma once
// Passwords, API keys, session and CSRF tokens: how they are made and how they are kept.

#include <string>
#include <string_view>

namespace carescan::service {

// PBKDF2-HMAC-SHA256 with a 16-byte random salt, encoded as
// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" so that the work factor can grow later.
[[nodiscard]] std::string hash_password(std::string_view password, int iterations);
// Constant-time; false for a malformed stored value.
[[nodiscard]] bool verify_password(std::string_view password, std::string_view stored);

// `bytes` random bytes from the OS CSPRNG, as lower-case hex.
[[nodiscard]] std::string random_hex(int bytes);

// API keys and session ids are 32 random bytes, so a plain SHA-256 is a safe stored form (no
// dictionary to walk) and lets a request find its key by hash.
[[nodiscard]] std::string token_hash(std::string_view token);
// "csk_" + 64 hex digits: recognisable in a leaked log or config.
[[nodiscard]] std::string new_api_key();

[[nodiscard]] bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace carescan::service
