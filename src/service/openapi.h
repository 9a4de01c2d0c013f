#pragma once
// The OpenAPI 3 description of the v1 API (docs/api/openapi.json), built into the binary.

#include <string_view>

namespace carescan::service {

std::string_view openapi_document();

}  // namespace carescan::service
