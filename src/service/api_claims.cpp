// GET /api/v1/claims, GET /api/v1/claims/{id}, and a reviewer's approve / reject.
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <set>

#include "core/json_util.h"
#include "service/api.h"
#include "service/http_body.h"
#include "service/log.h"
#include "service/problem.h"
#include "service/views.h"

namespace carescan::service {
namespace {

// How long a reviewer's one-click decision holds the claim; the click itself takes no time.
constexpr int kDecisionLeaseSeconds = 60;

store::Claim visible_claim(Call& call) {
  const auto claim = call.ctx.store.find_claim(call.params[0]);
  if (!claim) throw not_found("claim " + call.params[0]);
  require_visible(call.who(), claim->office_id, "claim " + call.params[0]);
  return *claim;
}

void get_claim(Call& call) {
  const auto claim = visible_claim(call);
  call.response.set("ETag", "\"" + std::to_string(claim.version) + "\"");
  send_json(call.response, 200, claim_view(call.ctx.store, claim));
}

int page_size(Call& call) {
  const auto& svc = call.ctx.config.service;
  const std::string text = call.query("limit");
  if (text.empty()) return svc.page_size;
  try {
    size_t used = 0;
    const int n = std::stoi(text, &used);
    if (used == text.size() && n > 0) return std::min(n, svc.max_page_size);
  } catch (const std::exception&) {
  }
  throw bad_request("limit must be a positive integer (at most " +
                    std::to_string(svc.max_page_size) + ")");
}

void list_claims(Call& call) {
  const Caller& who = call.who();
  store::ClaimQuery q;
  if (const auto status = call.query("status"); !status.empty()) {
    q.state = store::parse_page_state(status);
    if (!q.state) {
      throw bad_request(
          "status must be one of received, processing, needs_review, accepted, "
          "rejected, delivered, dead_letter, failed");
    }
  }
  if (const auto office = call.query("office"); !office.empty()) {
    const auto found = call.ctx.store.find_office_by_code(office);
    if (who.kind == CallerKind::kOffice && (!found || found->id != who.office_id)) {
      throw forbidden("an office lists only its own claims");
    }
    if (!found) throw not_found("office " + office);
    q.office_id = found->id;
  }
  if (who.kind == CallerKind::kOffice) q.office_id = who.office_id;
  if (const auto since = call.query("since"); !since.empty()) {
    q.since = parse_time(since);
    if (!q.since) throw bad_request("since must be an ISO 8601 date or time (2025-03-20)");
  }
  q.after = call.query("after");
  q.limit = page_size(call);
  const auto page = call.ctx.store.list_claims(q);
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& c : page.items) items->add(claim_summary(c));
  out->set("items", items);
  if (page.next.empty()) {
    out->set("next", Poco::Dynamic::Var());
  } else {
    Poco::URI next(call.request.getURI());
    Poco::URI::QueryParameters params;
    for (const auto& [k, v] : next.getQueryParameters()) {
      if (k != "after") params.emplace_back(k, v);
    }
    params.emplace_back("after", page.next);
    next.setQueryParameters(params);
    out->set("next", next.getPathAndQuery());
  }
  send_json(call.response, 200, out);
}

// A reviewer's decision on a claim in review: the claim's status changes, with the audit entry.
void decide(Call& call, store::PageState outcome, const std::string& reason) {
  const Caller& who = call.who();
  if (!who.is_staff()) throw forbidden("only reviewers decide on claims");
  auto& store = call.ctx.store;
  const auto claim = visible_claim(call);
  if (claim.state != store::PageState::kNeedsReview) {
    throw Problem(409, "not-in-review", "The claim is not waiting for review",
                  "the claim is " + std::string(store::to_string(claim.state)));
  }
  if (!store.lease_for_review(claim.claim_id, who.user_id, kDecisionLeaseSeconds)) {
    throw Problem(409, "review-locked", "Another reviewer holds the claim",
                  "another reviewer is working on this claim; try again later");
  }
  auto body = core::parse_json_object(claim.json, "stored claim");
  const std::string before = body->optValue<std::string>("status", "needs_review");
  const std::string after(store::to_string(outcome));
  body->set("status", after);
  Poco::JSON::Object::Ptr review = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  review->set("by", who.username);
  review->set("at", iso_time(now_ms()));
  review->set("decision", after);
  if (!reason.empty()) review->set("reason", reason);
  body->set("review", review);

  store::ReviewDecision d;
  d.claim_id = claim.claim_id;
  d.user_id = who.user_id;
  d.expected_version = claim.version;
  d.json = core::to_json(body);
  store::AuditEntry change;
  change.field = "status";
  change.before = before;
  change.after = after;
  d.changes.push_back(change);
  d.outcome = outcome;
  d.reason = reason;
  const auto result = store.save_review(d);
  store.release_review(claim.claim_id, who.user_id);
  if (result != store::ReviewResult::kSaved) {
    throw Problem(409, "review-conflict", "The claim changed meanwhile",
                  "the claim was changed by someone else; reload it and decide again");
  }
  log_event("info", "claim.reviewed",
            {{"claim_id", claim.claim_id}, {"outcome", after}, {"reviewer", who.username}});
  const auto saved = store.find_claim(claim.claim_id);
  send_json(call.response, 200, claim_view(store, *saved));
}

void approve(Call& call) {
  decide(call, store::PageState::kAccepted, "");
}

void reject(Call& call) {
  static const std::set<std::string> kReasons{"illegible", "not_a_care_sheet", "duplicate",
                                              "incomplete"};
  const std::string text = read_body(call.request, 64 * 1024);
  std::string reason;
  try {
    reason = core::parse_json_object(text, "body")->optValue<std::string>("reason", "");
  } catch (const std::exception&) {
    throw bad_request(
        "send {\"reason\": \"illegible\"} (or not_a_care_sheet, duplicate, "
        "incomplete)");
  }
  if (kReasons.count(reason) == 0) {
    throw bad_request("reason must be one of illegible, not_a_care_sheet, duplicate, incomplete");
  }
  decide(call, store::PageState::kRejected, reason);
}

}  // namespace

std::vector<Route> claim_routes() {
  return {
      {"GET", "/api/v1/claims", Access::kAnyCaller, list_claims},
      {"GET", "/api/v1/claims/{id}", Access::kAnyCaller, get_claim},
      {"POST", "/api/v1/claims/{id}/approve", Access::kAnyCaller, approve},
      {"POST", "/api/v1/claims/{id}/reject", Access::kAnyCaller, reject},
  };
}

}  // namespace carescan::service
