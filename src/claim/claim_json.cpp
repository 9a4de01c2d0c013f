#include "claim/claim_json.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include "core/json_util.h"

namespace carescan::claim {
namespace {

// The contract's fields, in its order: all are written, so consumers never meet a missing key.
constexpr const char* kContractFields[] = {"sheet_number",   "insured_name",      "cin",
                                           "birth_date",     "institution",       "signature_place",
                                           "signature_date", "insured_signature", "total_amount",
                                           "medical_total",  "pharmacy_total",    "dental_total"};
constexpr const char* kLineCells[] = {"date", "amount"};
constexpr const char* kPlaceholderForm = "ambulatoire";

Poco::JSON::Object::Ptr ordered() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

const char* source_name(core::Source source) {
  switch (source) {
    case core::Source::kOcr:
      return "ocr";
    case core::Source::kIcr:
      return "icr";
    case core::Source::kDetector:
      return "detector";
    case core::Source::kReviewer:
      return "reviewer";
    case core::Source::kComputed:
      return "computed";
  }
  return "ocr";
}

Poco::JSON::Object::Ptr field_json(const core::ReadField& f) {
  auto out = ordered();
  if (!f.value) {
    out->set("value", Poco::Dynamic::Var());
  } else if (f.boolean && (*f.value == "true" || *f.value == "false")) {
    out->set("value", *f.value == "true");
  } else {
    out->set("value", *f.value);
  }
  out->set("confidence", std::clamp(f.confidence, 0.0, 1.0));
  out->set("source", std::string(source_name(f.source)));
  if (f.box) {
    Poco::JSON::Array::Ptr box = new Poco::JSON::Array;
    for (double v : {f.box->x, f.box->y, f.box->w, f.box->h}) box->add(v);
    out->set("box", box);
  }
  out->set("raw", f.raw ? Poco::Dynamic::Var(*f.raw) : Poco::Dynamic::Var());
  return out;
}

Poco::JSON::Object::Ptr fields_json(const core::PageReading& reading) {
  auto out = ordered();
  for (const char* id : kContractFields) {
    auto it = reading.fields.find(id);
    out->set(id, field_json(it == reading.fields.end() ? core::ReadField{} : it->second));
  }
  for (const auto& [id, f] : reading.fields) {
    if (!out->has(id)) out->set(id, field_json(f));
  }
  return out;
}

Poco::JSON::Array::Ptr lines_json(const core::PageReading& reading) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& line : reading.lines) {
    auto l = ordered();
    l->set("table", line.table);
    l->set("row", line.row);
    for (const char* cell : kLineCells) {
      auto it = line.cells.find(cell);
      l->set(cell, field_json(it == line.cells.end() ? core::ReadField{} : it->second));
    }
    for (const auto& [cell, f] : line.cells) {
      if (!l->has(cell)) l->set(cell, field_json(f));
    }
    out->add(l);
  }
  return out;
}

Poco::JSON::Array::Ptr findings_json(const std::vector<core::Finding>& findings) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& f : findings) {
    auto o = ordered();
    o->set("rule", f.rule);
    o->set("severity", std::string(f.severity == core::Severity::kError ? "error" : "warning"));
    Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
    for (const auto& id : f.fields) fields->add(id);
    o->set("fields", fields);
    o->set("message", f.message);
    out->add(o);
  }
  return out;
}

}  // namespace

Poco::JSON::Object::Ptr to_json(const Claim& claim) {
  const auto& reading = claim.reading;
  const bool care_sheet = !reading.form_type.empty();
  auto out = ordered();
  out->set("schema", std::string(kClaimSchema));
  out->set("claim_id", claim.claim_id);
  auto doc = ordered();
  doc->set("sha256", claim.document.sha256);
  doc->set("page", claim.document.page);
  doc->set("channel", claim.document.channel);
  doc->set("office", claim.document.office ? Poco::Dynamic::Var(*claim.document.office)
                                           : Poco::Dynamic::Var());
  doc->set("received_at", claim.document.received_at);
  out->set("document", doc);
  out->set("form_type", care_sheet ? reading.form_type : std::string(kPlaceholderForm));
  out->set("status", std::string(to_string(claim.decision.status)));
  // After a reader failure nobody knows yet whether the page is a care sheet.
  out->set("care_sheet", reading.read_failed && !care_sheet ? Poco::Dynamic::Var()
                                                            : Poco::Dynamic::Var(care_sheet));
  out->set("reject_reason", reading.reject_reason.empty()
                                ? Poco::Dynamic::Var()
                                : Poco::Dynamic::Var(reading.reject_reason));
  out->set("fields", fields_json(reading));
  out->set("lines", lines_json(reading));
  out->set("validation", findings_json(claim.findings));
  Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
  for (const auto& r : claim.decision.reasons) reasons->add(r);
  out->set("review_reasons", reasons);
  auto quality = ordered();
  quality->set("form_confidence", reading.form_confidence);
  quality->set("registration_quality", reading.registration_quality);
  quality->set("rotation_degrees", reading.rotation_degrees);
  out->set("reading", quality);
  return out;
}

std::string to_json_line(const Claim& claim) {
  return core::to_json(to_json(claim));
}

}  // namespace carescan::claim
