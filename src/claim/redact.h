#pragma once
// Personal data shortened for places that are logs (terminal tables, error lines).

#include <string>
#include <string_view>

namespace carescan::claim {

// "EL AMRANI YOUSSEF" -> "E.A.Y."; "-" when there is nothing to shorten.
[[nodiscard]] std::string initials(std::string_view name);

}  // namespace carescan::claim
