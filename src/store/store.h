#pragma once
// The service's durable state: offices and their keys, reviewers, documents and their pages as a
// queue, claims, the delivery outbox, review leases and the audit log. SQLite or PostgreSQL.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"

namespace carescan::store {

using Id = std::int64_t;
using Clock = std::chrono::system_clock;
using Time = std::chrono::time_point<Clock, std::chrono::milliseconds>;

// The store could not do what was asked (database down, constraint broken, bad URL). Normal
// outcomes (nothing to lease, a lease lost) are return values, not this.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- who ---------------------------------------------------------------------------------

struct Office {
  Id id = 0;
  std::string code;  // short, unique, used in URLs and the CLI ("casa-anfa", "mailroom")
  std::string name;
  Time created_at;
};

// An office's API key. Only a hash of the key is stored; `prefix` (the key's first characters)
// lets an administrator tell keys apart without seeing them.
struct ApiKey {
  Id id = 0;
  Id office_id = 0;
  std::string prefix;
  std::string key_hash;
  std::string label;
  Time created_at;
  std::optional<Time> revoked_at;
};

enum class Role { kReviewer, kAdmin };
[[nodiscard]] std::string_view to_string(Role role);
[[nodiscard]] std::optional<Role> parse_role(std::string_view text);

struct User {
  Id id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kReviewer;
  std::string password_hash;  // the KDF's encoded string, opaque to the store
  bool disabled = false;
  Time created_at;
};

// A login session. Only a hash of the cookie's token is stored.
struct Session {
  std::string token_hash;
  Id user_id = 0;
  std::string csrf_token;
  Time created_at;
  Time expires_at;
};

// ---- what --------------------------------------------------------------------------------

enum class DocumentState {
  kReceived,    // pages queued
  kProcessing,  // some page read, some not yet
  kDone,        // every page reached a terminal or review state
};
[[nodiscard]] std::string_view to_string(DocumentState state);

struct Document {
  Id id = 0;
  Id office_id = 0;
  std::string sha256;  // of the file's bytes; the file itself is in the image store under it
  std::string filename;
  std::string media_type;
  std::int64_t size_bytes = 0;
  int page_count = 0;
  std::string channel;  // "api", "mailroom", "cli"
  DocumentState state = DocumentState::kReceived;
  Time received_at;
  Time updated_at;
};

// A page's life. received -> processing -> needs_review | accepted | rejected; accepted ->
// delivered | dead_letter; needs_review -> accepted | rejected (by a reviewer). A page whose
// reading failed `max_page_attempts` times (a poison page) ends in failed.
enum class PageState {
  kReceived,
  kProcessing,
  kNeedsReview,
  kAccepted,
  kRejected,
  kDelivered,
  kDeadLetter,
  kFailed,
};
[[nodiscard]] std::string_view to_string(PageState state);
[[nodiscard]] std::optional<PageState> parse_page_state(std::string_view text);

struct Page {
  Id id = 0;
  Id document_id = 0;
  int index = 1;             // 1-based, as in the claim
  std::string image_sha256;  // the page's rendered image in the image store; empty until read
  PageState state = PageState::kReceived;
  int attempts = 0;  // times leased for reading
  std::string leased_by;
  std::optional<Time> lease_until;
  std::string last_error;
  Time updated_at;
};

// Every state change of a page, with its time; `actor` is a worker, a user name or "system".
struct Transition {
  Id page_id = 0;
  std::optional<PageState> from;  // none for the creation
  PageState to = PageState::kReceived;
  Time at;
  std::string actor;
  std::string note;
};

struct Claim {
  std::string claim_id;  // claim::make_claim_id(document sha256, page index)
  Id page_id = 0;
  Id document_id = 0;
  Id office_id = 0;
  PageState state = PageState::kNeedsReview;  // the page's current state
  std::string json;                           // claim-v1 document, as last written
  int version = 1;                            // +1 at each reviewer save
  Time created_at;
  Time updated_at;
};

// ---- delivery ----------------------------------------------------------------------------

enum class DeliveryState { kPending, kInFlight, kDelivered, kDeadLetter };
[[nodiscard]] std::string_view to_string(DeliveryState state);

struct Delivery {
  std::string claim_id;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  Time next_attempt_at;
  std::string last_error;
  std::string json;  // the claim-v1 body to post (filled by lease_due_deliveries)
};

// Exponential backoff: the n-th failure waits backoff * 2^(n-1), at most backoff_max; the
// max_attempts-th failure dead-letters the claim.
struct RetryPolicy {
  int max_attempts = 8;
  double backoff_seconds = 2;
  double backoff_max_seconds = 600;
};

// ---- review ------------------------------------------------------------------------------

struct ReviewLease {
  std::string claim_id;
  Id user_id = 0;
  Time until;
};

struct AuditEntry {
  Id id = 0;
  std::string claim_id;
  Id user_id = 0;
  std::string username;  // filled on reading
  Time at;
  std::string field;  // field id, or "status" for approve/reject
  std::string before;
  std::string after;
};

// A reviewer's decision on a claim held under their lease: the corrected claim-v1 JSON, the
// changes that led to it, and the new state (accepted or rejected). Accepted goes to the outbox.
struct ReviewDecision {
  std::string claim_id;
  Id user_id = 0;
  int expected_version = 0;  // the version the reviewer loaded; another save meanwhile refuses
  std::string json;
  std::vector<AuditEntry> changes;  // claim_id/user_id/at filled by the store
  PageState outcome = PageState::kAccepted;
  std::string reason;  // for a rejection: illegible, not_a_care_sheet, duplicate, incomplete
};

enum class ReviewResult { kSaved, kNotLeased, kStaleVersion, kNotReviewable };

// ---- queue operations --------------------------------------------------------------------

struct NewDocument {
  Id office_id = 0;
  std::string sha256;
  std::string filename;
  std::string media_type;
  std::int64_t size_bytes = 0;
  int page_count = 0;  // pages to queue, 1..n
  std::string channel;
};

struct Intake {
  Document document;
  bool created = false;  // false: the same office sent the same bytes before; nothing queued
};

// A page leased to a worker, with what it needs to read it.
struct PageLease {
  Page page;
  Document document;
};

// The outcome of reading one leased page.
struct PageResult {
  std::string claim_id;
  PageState state = PageState::kNeedsReview;  // accepted, needs_review or rejected
  std::string json;
  std::string image_sha256;  // the rendered page in the image store, for the reviewer
};

enum class CompleteResult { kStored, kAlreadyStored, kLeaseLost };

// ---- queries -----------------------------------------------------------------------------

struct ClaimQuery {
  std::optional<PageState> state;
  std::optional<Id> office_id;
  std::optional<Time> since;  // claims updated at or after
  std::string after;          // paging cursor: `next` of the previous page; empty: the first
  int limit = 50;
};

struct ClaimPage {
  std::vector<Claim> items;
  std::string next;  // cursor for the next page; empty at the end
};

// Pages and deliveries by state, for /metrics and backpressure.
struct QueueCounts {
  std::int64_t received = 0;
  std::int64_t processing = 0;
  std::int64_t needs_review = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t delivered = 0;
  std::int64_t dead_letter = 0;
  std::int64_t failed = 0;
  std::int64_t deliveries_pending = 0;
  std::int64_t deliveries_dead = 0;
};

// ---- the store ---------------------------------------------------------------------------

// Safe to use from several threads; several processes may open the same database. Every
// operation is one transaction. Listings are in intake order (oldest page first).
class Store {
 public:
  virtual ~Store() = default;

