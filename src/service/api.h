#pragma once
// The v1 API's handlers, grouped by resource; router.cpp's api_routes() joins them.

#include <vector>

#include "service/router.h"

namespace carescan::service {

std::vector<Route> document_routes();  // POST /documents, GET /documents/{id}
std::vector<Route> claim_routes();     // claims: read, list, approve, reject
std::vector<Route> session_routes();   // login, logout, who am I
std::vector<Route> ops_routes();       // healthz, readyz, metrics, openapi.json
std::vector<Route> review_routes();    // the reviewer page, its queue, leases, corrections, audit

// Offices see only their own documents and claims; staff see all. Another office's resource is
// answered 404, as if it did not exist, so that ids cannot be probed.
void require_visible(const Caller& caller, store::Id office_id, const std::string& what);

}  // namespace carescan::service
