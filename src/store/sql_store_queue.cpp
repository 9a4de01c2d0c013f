// Documents and their pages as the reading queue, and the claims read from them.
#include <charconv>

#include "store/sql_store.h"

namespace carescan::store {
namespace {

constexpr const char* kDocumentColumns =
    "id, office_id, sha256, filename, media_type, size_bytes, page_count, channel, state, "
    "received_at, updated_at";
constexpr const char* kPageColumns =
    "id, document_id, page_index, image_sha256, state, attempts, leased_by, lease_until, "
    "last_error, updated_at";
constexpr const char* kClaimSelect =
    "SELECT c.claim_id, c.page_id, c.document_id, c.office_id, p.state, c.json, c.version, "
    "c.created_at, c.updated_at FROM claims c JOIN pages p ON p.id = c.page_id";

DocumentState document_state(const std::string& text) {
  if (text == "processing") return DocumentState::kProcessing;
  if (text == "done") return DocumentState::kDone;
  return DocumentState::kReceived;
}

PageState page_state(const std::string& text) {
  const auto state = parse_page_state(text);
  if (!state) throw StoreError("store: unknown page state \"" + text + "\"");
  return *state;
}

Document document_from(const sql::Row& r) {
  Document d;
  d.id = r.integer(0);
  d.office_id = r.integer(1);
  d.sha256 = r.text(2);
  d.filename = r.text(3);
  d.media_type = r.text(4);
  d.size_bytes = r.integer(5);
  d.page_count = static_cast<int>(r.integer(6));
  d.channel = r.text(7);
  d.state = document_state(r.text(8));
  d.received_at = r.time(9);
  d.updated_at = r.time(10);
  return d;
}

Page page_from(const sql::Row& r) {
  Page p;
  p.id = r.integer(0);
  p.document_id = r.integer(1);
  p.index = static_cast<int>(r.integer(2));
  p.image_sha256 = r.text(3);
  p.state = page_state(r.text(4));
  p.attempts = static_cast<int>(r.integer(5));
  p.leased_by = r.text(6);
  p.lease_until = r.optional_time(7);
  p.last_error = r.text(8);
  p.updated_at = r.time(9);
  return p;
}

Claim claim_from(const sql::Row& r) {
  Claim c;
  c.claim_id = r.text(0);
  c.page_id = r.integer(1);
  c.document_id = r.integer(2);
  c.office_id = r.integer(3);
  c.state = page_state(r.text(4));
  c.json = r.text(5);
  c.version = static_cast<int>(r.integer(6));
  c.created_at = r.time(7);
  c.updated_at = r.time(8);
  return c;
}

std::string select_from(const char* columns, const char* rest) {
  return std::string("SELECT ") + columns + " " + rest;
}

const char* for_update(const sql::Connection& c) {
  return c.dialect() == sql::Dialect::kPostgres ? " FOR UPDATE" : "";
}

}  // namespace

Intake SqlStore::add_document(const NewDocument& d) {
  if (d.page_count < 1) throw StoreError("store: a document needs at least one page");
  return transact([&](sql::Connection& c) {
    const auto t = sql::millis(now());
    const auto inserted = c.query(
        std::string("INSERT INTO documents (office_id, sha256, filename, media_type, size_bytes, "
                    "page_count, channel, state, received_at, updated_at) VALUES ($1, $2, $3, $4, "
                    "$5, $6, $7, 'received', $8, $8) ON CONFLICT (office_id, sha256) DO NOTHING "
                    "RETURNING ") +
            kDocumentColumns,
        {d.office_id, d.sha256, d.filename, d.media_type, d.size_bytes, std::int64_t{d.page_count},
         d.channel, t});
    if (inserted.empty()) {
      const auto existing = c.query(
          select_from(kDocumentColumns, "FROM documents WHERE office_id = $1 AND sha256 = $2"),
          {d.office_id, d.sha256});
      return Intake{document_from(existing.at(0)), false};
    }
    Document document = document_from(inserted.front());
    for (int index = 1; index <= d.page_count; ++index) {
      const Id page_id = c.query(
                              "INSERT INTO pages (document_id, page_index, state, updated_at) "
                              "VALUES ($1, $2, 'received', $3) RETURNING id",
                              {document.id, std::int64_t{index}, t})
                             .at(0)
                             .integer(0);
      record_transition(c, page_id, std::nullopt, PageState::kReceived, d.channel, "");
    }
    return Intake{document, true};
  });
}

std::optional<Document> SqlStore::find_document(Id id) {
  return transact([&](sql::Connection& c) {
    return sql::first<Document>(
        c.query(select_from(kDocumentColumns, "FROM documents WHERE id = $1"), {id}),
        document_from);
  });
}

std::vector<Page> SqlStore::document_pages(Id document_id) {
  return transact([&](sql::Connection& c) {
    return sql::all<Page>(
        c.query(select_from(kPageColumns, "FROM pages WHERE document_id = $1 ORDER BY page_index"),
                {document_id}),
        page_from);
  });
}

std::vector<Transition> SqlStore::page_transitions(Id page_id) {
  return transact([&](sql::Connection& c) {
    return sql::all<Transition>(
        c.query("SELECT page_id, from_state, to_state, at, actor, note FROM transitions "
                "WHERE page_id = $1 ORDER BY id",
                {page_id}),
        [](const sql::Row& r) {
          std::optional<PageState> from;
          if (!r.is_null(1)) from = page_state(r.text(1));
          return Transition{r.integer(0), from,      page_state(r.text(2)),
                            r.time(3),    r.text(4), r.text(5)};
        });
  });
}

std::optional<PageLease> SqlStore::lease_next_page(const std::string& worker, int lease_seconds) {
  return transact([&](sql::Connection& c) -> std::optional<PageLease> {
    const auto t = sql::millis(now());
    // Pages whose worker died too often while reading them: poison, never leased again.
    const auto poisoned = c.query(
        "UPDATE pages SET state = 'failed', leased_by = '', lease_until = NULL, last_error = $3, "
        "updated_at = $1 WHERE state = 'processing' AND lease_until < $1 AND attempts >= $2 "
        "RETURNING id, document_id",
        {t, std::int64_t{options_.max_page_attempts},
         std::string("reading did not finish in ") + std::to_string(options_.max_page_attempts) +
             " attempts"});
    for (const auto& row : poisoned) {
      record_transition(c, row.integer(0), PageState::kProcessing, PageState::kFailed, "system",
                        "lease expired, attempts exhausted");
      refresh_document_state(c, row.integer(1));
    }

    const auto candidates =
        c.query(std::string("SELECT id, state FROM pages WHERE state = 'received' OR (state = "
                            "'processing' AND lease_until < $1) ORDER BY id LIMIT 1") +
                    skip_locked(c),
                {t});
    if (candidates.empty()) return std::nullopt;
    const Id page_id = candidates.front().integer(0);
    const PageState before = page_state(candidates.front().text(1));

    const auto leased =
        c.query(std::string("UPDATE pages SET state = 'processing', attempts = attempts + 1, "
                            "leased_by = $2, lease_until = $3, updated_at = $4 WHERE id = $1 "
                            "RETURNING ") +
                    kPageColumns,
                {page_id, worker, t + std::int64_t{lease_seconds} * 1000, t});
    PageLease lease{page_from(leased.at(0)), {}};
    record_transition(c, page_id, before, PageState::kProcessing, worker,
                      before == PageState::kProcessing ? "previous lease expired" : "");
    refresh_document_state(c, lease.page.document_id);
    lease.document =
        document_from(c.query(select_from(kDocumentColumns, "FROM documents WHERE id = $1"),
                              {lease.page.document_id})
                          .at(0));
    return lease;
  });
}

CompleteResult SqlStore::complete_page(Id page_id, const std::string& worker,
                                       const PageResult& result) {
  if (result.state != PageState::kAccepted && result.state != PageState::kNeedsReview &&
      result.state != PageState::kRejected) {
    throw StoreError("store: a read page is accepted, needs_review or rejected, not " +
                     std::string(to_string(result.state)));
  }
  return transact([&](sql::Connection& c) {
    const auto pages =
        c.query(std::string("SELECT p.state, p.leased_by, p.document_id, d.office_id FROM pages p "
                            "JOIN documents d ON d.id = p.document_id WHERE p.id = $1") +
                    for_update(c),
                {page_id});
    if (pages.empty()) throw StoreError("store: no page " + std::to_string(page_id));
    if (!c.query("SELECT 1 FROM claims WHERE claim_id = $1", {result.claim_id}).empty()) {
      return CompleteResult::kAlreadyStored;
    }
    const auto& page = pages.front();
    if (page.text(0) != "processing" || page.text(1) != worker) return CompleteResult::kLeaseLost;

    const auto t = sql::millis(now());
    const Id document_id = page.integer(2);
    c.query(
        "INSERT INTO claims (claim_id, page_id, document_id, office_id, json, version, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
        {result.claim_id, page_id, document_id, page.integer(3), result.json, t});
    c.query(
        "UPDATE pages SET image_sha256 = $2, leased_by = '', lease_until = NULL, last_error = '' "
        "WHERE id = $1",
        {page_id, result.image_sha256});
    set_page_state(c, page_id, PageState::kProcessing, result.state, worker, "");
    if (result.state == PageState::kAccepted) {
      c.query(
          "INSERT INTO outbox (claim_id, state, next_attempt_at) VALUES ($1, 'pending', $2) "
          "ON CONFLICT (claim_id) DO NOTHING",
          {result.claim_id, t});
    }
    refresh_document_state(c, document_id);
    return CompleteResult::kStored;
  });
}

PageState SqlStore::fail_page(Id page_id, const std::string& worker, const std::string& error) {
  return transact([&](sql::Connection& c) {
    const auto rows = c.query(
        std::string("SELECT state, leased_by, attempts, document_id FROM pages WHERE id = $1") +
            for_update(c),
        {page_id});
    if (rows.empty()) throw StoreError("store: no page " + std::to_string(page_id));
    const auto& page = rows.front();
    const PageState current = page_state(page.text(0));
    if (current != PageState::kProcessing || page.text(1) != worker) return current;
    const PageState next =
        page.integer(2) >= options_.max_page_attempts ? PageState::kFailed : PageState::kReceived;
    c.query("UPDATE pages SET leased_by = '', lease_until = NULL, last_error = $2 WHERE id = $1",
            {page_id, error});
    set_page_state(c, page_id, PageState::kProcessing, next, worker, error);
    refresh_document_state(c, page.integer(3));
    return next;
  });
}

std::optional<Claim> SqlStore::find_claim(const std::string& claim_id) {
  return transact([&](sql::Connection& c) {
    return sql::first<Claim>(
        c.query(std::string(kClaimSelect) + " WHERE c.claim_id = $1", {claim_id}), claim_from);
  });
}

std::vector<Claim> SqlStore::document_claims(Id document_id) {
  return transact([&](sql::Connection& c) {
    return sql::all<Claim>(
        c.query(std::string(kClaimSelect) + " WHERE c.document_id = $1 ORDER BY c.page_id",
                {document_id}),
        claim_from);
  });
}

ClaimPage SqlStore::list_claims(const ClaimQuery& q) {
  std::string sql = std::string(kClaimSelect) + " WHERE 1 = 1";
  sql::Params params;
  auto add = [&](const char* condition, sql::Param value) {
    params.push_back(std::move(value));
    sql += std::string(" AND ") + condition + " $" + std::to_string(params.size());
  };
  if (q.state) add("p.state =", std::string(to_string(*q.state)));
  if (q.office_id) add("c.office_id =", *q.office_id);
  if (q.since) add("c.updated_at >=", sql::millis(*q.since));
  if (!q.after.empty()) {
    std::int64_t after = 0;
    const auto [ptr, ec] = std::from_chars(q.after.data(), q.after.data() + q.after.size(), after);
    if (ec != std::errc() || ptr != q.after.data() + q.after.size()) {
      throw StoreError("store: \"" + q.after + "\" is not a paging cursor");
    }
    add("c.page_id >", after);
  }
  const int limit = std::max(q.limit, 1);
  params.emplace_back(std::int64_t{limit + 1});
  sql += " ORDER BY c.page_id LIMIT $" + std::to_string(params.size());

  return transact([&](sql::Connection& c) {
    ClaimPage page;
    page.items = sql::all<Claim>(c.query(sql, params), claim_from);
    if (page.items.size() > static_cast<std::size_t>(limit)) {
      page.items.resize(static_cast<std::size_t>(limit));
      page.next = std::to_string(page.items.back().page_id);
    }
    return page;
  });
}

}  // namespace carescan::store
