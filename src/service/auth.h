#pragma once
// Who is calling: an office by its API key, or a reviewer/administrator by a session cookie.

#include <Poco/Net/HTTPServerRequest.h>

#include <optional>
#include <string>

#include "store/store.h"

namespace carescan::service {

enum class CallerKind { kOffice, kReviewer, kAdmin };

struct Caller {
  CallerKind kind = CallerKind::kOffice;
  store::Id office_id = 0;  // offices only
  std::string office_code;
  store::Id user_id = 0;  // reviewers and admins only
  std::string username;
  std::string session_hash;  // sessions only
  std::string csrf_token;    // sessions only
  std::string rate_key;      // what the rate limit counts against: the key id or the user id
  [[nodiscard]] bool is_staff() const { return kind != CallerKind::kOffice; }
};

inline constexpr const char* kSessionCookie = "carescan_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

// nullopt when the request carries no credentials; a Problem 401 when it carries wrong ones
// (unknown or revoked key, expired session, disabled user).
std::optional<Caller> authenticate(const Poco::Net::HTTPServerRequest& request,
                                   store::Store& store);

// A session's writes must echo its CSRF token in X-CSRF-Token: a cross-site form cannot read
// it. API-key callers are exempt (a browser never sends their header on its own).
void require_csrf(const Poco::Net::HTTPServerRequest& request, const Caller& caller);

struct Login {
  std::string token;  // the cookie's value, never stored
  store::Session session;
  store::User user;
};

// nullopt for an unknown user, a wrong password or a disabled account (one answer for all).
std::optional<Login> login(store::Store& store, const std::string& username,
                           const std::string& password, int ttl_seconds);

// Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure when served over TLS.
std::string session_cookie(const std::string& token, int max_age_seconds, bool secure);

}  // namespace carescan::service
