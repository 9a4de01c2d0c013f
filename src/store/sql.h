#pragma once
// A thin, dialect-aware connection to SQLite or PostgreSQL: statements with $1..$n parameters
// run unchanged on both, values travel as NULL, 64-bit integers or text.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/store.h"

namespace carescan::store::sql {

using Param = std::variant<std::nullptr_t, std::int64_t, std::string>;
using Params = std::vector<Param>;

[[nodiscard]] inline std::int64_t millis(Time t) {
  return t.time_since_epoch().count();
}
[[nodiscard]] inline Time from_millis(std::int64_t ms) {
  return Time(std::chrono::milliseconds(ms));
}

// One result row; columns are read by position, in the SELECT's order.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> values) : values_(std::move(values)) {}
  [[nodiscard]] bool is_null(std::size_t i) const { return !values_.at(i).has_value(); }
  [[nodiscard]] std::string text(std::size_t i) const { return values_.at(i).value_or(""); }
  [[nodiscard]] std::int64_t integer(std::size_t i) const;
  [[nodiscard]] Time time(std::size_t i) const { return from_millis(integer(i)); }
  [[nodiscard]] std::optional<Time> optional_time(std::size_t i) const;

 private:
  std::vector<std::optional<std::string>> values_;
};
using Rows = std::vector<Row>;

template <typename T, typename Map>
std::optional<T> first(const Rows& rows, Map map) {
  if (rows.empty()) return std::nullopt;
  return map(rows.front());
}

template <typename T, typename Map>
std::vector<T> all(const Rows& rows, Map map) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(map(r));
  return out;
}

enum class Dialect { kSqlite, kPostgres };

class Connection {
 public:
  virtual ~Connection() = default;
  [[nodiscard]] virtual Dialect dialect() const = 0;
  // Runs one statement; throws StoreError with the database's message.
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void script(std::string_view sql) = 0;
  // SQLite takes the write lock at BEGIN (IMMEDIATE) so that two writers never deadlock on an
  // upgrade; PostgreSQL uses row locks.
  virtual void begin() = 0;
  void commit() { script("COMMIT"); }
  void rollback() { script("ROLLBACK"); }
  // False once the server is gone; the pool then drops the connection.
  [[nodiscard]] virtual bool healthy() const = 0;
};

std::unique_ptr<Connection> open_sqlite(const std::string& path, int busy_timeout_ms);
std::unique_ptr<Connection> open_postgres(const std::string& url);

}  // namespace carescan::store::sql
