#include "service/auth.h"

#include <Poco/Net/NameValueCollection.h>

#include "service/problem.h"
#include "service/secrets.h"

namespace carescan::service {
namespace {

std::string bearer_or_api_key(const Poco::Net::HTTPServerRequest& request) {
  const std::string auth = request.get("Authorization", "");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.compare(0, kBearer.size(), kBearer) == 0) {
    return auth.substr(kBearer.size());
  }
  return request.get("X-Api-Key", "");
}

store::Time now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(store::Clock::now());
}

}  // namespace

std::optional<Caller> authenticate(const Poco::Net::HTTPServerRequest& request,
                                   store::Store& store) {
  if (const std::string key = bearer_or_api_key(request); !key.empty()) {
    const auto found = store.find_api_key(token_hash(key));
    if (!found) throw unauthorized("the API key is unknown or revoked");
    Caller c;
    c.kind = CallerKind::kOffice;
    c.office_id = found->office_id;
    const auto office = store.find_office(found->office_id);
    c.office_code = office ? office->code : "";
    c.rate_key = "key:" + std::to_string(found->id);
    return c;
  }
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  if (!cookies.has(kSessionCookie)) return std::nullopt;
  const std::string hash = token_hash(cookies.get(kSessionCookie));
  const auto session = store.find_session(hash);
  if (!session) throw unauthorized("the session has expired; log in again");
  const auto user = store.find_user(session->user_id);
  if (!user || user->disabled) throw unauthorized("the account is disabled");
  Caller c;
  c.kind = user->role == store::Role::kAdmin ? CallerKind::kAdmin : CallerKind::kReviewer;
  c.user_id = user->id;
  c.username = user->username;
  c.session_hash = hash;
  c.csrf_token = session->csrf_token;
  c.rate_key = "user:" + std::to_string(user->id);
  return c;
}

void require_csrf(const Poco::Net::HTTPServerRequest& request, const Caller& caller) {
  if (caller.session_hash.empty()) return;
  if (!equal_constant_time(request.get(kCsrfHeader, ""), caller.csrf_token)) {
    throw forbidden("a write with a session cookie needs the session's CSRF token in " +
                    std::string(kCsrfHeader));
  }
}

std::optional<Login> login(store::Store& store, const std::string& username,
                           const std::string& password, int ttl_seconds) {
  const auto user = store.find_user_by_name(username);
  if (!user || user->disabled || !verify_password(password, user->password_hash)) {
    return std::nullopt;
  }
  Login l;
  l.token = random_hex(32);
  l.user = *user;
  l.session.token_hash = token_hash(l.token);
  l.session.user_id = user->id;
  l.session.csrf_token = random_hex(32);
  l.session.created_at = now();
  l.session.expires_at = l.session.created_at + std::chrono::seconds(ttl_seconds);
  store.create_session(l.session);
  return l;
}

std::string session_cookie(const std::string& token, int max_age_seconds, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + token +
                  "; Path=/; Max-Age=" + std::to_string(max_age_seconds) +
                  "; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  return c;
}

}  // namespace carescan::service
