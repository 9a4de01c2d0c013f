#pragma once
// Structured logs: one JSON object per line on stderr. Callers pass no names or CIN numbers;
// ids (claim, document, page), states and error texts only.

#include <string>
#include <utility>
#include <vector>

namespace carescan::service {

using LogFields = std::vector<std::pair<std::string, std::string>>;

void log_event(const std::string& level, const std::string& event, const LogFields& fields = {});

}  // namespace carescan::service