  // The schema version in place (migrations are applied at open).
  virtual int schema_version() = 0;

  // Offices, keys, users, sessions.
  virtual Office create_office(const std::string& code, const std::string& name) = 0;
  virtual std::optional<Office> find_office(Id id) = 0;
  virtual std::optional<Office> find_office_by_code(const std::string& code) = 0;
  virtual std::vector<Office> list_offices() = 0;
  virtual ApiKey add_api_key(Id office_id, const std::string& prefix, const std::string& key_hash,
                             const std::string& label) = 0;
  virtual std::optional<ApiKey> find_api_key(const std::string& key_hash) = 0;  // not revoked
  virtual std::vector<ApiKey> list_api_keys(Id office_id) = 0;
  virtual bool revoke_api_key(Id key_id) = 0;
  virtual User create_user(const std::string& username, const std::string& display_name, Role role,
                           const std::string& password_hash) = 0;
  virtual std::optional<User> find_user(Id id) = 0;
  virtual std::optional<User> find_user_by_name(const std::string& username) = 0;
  virtual std::vector<User> list_users() = 0;
  virtual bool set_password_hash(Id user_id, const std::string& password_hash) = 0;
  virtual bool set_user_disabled(Id user_id, bool disabled) = 0;
  virtual void create_session(const Session& session) = 0;
  virtual std::optional<Session> find_session(const std::string& token_hash) = 0;  // not expired
  virtual void delete_session(const std::string& token_hash) = 0;

