// Operations: /healthz (the process answers), /readyz (the store answers and the workers run),
// /metrics (Prometheus text), /api/v1/openapi.json.
#include "service/api.h"
#include "service/openapi.h"
#include "service/problem.h"

namespace carescan::service {
namespace {

void healthz(Call& call) {
  send_text(call.response, 200, "text/plain", "ok\n");
}

void readyz(Call& call) {
  if (!call.ctx.ready.load()) {
    throw Problem(503, "not-ready", "Not ready", "the service is starting or stopping", 1);
  }
  (void)call.ctx.store.counts();  // throws StoreError (-> 503) when the database is gone
  send_text(call.response, 200, "text/plain", "ready\n");
}

void metrics(Call& call) {
  send_text(call.response, 200, "text/plain; version=0.0.4", call.ctx.metrics.render());
}

void openapi(Call& call) {
  send_text(call.response, 200, "application/json", std::string(openapi_document()));
}

}  // namespace

std::vector<Route> ops_routes() {
  return {
      {"GET", "/healthz", Access::kPublic, healthz},
      {"GET", "/readyz", Access::kPublic, readyz},
      {"GET", "/metrics", Access::kPublic, metrics},
      {"GET", "/api/v1/openapi.json", Access::kPublic, openapi},
  };
}

std::vector<Route> api_routes() {
  std::vector<Route> all;
  for (auto group :
       {document_routes(), claim_routes(), session_routes(), ops_routes(), review_routes()}) {
    all.insert(all.end(), group.begin(), group.end());
  }
  return all;
}

}  // namespace carescan::service
