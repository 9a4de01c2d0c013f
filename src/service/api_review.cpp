// The reviewer page (/review) and what it calls under /api/v1/review: the queue, the lease on a
// claim, its page image, corrections checked and saved with the validation rules re-run, the audit
// trail, and the supervisor's figures. Rejection is POST /api/v1/claims/{id}/reject.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/json_util.h"
#include "service/api.h"
#include "service/http_body.h"
#include "service/log.h"
#include "service/problem.h"
#include "service/review_edit.h"
#include "service/review_stats.h"
#include "service/views.h"
#include "web/assets.h"

namespace carescan::service {
namespace {

constexpr std::size_t kMaxEditBytes = std::size_t{256} * 1024;

Poco::JSON::Object::Ptr ordered() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

const Caller& reviewer(const Call& call) {
  const Caller& who = call.who();
  if (!who.is_staff()) throw forbidden("only reviewers and administrators review claims");
  return who;
}

store::Claim claim_in_review(Call& call) {
  reviewer(call);
  const auto claim = call.ctx.store.find_claim(call.params[0]);
  if (!claim) throw not_found("claim " + call.params[0]);
  return *claim;
}

// Every claim in `state`, oldest first, across the store's listing pages.
std::vector<store::Claim> claims_in(store::Store& store, store::PageState state, int page_size) {
  std::vector<store::Claim> all;
  store::ClaimQuery q;
  q.state = state;
  q.limit = page_size;
  for (;;) {
    auto page = store.list_claims(q);
    all.insert(all.end(), page.items.begin(), page.items.end());
    if (page.next.empty()) return all;
    q.after = page.next;
  }
}

std::string office_code(store::Store& store, store::Id id, std::map<store::Id, std::string>& seen) {
  if (const auto it = seen.find(id); it != seen.end()) return it->second;
  const auto office = store.find_office(id);
  return seen[id] = office ? office->code : std::to_string(id);
}

void count(Poco::JSON::Object::Ptr& counts, const std::string& group, const std::string& key) {
  auto bucket = counts->getObject(group);
  if (!bucket) {
    bucket = ordered();
    counts->set(group, bucket);
  }
  bucket->set(key, bucket->optValue<int>(key, 0) + 1);
}

void queue(Call& call) {
  reviewer(call);
  auto& store = call.ctx.store;
  const std::string want_office = call.query("office");
  const std::string want_form = call.query("form_type");
  const std::string want_reason = call.query("reason");
  std::map<store::Id, std::string> offices;
  auto counts = ordered();
  counts->set("total", 0);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  int total = 0;
  for (const auto& c :
       claims_in(store, store::PageState::kNeedsReview, call.ctx.config.service.max_page_size)) {
    const auto body = core::parse_json_object(c.json, "stored claim " + c.claim_id);
    const std::string office = office_code(store, c.office_id, offices);
    const std::string form = body->optValue<std::string>("form_type", "");
    const auto reasons = review_reason_keys(body);
    ++total;
    count(counts, "office", office);
    count(counts, "form_type", form);
    for (const auto& r : reasons) count(counts, "reason", r);
    if ((!want_office.empty() && office != want_office) ||
        (!want_form.empty() && form != want_form) ||
        (!want_reason.empty() &&
         std::find(reasons.begin(), reasons.end(), want_reason) == reasons.end())) {
      continue;
    }
    auto row = ordered();
    row->set("claim_id", c.claim_id);
    row->set("office", office);
    row->set("form_type", form);
    Poco::JSON::Array::Ptr why = new Poco::JSON::Array;
    for (const auto& r : reasons) why->add(r);
    row->set("reasons", why);
    row->set("waiting_since", iso_time(c.created_at));
    row->set("version", c.version);
    items->add(row);
  }
  counts->set("total", total);
  counts->set("shown", static_cast<int>(items->size()));
  auto out = ordered();
  out->set("items", items);
  out->set("counts", counts);
  send_json(call.response, 200, out);
}

// Every field and table cell of the claim, flagged ones first, in the sheet's order otherwise.
Poco::JSON::Array::Ptr targets_of(const Poco::JSON::Object::Ptr& claim,
                                  const core::ClaimsConfig& config) {
  struct Target {
    std::string id;
    Poco::JSON::Object::Ptr field;
    std::string table;  // for a table cell
  };
  std::vector<Target> all;
  if (const auto fields = claim->getObject("fields")) {
    for (const auto& [id, v] : *fields) {
      if (const auto f = fields->getObject(id)) all.push_back({id, f, ""});
    }
  }
  if (const auto lines = claim->getArray("lines")) {
    for (unsigned i = 0; i < lines->size(); ++i) {
      const auto line = lines->getObject(i);
      for (const auto& [cell, v] : *line) {
        if (const auto f = line->getObject(cell)) {
          all.push_back({"lines[" + std::to_string(i) + "]." + cell, f,
                         line->optValue<std::string>("table", "")});
        }
      }
    }
  }
  std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> findings;
  if (const auto validation = claim->getArray("validation")) {
    for (unsigned i = 0; i < validation->size(); ++i) {
      const auto f = validation->getObject(i);
      if (const auto named = f->getArray("fields")) {
        for (unsigned j = 0; j < named->size(); ++j) {
          findings[named->getElement<std::string>(j)].push_back(f);
        }
      }
    }
  }
  Poco::JSON::Array::Ptr flagged = new Poco::JSON::Array;
  Poco::JSON::Array::Ptr others = new Poco::JSON::Array;
  for (const auto& [target, f, table] : all) {
    auto row = ordered();
    row->set("target", target);
    if (!table.empty()) row->set("table", table);
    for (const char* key : {"value", "confidence", "source", "box", "raw"}) {
      if (f->has(key)) row->set(key, f->get(key));
    }
    Poco::JSON::Array::Ptr rules = new Poco::JSON::Array;
    for (const auto& finding : findings[target]) rules->add(finding);
    row->set("findings", rules);
    const bool flag = is_flagged(claim, target, config);
    row->set("flagged", flag);
    (flag ? flagged : others)->add(row);
  }
  for (unsigned i = 0; i < others->size(); ++i) flagged->add(others->get(i));
  return flagged;
}

Poco::JSON::Array::Ptr audit_of(store::Store& store, const std::string& claim_id) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& e : store.claim_audit(claim_id)) {
    auto row = ordered();
    row->set("at", iso_time(e.at));
    row->set("user", e.username);
    row->set("field", e.field);
    row->set("before", e.before);
    row->set("after", e.after);
    out->add(row);
  }
  return out;
}

