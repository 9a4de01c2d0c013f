#include "store/sql.h"

#include <charconv>

namespace carescan::store::sql {

std::int64_t Row::integer(std::size_t i) const {
  const auto& v = values_.at(i);
  if (!v) return 0;
  std::int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) {
    throw StoreError("store: column " + std::to_string(i) + " is not an integer: " + *v);
  }
  return out;
}

std::optional<Time> Row::optional_time(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return time(i);
}

}  // namespace carescan::store::sql
