// The delivery outbox, review leases and decisions, the audit log and the queue's counts.
#include <algorithm>
#include <cmath>

#include "store/sql_store.h"

namespace carescan::store {
namespace {

constexpr const char* kOutboxColumns = "claim_id, state, attempts, next_attempt_at, last_error";

DeliveryState delivery_state(const std::string& text) {
  if (text == "in_flight") return DeliveryState::kInFlight;
  if (text == "delivered") return DeliveryState::kDelivered;
  if (text == "dead_letter") return DeliveryState::kDeadLetter;
  return DeliveryState::kPending;
}

Delivery delivery_from(const sql::Row& r) {
  return {
      r.text(0), delivery_state(r.text(1)), static_cast<int>(r.integer(2)), r.time(3), r.text(4),
      {}};
}

const char* for_update(const sql::Connection& c) {
  return c.dialect() == sql::Dialect::kPostgres ? " FOR UPDATE" : "";
}

std::int64_t backoff_millis(const RetryPolicy& policy, int attempts) {
  const double seconds = std::min(policy.backoff_seconds * std::pow(2.0, std::max(attempts, 1) - 1),
                                  policy.backoff_max_seconds);
  return static_cast<std::int64_t>(seconds * 1000);
}

}  // namespace

std::vector<Delivery> SqlStore::lease_due_deliveries(const std::string& worker, int limit,
                                                     int lease_seconds) {
  return transact([&](sql::Connection& c) {
    const auto t = sql::millis(now());
    // An in-flight delivery whose lease ran out lost its sender: the engine may or may not have
    // it, so it is sent again under the same Idempotency-Key.
    const auto due = c.query(
        std::string("SELECT claim_id FROM outbox WHERE (state = 'pending' AND next_attempt_at <= "
                    "$1) OR (state = 'in_flight' AND lease_until < $1) ORDER BY next_attempt_at, "
                    "claim_id LIMIT $2") +
            skip_locked(c),
        {t, std::int64_t{std::max(limit, 1)}});
    std::vector<Delivery> out;
    for (const auto& row : due) {
      auto delivery = delivery_from(
          c.query(std::string("UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, "
                              "leased_by = $2, lease_until = $3 WHERE claim_id = $1 RETURNING ") +
                      kOutboxColumns,
                  {row.text(0), worker, t + std::int64_t{lease_seconds} * 1000})
              .at(0));
      delivery.json =
          c.query("SELECT json FROM claims WHERE claim_id = $1", {delivery.claim_id}).at(0).text(0);
      out.push_back(std::move(delivery));
    }
    return out;
  });
}

void SqlStore::delivery_succeeded(const std::string& claim_id) {
  transact([&](sql::Connection& c) {
    const auto done = c.query(
        "UPDATE outbox SET state = 'delivered', leased_by = '', lease_until = NULL, "
        "last_error = '' WHERE claim_id = $1 AND state IN ('pending', 'in_flight') "
        "RETURNING claim_id",
        {claim_id});
    if (done.empty()) return;  // already delivered (a retried acknowledgement)
    const Id page_id =
        c.query("SELECT page_id FROM claims WHERE claim_id = $1", {claim_id}).at(0).integer(0);
    set_page_state(c, page_id, PageState::kAccepted, PageState::kDelivered, "delivery", "");
  });
}

DeliveryState SqlStore::delivery_failed(const std::string& claim_id, const std::string& error,
                                        const RetryPolicy& policy) {
  return transact([&](sql::Connection& c) {
    const auto rows = c.query(
        std::string("SELECT state, attempts FROM outbox WHERE claim_id = $1") + for_update(c),
        {claim_id});
    if (rows.empty()) throw StoreError("store: no delivery for claim " + claim_id);
    const DeliveryState current = delivery_state(rows.front().text(0));
    if (current != DeliveryState::kPending && current != DeliveryState::kInFlight) return current;
    const int attempts = static_cast<int>(rows.front().integer(1));
    if (attempts >= policy.max_attempts) {
      c.query(
          "UPDATE outbox SET state = 'dead_letter', leased_by = '', lease_until = NULL, "
          "last_error = $2 WHERE claim_id = $1",
          {claim_id, error});
      const Id page_id =
          c.query("SELECT page_id FROM claims WHERE claim_id = $1", {claim_id}).at(0).integer(0);
      set_page_state(c, page_id, PageState::kAccepted, PageState::kDeadLetter, "delivery", error);
      return DeliveryState::kDeadLetter;
    }
    c.query(
        "UPDATE outbox SET state = 'pending', leased_by = '', lease_until = NULL, "
        "last_error = $2, next_attempt_at = $3 WHERE claim_id = $1",
        {claim_id, error, sql::millis(now()) + backoff_millis(policy, attempts)});
    return DeliveryState::kPending;
  });
}

std::optional<Delivery> SqlStore::find_delivery(const std::string& claim_id) {
  return transact([&](sql::Connection& c) {
    return sql::first<Delivery>(
        c.query(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE claim_id = $1",
                {claim_id}),
        delivery_from);
  });
}

std::optional<ReviewLease> SqlStore::lease_for_review(const std::string& claim_id, Id user_id,
                                                      int lease_seconds) {
  return transact([&](sql::Connection& c) -> std::optional<ReviewLease> {
    const auto state = c.query(
        "SELECT p.state FROM claims c JOIN pages p ON p.id = c.page_id WHERE c.claim_id = $1",
        {claim_id});
    if (state.empty() || state.front().text(0) != "needs_review") return std::nullopt;
    const auto t = sql::millis(now());
    // Granted when nobody holds the claim, the holder's lease ran out, or the holder renews.
    const auto granted = c.query(
        "INSERT INTO review_leases (claim_id, user_id, until) VALUES ($1, $2, $3) "
        "ON CONFLICT (claim_id) DO UPDATE SET user_id = excluded.user_id, until = excluded.until "
        "WHERE review_leases.until < $4 OR review_leases.user_id = excluded.user_id "
        "RETURNING claim_id, user_id, until",
        {claim_id, user_id, t + std::int64_t{lease_seconds} * 1000, t});
    if (granted.empty()) return std::nullopt;
    return ReviewLease{granted.front().text(0), granted.front().integer(1),
                       granted.front().time(2)};
  });
}

void SqlStore::release_review(const std::string& claim_id, Id user_id) {
  transact([&](sql::Connection& c) {
    c.query("DELETE FROM review_leases WHERE claim_id = $1 AND user_id = $2", {claim_id, user_id});
  });
}

ReviewResult SqlStore::save_review(const ReviewDecision& d) {
  if (d.outcome != PageState::kAccepted && d.outcome != PageState::kRejected) {
    throw StoreError("store: a review accepts or rejects, not " +
                     std::string(to_string(d.outcome)));
  }
  return transact([&](sql::Connection& c) {
    const auto t = sql::millis(now());
    const auto lease =
        c.query("SELECT user_id, until FROM review_leases WHERE claim_id = $1", {d.claim_id});
    if (lease.empty() || lease.front().integer(0) != d.user_id || lease.front().integer(1) < t) {
      return ReviewResult::kNotLeased;
    }
    const auto claim =
        c.query(std::string("SELECT c.version, p.state, c.page_id FROM claims c JOIN pages p ON "
                            "p.id = c.page_id WHERE c.claim_id = $1") +
                    for_update(c),
                {d.claim_id});
    if (claim.empty() || claim.front().text(1) != "needs_review") {
      return ReviewResult::kNotReviewable;
    }
    if (claim.front().integer(0) != d.expected_version) return ReviewResult::kStaleVersion;
    const Id page_id = claim.front().integer(2);

    c.query(
        "UPDATE claims SET json = $2, version = version + 1, updated_at = $3 "
        "WHERE claim_id = $1",
        {d.claim_id, d.json, t});
    auto audit = [&](const std::string& field, const std::string& before,
                     const std::string& after) {
      c.query(
          "INSERT INTO audit (claim_id, user_id, at, field, before_value, after_value) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {d.claim_id, d.user_id, t, field, before, after});
    };
    for (const auto& change : d.changes) audit(change.field, change.before, change.after);
    std::string after(to_string(d.outcome));
    if (!d.reason.empty()) after += ": " + d.reason;
    audit("status", "needs_review", after);

    const std::string username =
        c.query("SELECT username FROM users WHERE id = $1", {d.user_id}).at(0).text(0);
    set_page_state(c, page_id, PageState::kNeedsReview, d.outcome, username, d.reason);
    if (d.outcome == PageState::kAccepted) {
      c.query(
          "INSERT INTO outbox (claim_id, state, next_attempt_at) VALUES ($1, 'pending', $2) "
          "ON CONFLICT (claim_id) DO NOTHING",
          {d.claim_id, t});
    }
    c.query("DELETE FROM review_leases WHERE claim_id = $1", {d.claim_id});
    return ReviewResult::kSaved;
  });
}

std::vector<AuditEntry> SqlStore::claim_audit(const std::string& claim_id) {
  return transact([&](sql::Connection& c) {
    return sql::all<AuditEntry>(
        c.query("SELECT a.id, a.claim_id, a.user_id, u.username, a.at, a.field, a.before_value, "
                "a.after_value FROM audit a JOIN users u ON u.id = a.user_id "
                "WHERE a.claim_id = $1 ORDER BY a.id",
                {claim_id}),
        [](const sql::Row& r) {
          return AuditEntry{r.integer(0), r.text(1), r.integer(2), r.text(3),
                            r.time(4),    r.text(5), r.text(6),    r.text(7)};
        });
  });
}

QueueCounts SqlStore::counts() {
  return transact([&](sql::Connection& c) {
    QueueCounts out;
    for (const auto& r : c.query("SELECT state, COUNT(*) FROM pages GROUP BY state")) {
      const auto n = r.integer(1);
      switch (parse_page_state(r.text(0)).value_or(PageState::kFailed)) {
        case PageState::kReceived:
          out.received = n;
          break;
        case PageState::kProcessing:
          out.processing = n;
          break;
        case PageState::kNeedsReview:
          out.needs_review = n;
          break;
        case PageState::kAccepted:
          out.accepted = n;
          break;
        case PageState::kRejected:
          out.rejected = n;
          break;
        case PageState::kDelivered:
          out.delivered = n;
          break;
        case PageState::kDeadLetter:
          out.dead_letter = n;
          break;
        case PageState::kFailed:
          out.failed = n;
          break;
      }
    }
    for (const auto& r : c.query("SELECT state, COUNT(*) FROM outbox GROUP BY state")) {
      const auto state = delivery_state(r.text(0));
      if (state == DeliveryState::kPending || state == DeliveryState::kInFlight) {
        out.deliveries_pending += r.integer(1);
      } else if (state == DeliveryState::kDeadLetter) {
        out.deliveries_dead = r.integer(1);
      }
    }
    return out;
  });
}

}  // namespace carescan::store
