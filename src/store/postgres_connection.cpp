#include <libpq-fe.h>

#include <string>

#include "store/sql.h"

namespace carescan::store::sql {
namespace {

constexpr Oid kInt8Oid =
    20;  // pg_type.oid of bigint; text parameters are left for the server to type

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw StoreError("cannot connect to PostgreSQL: " + why);
    }
    // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kPostgres; }

  Rows query(std::string_view sql, const Params& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        texts[i] = std::to_string(*n);
        types[i] = kInt8Oid;
        values[i] = texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    Result result(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(params.size()),
                               types.data(), values.data(), nullptr, nullptr, 0));
    check(result.get(), sql);
    Rows rows;
    const int n = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      std::vector<std::optional<std::string>> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) {
          row.emplace_back();
        } else {
          row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                       static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
        }
      }
      rows.emplace_back(std::move(row));
    }
    return rows;
  }

  void script(std::string_view sql) override {
    Result result(PQexec(conn_, std::string(sql).c_str()));
    check(result.get(), sql);
  }

  void begin() override { script("BEGIN"); }
  [[nodiscard]] bool healthy() const override { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  void check(PGresult* result, std::string_view sql) const {
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string why = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw StoreError("postgresql: " + why + " in: " + std::string(sql.substr(0, 120)));
  }

  PGconn* conn_;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace carescan::store::sql
