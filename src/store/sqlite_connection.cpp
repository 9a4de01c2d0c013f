#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>

#include "store/sql.h"

namespace carescan::store::sql {
namespace {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db) + " in: " + std::string(sql));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are named $1..$n; SQLite numbers them by first appearance, so each is looked up
  // by name rather than assumed to be at its position.
  void bind(const Params& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int at = sqlite3_bind_parameter_index(stmt_, name.c_str());
      if (at == 0) continue;  // a parameter the statement does not use
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt_, at, *n);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text(stmt_, at, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt_, at);
      }
      if (rc != SQLITE_OK) throw StoreError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }
  }

  Rows run() {
    Rows rows;
    const int columns = sqlite3_column_count(stmt_);
    for (;;) {
      const int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_DONE) return rows;
      if (rc != SQLITE_ROW) {
        throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db_) +
                         " in: " + sqlite3_sql(stmt_));
      }
      std::vector<std::optional<std::string>> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt_, c) == SQLITE_NULL) {
          values.emplace_back();
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
          values.emplace_back(
              std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c))));
        }
      }
      rows.emplace_back(std::move(values));
    }
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, int busy_timeout_ms) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StoreError("cannot open SQLite database " + path + ": " + why);
    }
    busy_timeout_ms_ = busy_timeout_ms;
    sqlite3_busy_handler(db_, &SqliteConnection::wait_when_busy, this);
    // WAL lets readers run beside the writer; FULL syncs each commit, since a stored claim is
    // money that must survive a power cut, not only a killed process.
    script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  }
  ~SqliteConnection() override { sqlite3_close(db_); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  [[nodiscard]] Dialect dialect() const override { return Dialect::kSqlite; }

  // SQLite's own busy timeout sleeps ever longer (up to 100 ms) between tries, so a waiter
  // starves while other processes keep taking the write lock between its naps: with four
  // writers one waited past 5 s. Polling every millisecond keeps the waiters on an even footing.
  static int wait_when_busy(void* self, int tries) {
    const auto* c = static_cast<const SqliteConnection*>(self);
    if (tries >= c->busy_timeout_ms_) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
  }

  Rows query(std::string_view sql, const Params& params) override {
    Statement stmt(db_, sql);
    stmt.bind(params);
    return stmt.run();
  }

  void script(std::string_view sql) override {
    char* error = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string why = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw StoreError("sqlite: " + why + " in: " + std::string(sql.substr(0, 120)));
    }
  }

  void begin() override { script("BEGIN IMMEDIATE"); }
  [[nodiscard]] bool healthy() const override { return true; }

 private:
  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 0;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path, int busy_timeout_ms) {
  return std::make_unique<SqliteConnection>(path, busy_timeout_ms);
}

}  // namespace carescan::store::sql