  // Intake: the document and its pages (state received), in one transaction; the same bytes
  // from the same office return the existing document.
  virtual Intake add_document(const NewDocument& document) = 0;
  virtual std::optional<Document> find_document(Id id) = 0;
  virtual std::vector<Page> document_pages(Id document_id) = 0;
  virtual std::vector<Transition> page_transitions(Id page_id) = 0;

  // The reading queue. Leases the oldest received page, or one whose lease expired (its worker
  // died); a page leased `max_page_attempts` times without completing becomes failed instead.
  virtual std::optional<PageLease> lease_next_page(const std::string& worker,
                                                   int lease_seconds) = 0;
  // Stores the claim and the page's new state in one transaction, and queues the claim for
  // delivery when accepted. Idempotent on the claim id: a retry after a crash stores nothing twice.
  virtual CompleteResult complete_page(Id page_id, const std::string& worker,
                                       const PageResult& result) = 0;
  // The reading threw: back to the queue, or failed after max_page_attempts.
  virtual PageState fail_page(Id page_id, const std::string& worker, const std::string& error) = 0;

  // Claims.
  virtual std::optional<Claim> find_claim(const std::string& claim_id) = 0;
  virtual std::vector<Claim> document_claims(Id document_id) = 0;
  virtual ClaimPage list_claims(const ClaimQuery& query) = 0;

  // The delivery outbox. Leases up to `limit` due deliveries for `lease_seconds`.
  virtual std::vector<Delivery> lease_due_deliveries(const std::string& worker, int limit,
                                                     int lease_seconds) = 0;
  virtual void delivery_succeeded(const std::string& claim_id) = 0;
  // Schedules the next attempt with backoff, or dead-letters; returns the delivery's new state.
  virtual DeliveryState delivery_failed(const std::string& claim_id, const std::string& error,
                                        const RetryPolicy& policy) = 0;
  virtual std::optional<Delivery> find_delivery(const std::string& claim_id) = 0;

  // Review. A lease is granted when the claim needs review and nobody else holds a live lease
  // (the holder may renew it).
  virtual std::optional<ReviewLease> lease_for_review(const std::string& claim_id, Id user_id,
                                                      int lease_seconds) = 0;
  virtual void release_review(const std::string& claim_id, Id user_id) = 0;
  virtual ReviewResult save_review(const ReviewDecision& decision) = 0;
  virtual std::vector<AuditEntry> claim_audit(const std::string& claim_id) = 0;

  virtual QueueCounts counts() = 0;
};

// Content-addressed files under `<data_dir>/blobs/ab/cdef...`: written to a temporary file,
// fsynced and renamed, so that a reader never sees half a file and a crash leaves none.
class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root);
  // Returns the bytes' SHA-256 (lower-case hex); storing the same bytes again is a no-op.
  std::string put(std::string_view bytes);
  [[nodiscard]] std::filesystem::path path_of(const std::string& sha256) const;
  [[nodiscard]] bool contains(const std::string& sha256) const;
  [[nodiscard]] std::string get(const std::string& sha256) const;  // throws StoreError if absent

 private:
  std::filesystem::path root_;
};

struct StoreOptions {
  int max_page_attempts = 3;    // a page that kills its worker this often is poison
  int busy_timeout_ms = 5000;   // SQLite: how long a writer waits for another
  std::function<Time()> clock;  // empty: the system clock; tests move time forward
};

// `url` is "sqlite:PATH" (PATH relative to `data_dir`; the folder is created) or
// "postgresql://user@host:port/db". Applies pending schema migrations before returning.
std::unique_ptr<Store> open_store(const std::string& url, const std::filesystem::path& data_dir,
                                  const StoreOptions& options = {});
// The configured store (config's `storage` section), with the system clock.
std::unique_ptr<Store> open_store(const core::StorageConfig& config);
// Where the configured store keeps files and page images: <storage.data_dir>/blobs.
std::filesystem::path blob_root(const core::StorageConfig& config);

}  // namespace carescan::store
