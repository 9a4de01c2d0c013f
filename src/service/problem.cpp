#include "service/problem.h"

#include <Poco/Net/HTTPResponse.h>

#include "core/json_util.h"

namespace carescan::service {

using Poco::Net::HTTPResponse;

Problem bad_request(const std::string& detail) {
  return {HTTPResponse::HTTP_BAD_REQUEST, "bad-request", "The request is not valid", detail};
}

Problem not_found(const std::string& what) {
  return {HTTPResponse::HTTP_NOT_FOUND, "not-found", "Not found", what + " does not exist"};
}

Problem unauthorized(const std::string& detail) {
  return {HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", "Authentication required", detail};
}

Problem forbidden(const std::string& detail) {
  return {HTTPResponse::HTTP_FORBIDDEN, "forbidden", "Not allowed", detail};
}

void send_problem(Poco::Net::HTTPServerResponse& response, const Problem& problem,
                  const std::string& instance) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("type", "https://carescan.example/problems/" + problem.type());
  body->set("title", problem.title());
  body->set("status", problem.status());
  body->set("detail", std::string(problem.what()));
  body->set("instance", instance);
  if (problem.retry_after() > 0) {
    response.set("Retry-After", std::to_string(problem.retry_after()));
  }
  if (problem.status() == HTTPResponse::HTTP_UNAUTHORIZED) {
    response.set("WWW-Authenticate", "Bearer realm=\"carescan\"");
  }
  send_text(response, problem.status(), "application/problem+json", core::to_json(body));
}

void send_json(Poco::Net::HTTPServerResponse& response, int status,
               const Poco::JSON::Object::Ptr& body) {
  send_text(response, status, "application/json", core::to_json(body));
}

void send_text(Poco::Net::HTTPServerResponse& response, int status, const std::string& media_type,
               const std::string& body) {
  response.setStatus(static_cast<HTTPResponse::HTTPStatus>(status));
  response.setContentType(media_type);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.set("Cache-Control", "no-store");
  response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

}  // namespace carescan::service