Poco::JSON::Object::Ptr workspace(Call& call, const store::Claim& claim, store::Time until) {
  const auto body = core::parse_json_object(claim.json, "stored claim " + claim.claim_id);
  auto out = ordered();
  out->set("claim_id", claim.claim_id);
  out->set("version", claim.version);
  out->set("lease_until", iso_time(until));
  out->set("lease_seconds", call.ctx.config.service.lease_seconds);
  out->set("form_type", body->optValue<std::string>("form_type", ""));
  out->set("image_url", "/api/v1/review/claims/" + claim.claim_id + "/image");
  out->set("targets", targets_of(body, call.ctx.config.claims));
  out->set("validation", body->getArray("validation"));
  out->set("audit", audit_of(call.ctx.store, claim.claim_id));
  return out;
}

void acquire(Call& call) {
  const Caller& who = reviewer(call);
  const auto claim = claim_in_review(call);
  if (claim.state != store::PageState::kNeedsReview) {
    throw Problem(409, "not-in-review", "La feuille n'attend plus de révision",
                  "the claim is " + std::string(store::to_string(claim.state)));
  }
  const auto lease = call.ctx.store.lease_for_review(claim.claim_id, who.user_id,
                                                     call.ctx.config.service.lease_seconds);
  if (!lease) {
    throw Problem(409, "review-locked", "Feuille en cours de révision",
                  "another reviewer is working on this claim");
  }
  send_json(call.response, 200, workspace(call, claim, lease->until));
}

