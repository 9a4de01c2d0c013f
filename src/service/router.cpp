#include "service/router.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "service/log.h"
#include "service/problem.h"

namespace carescan::service {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Fills `params` when `path` fits `pattern`.
bool matches(const std::string& pattern, const std::vector<std::string>& path,
             std::vector<std::string>& params) {
  const auto want = split_path(pattern);
  if (want.size() != path.size()) return false;
  params.clear();
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{') {
      if (path[i].empty()) return false;
      params.push_back(path[i]);
    } else if (want[i] != path[i]) {
      return false;
    }
  }
  return true;
}

// An answer sent before the body was read (401, 413, 429, 503) must still consume it, or the
// client, still writing, sees a reset instead of the answer. A body beyond what is worth reading
// to be polite (the limit, at least 16 MiB) closes the connection instead.
void discard_body(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                  long long limit) {
  const long long worth = std::max(limit, 16LL << 20);
  if (request.getContentLength64() > worth) {
    response.setKeepAlive(false);
    return;
  }
  try {
    request.stream().ignore(worth);
    if (!request.stream().eof()) response.setKeepAlive(false);
  } catch (const std::exception&) {
    response.setKeepAlive(false);
  }
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(RequestRouter& router) : router_(router) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    router_.dispatch(request, response);
  }

 private:
  RequestRouter& router_;
};

}  // namespace

const Caller& Call::who() const {
  if (!caller) throw unauthorized("send an office API key (Authorization: Bearer …) or log in");
  return *caller;
}

std::string Call::query(const std::string& name) const {
  for (const auto& [k, v] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (k == name) return v;
  }
  return {};
}

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new Handler(*this);
}

void RequestRouter::dispatch(Poco::Net::HTTPServerRequest& request,
                             Poco::Net::HTTPServerResponse& response) {
  const auto start = std::chrono::steady_clock::now();
  std::string path;
  try {
    path = Poco::URI(request.getURI()).getPath();
  } catch (const Poco::Exception&) {
    send_problem(response, bad_request("the request target is not a valid URI"), "");
    return;
  }
  const auto parts = split_path(path);
  Call call{request, response, ctx_, {}, std::nullopt};
  try {
    const Route* route = nullptr;
    bool path_known = false;
    for (const auto& r : routes_) {
      if (!matches(r.pattern, parts, call.params)) continue;
      path_known = true;
      if (r.method == request.getMethod()) {
        route = &r;
        break;
      }
    }
    if (route == nullptr) {
      if (path_known) {
        throw Problem(405, "method-not-allowed", "Method not allowed",
                      request.getMethod() + " is not supported on " + path);
      }
      throw not_found("the resource " + path);
    }
    if (route->access != Access::kPublic) {
      call.caller = authenticate(request, ctx_.store);
      const Caller& who = call.who();
      if (const int wait = ctx_.limiter.take(who.rate_key); wait > 0) {
        ++ctx_.metrics.rate_limited;
        throw Problem(429, "rate-limited", "Too many requests",
                      "this key's rate limit is spent; retry after " + std::to_string(wait) + " s",
                      wait);
      }
      if (request.getMethod() != "GET" && request.getMethod() != "HEAD") require_csrf(request, who);
    }
    route->handle(call);
  } catch (const Problem& p) {
    if (!response.sent()) {
      discard_body(request, response, ctx_.config.service.max_body_bytes);
      send_problem(response, p, path);
    }
  } catch (const store::StoreError& e) {
    log_event("error", "http.store_error", {{"path", path}, {"error", e.what()}});
    if (!response.sent()) {
      send_problem(response,
                   Problem(503, "unavailable", "Storage unavailable",
                           "the service cannot reach its storage; retry later",
                           ctx_.config.service.retry_after_seconds),
                   path);
    }
  } catch (const std::exception& e) {
    log_event("error", "http.internal_error", {{"path", path}, {"error", e.what()}});
    if (!response.sent()) {
      send_problem(response, Problem(500, "internal", "Internal error", "the request failed"),
                   path);
    }
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  log_event("info", "http.request",
            {{"method", request.getMethod()},
             {"path", path},
             {"status", std::to_string(static_cast<int>(response.getStatus()))},
             {"ms", std::to_string(static_cast<long>(ms))}});
}

}  // namespace carescan::service
