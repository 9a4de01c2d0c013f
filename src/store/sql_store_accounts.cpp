// Offices, API keys, users and sessions.
#include "store/sql_store.h"

namespace carescan::store {
namespace {

constexpr const char* kOfficeColumns = "id, code, name, created_at";
constexpr const char* kKeyColumns =
    "id, office_id, prefix, key_hash, label, created_at, revoked_at";
constexpr const char* kUserColumns =
    "id, username, display_name, role, password_hash, disabled, created_at";

Office office_from(const sql::Row& r) {
  return {r.integer(0), r.text(1), r.text(2), r.time(3)};
}

ApiKey key_from(const sql::Row& r) {
  return {r.integer(0), r.integer(1), r.text(2),         r.text(3),
          r.text(4),    r.time(5),    r.optional_time(6)};
}

User user_from(const sql::Row& r) {
  return {
      r.integer(0), r.text(1),         r.text(2), parse_role(r.text(3)).value_or(Role::kReviewer),
      r.text(4),    r.integer(5) != 0, r.time(6)};
}

}  // namespace

Office SqlStore::create_office(const std::string& code, const std::string& name) {
  return transact([&](sql::Connection& c) {
    return office_from(c.query(std::string("INSERT INTO offices (code, name, created_at) VALUES "
                                           "($1, $2, $3) RETURNING ") +
                                   kOfficeColumns,
                               {code, name, sql::millis(now())})
                           .at(0));
  });
}

std::optional<Office> SqlStore::find_office(Id id) {
  return transact([&](sql::Connection& c) {
    return sql::first<Office>(
        c.query(std::string("SELECT ") + kOfficeColumns + " FROM offices WHERE id = $1", {id}),
        office_from);
  });
}

std::optional<Office> SqlStore::find_office_by_code(const std::string& code) {
  return transact([&](sql::Connection& c) {
    return sql::first<Office>(
        c.query(std::string("SELECT ") + kOfficeColumns + " FROM offices WHERE code = $1", {code}),
        office_from);
  });
}

std::vector<Office> SqlStore::list_offices() {
  return transact([&](sql::Connection& c) {
    return sql::all<Office>(
        c.query(std::string("SELECT ") + kOfficeColumns + " FROM offices ORDER BY code"),
        office_from);
  });
}

ApiKey SqlStore::add_api_key(Id office_id, const std::string& prefix, const std::string& key_hash,
                             const std::string& label) {
  return transact([&](sql::Connection& c) {
    return key_from(c.query(std::string("INSERT INTO api_keys (office_id, prefix, key_hash, label, "
                                        "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ") +
                                kKeyColumns,
                            {office_id, prefix, key_hash, label, sql::millis(now())})
                        .at(0));
  });
}

std::optional<ApiKey> SqlStore::find_api_key(const std::string& key_hash) {
  return transact([&](sql::Connection& c) {
    return sql::first<ApiKey>(
        c.query(std::string("SELECT ") + kKeyColumns +
                    " FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
                {key_hash}),
        key_from);
  });
}

std::vector<ApiKey> SqlStore::list_api_keys(Id office_id) {
  return transact([&](sql::Connection& c) {
    return sql::all<ApiKey>(c.query(std::string("SELECT ") + kKeyColumns +
                                        " FROM api_keys WHERE office_id = $1 ORDER BY id",
                                    {office_id}),
                            key_from);
  });
}

bool SqlStore::revoke_api_key(Id key_id) {
  return transact([&](sql::Connection& c) {
    return !c.query(
                 "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL "
                 "RETURNING id",
                 {key_id, sql::millis(now())})
                .empty();
  });
}

User SqlStore::create_user(const std::string& username, const std::string& display_name, Role role,
                           const std::string& password_hash) {
  return transact([&](sql::Connection& c) {
    return user_from(c.query(std::string("INSERT INTO users (username, display_name, role, "
                                         "password_hash, created_at) VALUES ($1, $2, $3, $4, $5) "
                                         "RETURNING ") +
                                 kUserColumns,
                             {username, display_name, std::string(to_string(role)), password_hash,
                              sql::millis(now())})
                         .at(0));
  });
}

std::optional<User> SqlStore::find_user(Id id) {
  return transact([&](sql::Connection& c) {
    return sql::first<User>(
        c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", {id}),
        user_from);
  });
}

std::optional<User> SqlStore::find_user_by_name(const std::string& username) {
  return transact([&](sql::Connection& c) {
    return sql::first<User>(
        c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = $1",
                {username}),
        user_from);
  });
}

std::vector<User> SqlStore::list_users() {
  return transact([&](sql::Connection& c) {
    return sql::all<User>(
        c.query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY username"),
        user_from);
  });
}

bool SqlStore::set_password_hash(Id user_id, const std::string& password_hash) {
  return transact([&](sql::Connection& c) {
    return !c.query("UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING id",
                    {user_id, password_hash})
                .empty();
  });
}

bool SqlStore::set_user_disabled(Id user_id, bool disabled) {
  return transact([&](sql::Connection& c) {
    const bool found = !c.query("UPDATE users SET disabled = $2 WHERE id = $1 RETURNING id",
                                {user_id, std::int64_t{disabled ? 1 : 0}})
                            .empty();
    // A disabled user's open sessions end with the account.
    if (disabled) c.query("DELETE FROM sessions WHERE user_id = $1", {user_id});
    return found;
  });
}

void SqlStore::create_session(const Session& s) {
  transact([&](sql::Connection& c) {
    c.query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {s.token_hash, s.user_id, s.csrf_token, sql::millis(s.created_at),
         sql::millis(s.expires_at)});
  });
}

std::optional<Session> SqlStore::find_session(const std::string& token_hash) {
  return transact([&](sql::Connection& c) {
    return sql::first<Session>(
        c.query("SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions "
                "WHERE token_hash = $1 AND expires_at > $2",
                {token_hash, sql::millis(now())}),
        [](const sql::Row& r) {
          return Session{r.text(0), r.integer(1), r.text(2), r.time(3), r.time(4)};
        });
  });
}

void SqlStore::delete_session(const std::string& token_hash) {
  transact([&](sql::Connection& c) {
    c.query("DELETE FROM sessions WHERE token_hash = $1", {token_hash});
  });
}

}  // namespace carescan::store