void release(Call& call) {
  const Caller& who = reviewer(call);
  call.ctx.store.release_review(call.params[0], who.user_id);
  call.response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  call.response.setContentLength(0);
  call.response.send();
}

void image(Call& call) {
  const auto claim = claim_in_review(call);
  std::string sha;
  for (const auto& page : call.ctx.store.document_pages(claim.document_id)) {
    if (page.id == claim.page_id) sha = page.image_sha256;
  }
  if (sha.empty() || !call.ctx.blobs.contains(sha)) throw not_found("the page image");
  const std::string png = call.ctx.blobs.get(sha);
  call.response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  call.response.setContentType("image/png");
  call.response.setContentLength(static_cast<std::streamsize>(png.size()));
  // A scan of a health form: never in a shared cache, kept by the browser for the session.
  call.response.set("Cache-Control", "private, max-age=3600");
  call.response.send().write(png.data(), static_cast<std::streamsize>(png.size()));
}

struct EditRequest {
  int version = 0;
  Corrections corrections;
};

EditRequest edit_request(Call& call) {
  const std::string text = read_body(call.request, kMaxEditBytes);
  EditRequest out;
  try {
    const auto body = core::parse_json_object(text.empty() ? "{}" : text, "body");
    out.version = body->optValue<int>("version", 0);
    if (const auto c = body->getObject("corrections")) {
      for (const auto& [target, value] : *c) {
        out.corrections[target] = value.isEmpty()
                                      ? std::nullopt
                                      : std::optional<std::string>(value.convert<std::string>());
      }
    }
  } catch (const std::exception&) {
    throw bad_request(R"(send {"version": 3, "corrections": {"total_amount": "125.00"}})");
  }
  return out;
}

Edit edited(Call& call, const store::Claim& claim, const Corrections& corrections) {
  try {
    return apply_corrections(core::parse_json_object(claim.json, "stored claim"), corrections,
                             call.ctx.config);
  } catch (const BadTarget& e) {
    throw bad_request(e.what());
  }
}

// The rules' verdict on the claim as the reviewer is correcting it; nothing is saved.
void check(Call& call) {
  const auto claim = claim_in_review(call);
  const auto edit = edited(call, claim, edit_request(call).corrections);
  auto out = ordered();
  out->set("validation", edit.claim->getArray("validation"));
  out->set("review_reasons", edit.claim->getArray("review_reasons"));
  out->set("targets", targets_of(edit.claim, call.ctx.config.claims));
  send_json(call.response, 200, out);
}

void approve(Call& call) {
  const Caller& who = reviewer(call);
  const auto claim = claim_in_review(call);
  const auto request = edit_request(call);
  auto edit = edited(call, claim, request.corrections);
  edit.claim->set("status", std::string("accepted"));
  auto review = ordered();
  review->set("by", who.username);
  review->set("at", iso_time(now_ms()));
  review->set("decision", std::string("accepted"));
  Poco::JSON::Array::Ptr corrected = new Poco::JSON::Array;
  for (const auto& change : edit.changes) corrected->add(change.field);
  review->set("corrected", corrected);
  edit.claim->set("review", review);

  store::ReviewDecision d;
  d.claim_id = claim.claim_id;
  d.user_id = who.user_id;
  d.expected_version = request.version > 0 ? request.version : claim.version;
  d.json = core::to_json(edit.claim);
  d.changes = edit.changes;
  d.outcome = store::PageState::kAccepted;
  switch (call.ctx.store.save_review(d)) {
    case store::ReviewResult::kSaved:
      break;
    case store::ReviewResult::kNotLeased:
      throw Problem(409, "lease-lost", "Verrou perdu",
                    "open the claim again: your lease on it expired or was never taken");
    case store::ReviewResult::kStaleVersion:
      throw Problem(409, "review-conflict", "La feuille a changé",
                    "the claim changed since you opened it; reload it");
    case store::ReviewResult::kNotReviewable:
      throw Problem(409, "not-in-review", "La feuille n'attend plus de révision",
                    "the claim was already decided");
  }
  log_event("info", "claim.reviewed",
            {{"claim_id", claim.claim_id},
             {"outcome", "accepted"},
             {"corrections", std::to_string(edit.changes.size())},
             {"user_id", std::to_string(who.user_id)}});
  send_json(call.response, 200,
            claim_view(call.ctx.store, *call.ctx.store.find_claim(claim.claim_id)));
}

