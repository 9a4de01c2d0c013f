#pragma once
// HTTP answers of the service: JSON bodies, and errors as RFC 9457 problem details.

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <stdexcept>
#include <string>

namespace carescan::service {

// An error that a handler raises and the router turns into `application/problem+json`.
// `type` is a short slug, published as https://carescan.example/problems/<type>.
class Problem : public std::runtime_error {
 public:
  Problem(int status, std::string type, std::string title, std::string detail,
          int retry_after_seconds = 0)
      : std::runtime_error(detail),
        status_(status),
        type_(std::move(type)),
        title_(std::move(title)),
        retry_after_(retry_after_seconds) {}

  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] const std::string& type() const { return type_; }
  [[nodiscard]] const std::string& title() const { return title_; }
  [[nodiscard]] int retry_after() const { return retry_after_; }

 private:
  int status_;
  std::string type_;
  std::string title_;
  int retry_after_;
};

// Shorthands for the answers every endpoint shares.
Problem bad_request(const std::string& detail);
Problem not_found(const std::string& what);
Problem unauthorized(const std::string& detail);
Problem forbidden(const std::string& detail);

void send_problem(Poco::Net::HTTPServerResponse& response, const Problem& problem,
                  const std::string& instance);
void send_json(Poco::Net::HTTPServerResponse& response, int status,
               const Poco::JSON::Object::Ptr& body);
void send_text(Poco::Net::HTTPServerResponse& response, int status, const std::string& media_type,
               const std::string& body);

}  // namespace carescan::service
