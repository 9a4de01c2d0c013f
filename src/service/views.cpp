#include "service/views.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>

#include <regex>

#include "core/json_util.h"

namespace carescan::service {
namespace {

Poco::JSON::Object::Ptr ordered() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Array::Ptr findings_of(const Poco::JSON::Object::Ptr& claim) {
  if (claim->has("validation")) return claim->getArray("validation");
  return new Poco::JSON::Array;
}

}  // namespace

std::string iso_time(store::Time t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
  const Poco::Timestamp ts(us.count());
  return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ");
}

std::optional<store::Time> parse_time(const std::string& text) {
  // Poco's parser skips what it does not understand; the shape is checked first.
  static const std::regex kIso(
      R"(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?)");
  if (!std::regex_match(text, kIso)) return std::nullopt;
  Poco::DateTime dt;
  int tz = 0;
  std::string full = text;
  if (full.size() == 10) full += "T00:00:00Z";
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, full, dt, tz) &&
      !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, full, dt, tz)) {
    return std::nullopt;
  }
  dt.makeUTC(tz);
  const auto us = dt.timestamp().epochMicroseconds();
  return store::Time(std::chrono::milliseconds(us / 1000));
}

store::Time now_ms() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(store::Clock::now());
}

core::Date day_of_receipt(const core::Config& config, store::Time received) {
  if (config.claims.today) return *config.claims.today;
  const auto days =
      std::chrono::duration_cast<std::chrono::days>(received.time_since_epoch()).count();
  return core::Date::from_days_since_epoch(static_cast<long>(days));
}

std::string document_location(store::Id id) {
  return "/api/v1/documents/" + std::to_string(id);
}

std::string claim_location(const std::string& claim_id) {
  return "/api/v1/claims/" + claim_id;
}

Poco::JSON::Object::Ptr document_view(store::Store& store, const store::Document& doc,
                                      const std::string& office_code) {
  auto out = ordered();
  out->set("id", doc.id);
  out->set("url", document_location(doc.id));
  out->set("office", office_code);
  out->set("sha256", doc.sha256);
  out->set("filename", doc.filename);
  out->set("media_type", doc.media_type);
  out->set("size_bytes", doc.size_bytes);
  out->set("page_count", doc.page_count);
  out->set("channel", doc.channel);
  out->set("state", std::string(store::to_string(doc.state)));
  out->set("received_at", iso_time(doc.received_at));
  out->set("updated_at", iso_time(doc.updated_at));

  Poco::JSON::Array::Ptr pages = new Poco::JSON::Array;
  for (const auto& p : store.document_pages(doc.id)) {
    auto page = ordered();
    page->set("page", p.index);
    page->set("state", std::string(store::to_string(p.state)));
    page->set("attempts", p.attempts);
    if (!p.last_error.empty()) page->set("last_error", p.last_error);
    Poco::JSON::Array::Ptr history = new Poco::JSON::Array;
    for (const auto& t : store.page_transitions(p.id)) {
      auto step = ordered();
      if (t.from) {
        step->set("from", std::string(store::to_string(*t.from)));
      } else {
        step->set("from", Poco::Dynamic::Var());
      }
      step->set("to", std::string(store::to_string(t.to)));
      step->set("at", iso_time(t.at));
      step->set("actor", t.actor);
      if (!t.note.empty()) step->set("note", t.note);
      history->add(step);
    }
    page->set("transitions", history);
    pages->add(page);
  }
  out->set("pages", pages);

  Poco::JSON::Array::Ptr claims = new Poco::JSON::Array;
  for (const auto& c : store.document_claims(doc.id)) {
    auto row = claim_summary(c);
    const auto body = core::parse_json_object(c.json, "stored claim " + c.claim_id);
    row->set("status", body->optValue<std::string>("status", ""));
    row->set("findings", findings_of(body));
    claims->add(row);
  }
  out->set("claims", claims);
  return out;
}

Poco::JSON::Object::Ptr claim_summary(const store::Claim& claim) {
  auto row = ordered();
  row->set("claim_id", claim.claim_id);
  row->set("url", claim_location(claim.claim_id));
  row->set("document_id", claim.document_id);
  row->set("document_url", document_location(claim.document_id));
  row->set("state", std::string(store::to_string(claim.state)));
  row->set("version", claim.version);
  row->set("created_at", iso_time(claim.created_at));
  row->set("updated_at", iso_time(claim.updated_at));
  return row;
}

Poco::JSON::Object::Ptr claim_view(store::Store& store, const store::Claim& claim) {
  auto body = core::parse_json_object(claim.json, "stored claim " + claim.claim_id);
  auto tracking = ordered();
  tracking->set("state", std::string(store::to_string(claim.state)));
  tracking->set("version", claim.version);
  tracking->set("document_url", document_location(claim.document_id));
  tracking->set("updated_at", iso_time(claim.updated_at));
  if (const auto d = store.find_delivery(claim.claim_id)) {
    auto delivery = ordered();
    delivery->set("state", std::string(store::to_string(d->state)));
    delivery->set("attempts", d->attempts);
    if (!d->last_error.empty()) delivery->set("last_error", d->last_error);
    tracking->set("delivery", delivery);
  }
  body->set("tracking", tracking);
  return body;
}

}  // namespace carescan::service
