#pragma once
// The Store over SQL, shared by the SQLite and PostgreSQL backends; they differ only in the
// connection and in how a row is locked for a lease.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sql.h"
#include "store/store.h"

namespace carescan::store {

// Hands out connections, one per running transaction, opening more up to `max_size`.
class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<sql::Connection>()>;
  ConnectionPool(Factory factory, int max_size)
      : factory_(std::move(factory)), max_size_(max_size) {}

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<sql::Connection> c)
        : pool_(pool), c_(std::move(c)) {}
    ~Lease() { pool_.give_back(std::move(c_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sql::Connection& operator*() { return *c_; }
    sql::Connection* operator->() { return c_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<sql::Connection> c_;
  };
  Lease take();

 private:
  void give_back(std::unique_ptr<sql::Connection> c);

  Factory factory_;
  int max_size_;
  int open_ = 0;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
};

class SqlStore final : public Store {
 public:
  SqlStore(ConnectionPool::Factory factory, int pool_size, StoreOptions options);

  int schema_version() override;

  Office create_office(const std::string& code, const std::string& name) override;
  std::optional<Office> find_office(Id id) override;
  std::optional<Office> find_office_by_code(const std::string& code) override;
  std::vector<Office> list_offices() override;
  ApiKey add_api_key(Id office_id, const std::string& prefix, const std::string& key_hash,
                     const std::string& label) override;
  std::optional<ApiKey> find_api_key(const std::string& key_hash) override;
  std::vector<ApiKey> list_api_keys(Id office_id) override;
  bool revoke_api_key(Id key_id) override;
  User create_user(const std::string& username, const std::string& display_name, Role role,
                   const std::string& password_hash) override;
  std::optional<User> find_user(Id id) override;
  std::optional<User> find_user_by_name(const std::string& username) override;
  std::vector<User> list_users() override;
  bool set_password_hash(Id user_id, const std::string& password_hash) override;
  bool set_user_disabled(Id user_id, bool disabled) override;
  void create_session(const Session& session) override;
  std::optional<Session> find_session(const std::string& token_hash) override;
  void delete_session(const std::string& token_hash) override;

  Intake add_document(const NewDocument& document) override;
  std::optional<Document> find_document(Id id) override;
  std::vector<Page> document_pages(Id document_id) override;
  std::vector<Transition> page_transitions(Id page_id) override;
  std::optional<PageLease> lease_next_page(const std::string& worker, int lease_seconds) override;
  CompleteResult complete_page(Id page_id, const std::string& worker,
                               const PageResult& result) override;
  PageState fail_page(Id page_id, const std::string& worker, const std::string& error) override;

  std::optional<Claim> find_claim(const std::string& claim_id) override;
  std::vector<Claim> document_claims(Id document_id) override;
  ClaimPage list_claims(const ClaimQuery& query) override;

  std::vector<Delivery> lease_due_deliveries(const std::string& worker, int limit,
                                             int lease_seconds) override;
  void delivery_succeeded(const std::string& claim_id) override;
  DeliveryState delivery_failed(const std::string& claim_id, const std::string& error,
                                const RetryPolicy& policy) override;
  std::optional<Delivery> find_delivery(const std::string& claim_id) override;

  std::optional<ReviewLease> lease_for_review(const std::string& claim_id, Id user_id,
                                              int lease_seconds) override;
  void release_review(const std::string& claim_id, Id user_id) override;
  ReviewResult save_review(const ReviewDecision& decision) override;
  std::vector<AuditEntry> claim_audit(const std::string& claim_id) override;

  QueueCounts counts() override;

 private:
  // Runs `work` in one transaction on a pooled connection; rolls back if it throws.
  template <typename Work>
  auto transact(Work&& work) {
    auto c = pool_.take();
    c->begin();
    try {
      if constexpr (std::is_void_v<decltype(work(*c))>) {
        work(*c);
        c->commit();
      } else {
        auto result = work(*c);
        c->commit();
        return result;
      }
    } catch (...) {
      if (c->healthy()) c->rollback();
      throw;
    }
  }

  [[nodiscard]] Time now() const;
  // " FOR UPDATE SKIP LOCKED" on PostgreSQL: concurrent lessees pass over each other's rows.
  // SQLite needs none: BEGIN IMMEDIATE already gives the transaction the whole database.
  [[nodiscard]] static const char* skip_locked(const sql::Connection& c);
  void record_transition(sql::Connection& c, Id page_id, std::optional<PageState> from,
                         PageState to, const std::string& actor, const std::string& note);
  void set_page_state(sql::Connection& c, Id page_id, PageState from, PageState to,
                      const std::string& actor, const std::string& note);
  void refresh_document_state(sql::Connection& c, Id document_id);

  ConnectionPool pool_;
  StoreOptions options_;
};

}  // namespace carescan::store