void audit(Call& call) {
  const auto claim = claim_in_review(call);
  auto out = ordered();
  out->set("claim_id", claim.claim_id);
  out->set("items", audit_of(call.ctx.store, claim.claim_id));
  send_json(call.response, 200, out);
}

void supervisor(Call& call) {
  if (call.who().kind != CallerKind::kAdmin) {
    throw forbidden("the supervisor's figures are for administrators");
  }
  auto& store = call.ctx.store;
  const int page = call.ctx.config.service.max_page_size;
  Backlog backlog;
  for (const auto& c : claims_in(store, store::PageState::kNeedsReview, page)) {
    ++backlog.waiting;
    if (!backlog.oldest || c.created_at < *backlog.oldest) backlog.oldest = c.created_at;
  }
  std::vector<ReviewedClaim> reviewed;
  for (const auto state : {store::PageState::kAccepted, store::PageState::kRejected,
                           store::PageState::kDelivered, store::PageState::kDeadLetter}) {
    for (const auto& c : claims_in(store, state, page)) {
      auto trail = store.claim_audit(c.claim_id);
      if (trail.empty()) continue;  // accepted by the reader alone
      const auto body = core::parse_json_object(c.json, "stored claim " + c.claim_id);
      reviewed.push_back(
          {body->optValue<std::string>("form_type", ""), c.created_at, std::move(trail)});
    }
  }
  send_json(call.response, 200, supervisor_figures(backlog, reviewed, now_ms()));
}

void send_asset(Call& call, std::string_view name) {
  const auto* asset = web::find_asset(name);
  if (!asset) throw not_found("the file /review/" + std::string(name));
  call.response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  call.response.setContentType(std::string(asset->media_type));
  call.response.setContentLength(static_cast<std::streamsize>(asset->bytes.size()));
  call.response.set("Cache-Control", "no-cache");
  // The page runs only its own scripts and shows only its own images; no framing (clickjacking).
  call.response.set("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' blob:; style-src 'self'; "
                    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  call.response.set("X-Content-Type-Options", "nosniff");
  call.response.send().write(asset->bytes.data(),
                             static_cast<std::streamsize>(asset->bytes.size()));
}

}  // namespace

std::vector<Route> review_routes() {
  return {
      {"GET", "/review", Access::kPublic, [](Call& c) { send_asset(c, "index.html"); }},
      {"GET", "/review/{file}", Access::kPublic, [](Call& c) { send_asset(c, c.params[0]); }},
      {"GET", "/api/v1/review/queue", Access::kAnyCaller, queue},
      {"GET", "/api/v1/review/supervisor", Access::kAnyCaller, supervisor},
      {"POST", "/api/v1/review/claims/{id}/lease", Access::kAnyCaller, acquire},
      {"DELETE", "/api/v1/review/claims/{id}/lease", Access::kAnyCaller, release},
      {"GET", "/api/v1/review/claims/{id}/image", Access::kAnyCaller, image},
      {"POST", "/api/v1/review/claims/{id}/check", Access::kAnyCaller, check},
      {"POST", "/api/v1/review/claims/{id}/approve", Access::kAnyCaller, approve},
      {"GET", "/api/v1/review/claims/{id}/audit", Access::kAnyCaller, audit},
  };
}

}  // namespace carescan::service
