#pragma once
// The v1 API's routes: method + path pattern -> handler, with authentication, rate limits and
// errors as problem details applied to all of them in one place.

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "service/auth.h"
#include "service/context.h"

namespace carescan::service {

struct Call {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  ServiceContext& ctx;
  std::vector<std::string> params;  // the {…} segments of the pattern, in order
  std::optional<Caller> caller;     // empty on public routes called anonymously

  // The caller, or a Problem 401.
  const Caller& who() const;
  // Query parameter `name`, or empty.
  [[nodiscard]] std::string query(const std::string& name) const;
};

enum class Access { kPublic, kAnyCaller };

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/claims/{id}"
  Access access;
  std::function<void(Call&)> handle;
};

// The API's routes (api_*.cpp).
std::vector<Route> api_routes();

class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  RequestRouter(ServiceContext& ctx, std::vector<Route> routes)
      : ctx_(ctx), routes_(std::move(routes)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

  void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

 private:
  ServiceContext& ctx_;
  std::vector<Route> routes_;
};

}  // namespace carescan::service
