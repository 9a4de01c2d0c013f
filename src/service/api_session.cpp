// Reviewers' and administrators' sessions: POST /api/v1/session (log in), DELETE (log out),
// GET (who am I, and the CSRF token again after a page reload).
#include "core/json_util.h"
#include "service/api.h"
#include "service/http_body.h"
#include "service/log.h"
#include "service/problem.h"
#include "service/views.h"

namespace carescan::service {
namespace {

Poco::JSON::Object::Ptr me(const std::string& username, const std::string& role,
                           const std::string& csrf) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("username", username);
  out->set("role", role);
  out->set("csrf_token", csrf);
  return out;
}

void log_in(Call& call) {
  const std::string text = read_body(call.request, 16 * 1024);
  std::string username;
  std::string password;
  try {
    const auto body = core::parse_json_object(text, "body");
    username = body->optValue<std::string>("username", "");
    password = body->optValue<std::string>("password", "");
  } catch (const std::exception&) {
    throw bad_request("send {\"username\": …, \"password\": …} as JSON");
  }
  if (username.empty() || password.empty()) throw bad_request("username and password are required");
  // Guessing passwords costs a token from the same bucket as any call of that name.
  if (const int wait = call.ctx.limiter.take("login:" + username); wait > 0) {
    throw Problem(429, "rate-limited", "Too many attempts", "wait before trying again", wait);
  }
  const auto login_result =
      login(call.ctx.store, username, password, call.ctx.config.service.session_ttl_seconds);
  if (!login_result) {
    log_event("warn", "session.login_failed", {});
    throw unauthorized("the user name or the password is wrong");
  }
  call.response.set("Set-Cookie",
                    session_cookie(login_result->token, call.ctx.config.service.session_ttl_seconds,
                                   call.ctx.tls));
  log_event("info", "session.login", {{"user_id", std::to_string(login_result->user.id)}});
  send_json(call.response, 200,
            me(login_result->user.username, std::string(store::to_string(login_result->user.role)),
               login_result->session.csrf_token));
}

void log_out(Call& call) {
  const Caller& who = call.who();
  if (who.session_hash.empty()) throw bad_request("API keys have no session to end");
  call.ctx.store.delete_session(who.session_hash);
  call.response.set("Set-Cookie", session_cookie("", 0, call.ctx.tls));
  call.response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  call.response.setContentLength(0);
  call.response.send();
}

void who_am_i(Call& call) {
  const Caller& who = call.who();
  if (!who.is_staff()) {
    auto out = me(who.office_code, "office", "");
    out->remove("csrf_token");
    send_json(call.response, 200, out);
    return;
  }
  send_json(
      call.response, 200,
      me(who.username, who.kind == CallerKind::kAdmin ? "admin" : "reviewer", who.csrf_token));
}

}  // namespace

std::vector<Route> session_routes() {
  return {
      {"POST", "/api/v1/session", Access::kPublic, log_in},
      {"DELETE", "/api/v1/session", Access::kAnyCaller, log_out},
      {"GET", "/api/v1/session", Access::kAnyCaller, who_am_i},
  };
}

}  // namespace carescan::service
