#include "store/sql_store.h"

#include "store/migrations.h"

namespace carescan::store {

ConnectionPool::Lease ConnectionPool::take() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_size_; });
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, factory_());
  } catch (...) {
    lock.lock();
    --open_;
    returned_.notify_one();
    throw;
  }
}

void ConnectionPool::give_back(std::unique_ptr<sql::Connection> c) {
  std::lock_guard lock(mutex_);
  if (c && c->healthy()) {
    idle_.push_back(std::move(c));
  } else {
    --open_;  // a dead connection is dropped; the next take opens a fresh one
  }
  returned_.notify_one();
}

SqlStore::SqlStore(ConnectionPool::Factory factory, int pool_size, StoreOptions options)
    : pool_(std::move(factory), pool_size), options_(std::move(options)) {
  auto c = pool_.take();
  migrate(*c, now());
}

Time SqlStore::now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
}

const char* SqlStore::skip_locked(const sql::Connection& c) {
  return c.dialect() == sql::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
}

int SqlStore::schema_version() {
  return transact([](sql::Connection& c) {
    return static_cast<int>(c.query("SELECT MAX(version) FROM schema_migrations").at(0).integer(0));
  });
}

void SqlStore::record_transition(sql::Connection& c, Id page_id, std::optional<PageState> from,
                                 PageState to, const std::string& actor, const std::string& note) {
  sql::Param from_param = nullptr;
  if (from) from_param = std::string(to_string(*from));
  c.query(
      "INSERT INTO transitions (page_id, from_state, to_state, at, actor, note) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {page_id, from_param, std::string(to_string(to)), sql::millis(now()), actor, note});
}

void SqlStore::set_page_state(sql::Connection& c, Id page_id, PageState from, PageState to,
                              const std::string& actor, const std::string& note) {
  c.query("UPDATE pages SET state = $2, updated_at = $3 WHERE id = $1",
          {page_id, std::string(to_string(to)), sql::millis(now())});
  record_transition(c, page_id, from, to, actor, note);
}

// A document is done once none of its pages waits to be read.
void SqlStore::refresh_document_state(sql::Connection& c, Id document_id) {
  const auto rows = c.query(
      "SELECT SUM(CASE WHEN state IN ('received', 'processing') THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN state = 'received' THEN 1 ELSE 0 END), COUNT(*) "
      "FROM pages WHERE document_id = $1",
      {document_id});
  const auto waiting = rows.at(0).integer(0);
  const auto untouched = rows.at(0).integer(1);
  const auto total = rows.at(0).integer(2);
  DocumentState state = DocumentState::kProcessing;
  if (waiting == 0) state = DocumentState::kDone;
  if (untouched == total) state = DocumentState::kReceived;
  c.query("UPDATE documents SET state = $2, updated_at = $3 WHERE id = $1 AND state <> $2",
          {document_id, std::string(to_string(state)), sql::millis(now())});
}

std::unique_ptr<Store> open_store(const std::string& url, const std::filesystem::path& data_dir,
                                  const StoreOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::filesystem::path file = url.substr(kSqlite.size());
    if (file.empty()) throw StoreError("storage url \"" + url + "\" names no database file");
    if (file.is_relative()) file = data_dir / file;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    const int busy = options.busy_timeout_ms;
    // One connection: SQLite has one writer at a time anyway, and a process-wide mutex is
    // cheaper than SQLITE_BUSY waits between our own threads.
    return std::make_unique<SqlStore>(
        [file, busy] { return sql::open_sqlite(file.string(), busy); }, 1, options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return std::make_unique<SqlStore>([url] { return sql::open_postgres(url); }, 8, options);
  }
  throw StoreError("storage url \"" + url +
                   "\" is neither sqlite:PATH nor postgresql://user@host:port/database");
}

std::unique_ptr<Store> open_store(const core::StorageConfig& config) {
  StoreOptions options;
  options.max_page_attempts = config.max_page_attempts;
  options.busy_timeout_ms = config.busy_timeout_ms;
  return open_store(config.url, config.data_dir, options);
}

std::filesystem::path blob_root(const core::StorageConfig& config) {
  return config.data_dir / "blobs";
}

}  // namespace carescan::store
