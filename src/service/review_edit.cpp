#include "service/review_edit.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "claim/claim.h"
#include "claim/claim_json.h"
#include "core/date.h"
#include "core/json_util.h"
#include "core/money.h"
#include "service/views.h"

namespace carescan::service {
namespace {

core::Source source_of(const std::string& name) {
  if (name == "icr") return core::Source::kIcr;
  if (name == "detector") return core::Source::kDetector;
  if (name == "reviewer") return core::Source::kReviewer;
  if (name == "computed") return core::Source::kComputed;
  return core::Source::kOcr;
}

core::ReadField field_of(const Poco::JSON::Object::Ptr& f) {
  core::ReadField out;
  const auto value = f->get("value");
  if (value.isBoolean()) {
    out.boolean = true;
    out.value = value.convert<bool>() ? "true" : "false";
  } else if (!value.isEmpty()) {
    out.value = value.convert<std::string>();
  }
  out.confidence = f->optValue<double>("confidence", 0.0);
  out.source = source_of(f->optValue<std::string>("source", "ocr"));
  if (const auto raw = f->get("raw"); !raw.isEmpty()) out.raw = raw.convert<std::string>();
  if (const auto box = f->getArray("box"); box && box->size() == 4) {
    out.box = core::PixelBox{box->getElement<double>(0), box->getElement<double>(1),
                             box->getElement<double>(2), box->getElement<double>(3)};
  }
  return out;
}

// The cell name of a target: "lines[3].amount" -> "amount"; a field id is its own name.
std::string name_of(const std::string& target) {
  const auto dot = target.rfind('.');
  return dot == std::string::npos ? target : target.substr(dot + 1);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The field object a target names inside `claim`, or nullptr.
Poco::JSON::Object::Ptr target_object(const Poco::JSON::Object::Ptr& claim,
                                      const std::string& target) {
  if (target.rfind("lines[", 0) == 0) {
    const auto close = target.find("].");
    if (close == std::string::npos) return nullptr;
    int index = -1;
    try {
      size_t used = 0;
      index = std::stoi(target.substr(6, close - 6), &used);
      if (used != close - 6) return nullptr;
    } catch (const std::exception&) {
      return nullptr;
    }
    const auto lines = claim->getArray("lines");
    if (!lines || index < 0 || static_cast<size_t>(index) >= lines->size()) return nullptr;
    const auto line = lines->getObject(static_cast<unsigned>(index));
    return line ? line->getObject(target.substr(close + 2)) : nullptr;
  }
  const auto fields = claim->getObject("fields");
  return fields ? fields->getObject(target) : nullptr;
}

std::string text_of(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "";
  if (value.isBoolean()) return value.convert<bool>() ? "true" : "false";
  return value.convert<std::string>();
}

// The claim's day of receipt, from the document it carries (now when it carries none).
store::Time received_at(const Poco::JSON::Object::Ptr& claim) {
  std::string received;
  if (const auto doc = claim->getObject("document")) {
    received = doc->optValue<std::string>("received_at", "");
  }
  return parse_time(received).value_or(now_ms());
}

Poco::JSON::Object::Ptr deep_copy(const Poco::JSON::Object::Ptr& claim) {
  return core::parse_json_object(core::to_json(claim), "claim");
}

}  // namespace

core::PageReading reading_of(const Poco::JSON::Object::Ptr& claim) {
  core::PageReading out;
  const auto care_sheet = claim->get("care_sheet");
  out.read_failed = care_sheet.isEmpty() && claim->has("care_sheet");
  if (care_sheet.isEmpty() || care_sheet.convert<bool>()) {
    out.form_type = claim->optValue<std::string>("form_type", "");
  }
  if (const auto reason = claim->get("reject_reason"); !reason.isEmpty()) {
    out.reject_reason = reason.convert<std::string>();
  }
  if (const auto quality = claim->getObject("reading")) {
    out.form_confidence = quality->optValue<double>("form_confidence", 0.0);
    out.registration_quality = quality->optValue<double>("registration_quality", 0.0);
    out.rotation_degrees = quality->optValue<int>("rotation_degrees", 0);
  }
  if (const auto fields = claim->getObject("fields")) {
    for (const auto& [id, value] : *fields) {
      if (const auto f = fields->getObject(id)) out.fields[id] = field_of(f);
    }
  }
  if (const auto lines = claim->getArray("lines")) {
    for (unsigned i = 0; i < lines->size(); ++i) {
      const auto l = lines->getObject(i);
      if (!l) continue;
      core::ReadLine line;
      line.table = l->optValue<std::string>("table", "");
      line.row = l->optValue<int>("row", 0);
      for (const auto& [cell, value] : *l) {
        if (const auto f = l->getObject(cell)) line.cells[cell] = field_of(f);
      }
      out.lines.push_back(std::move(line));
    }
  }
  return out;
}

std::string normalise_entry(const std::string& target, const std::string& text) {
  const std::string name = name_of(target);
  if (name == "amount" || ends_with(name, "_amount") || ends_with(name, "_total")) {
    if (const auto m = core::parse_money(text)) return m->decimal();
  } else if (ends_with(name, "date")) {
    if (const auto d = core::parse_iso_date(text)) return d->iso();
    if (const auto d = core::parse_date(text)) return d->iso();
  } else if (name == "cin") {
    std::string cin;
    for (const char c : text) {
      if (!std::isspace(static_cast<unsigned char>(c))) {
        cin += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
    }
    return cin;
  }
  return text;
}

Edit apply_corrections(const Poco::JSON::Object::Ptr& claim, const Corrections& corrections,
                       const core::Config& config) {
  Edit out;
  out.claim = deep_copy(claim);
  for (const auto& [target, entry] : corrections) {
    auto field = target_object(out.claim, target);
    if (!field) throw BadTarget("the claim has no field " + target);
    const auto before = field->get("value");
    Poco::Dynamic::Var after;
    if (entry && before.isBoolean()) {
      static const std::set<std::string> yes_words{"true", "oui", "1", "o", "yes"};
      after = yes_words.count(*entry) > 0;
    } else if (entry && !entry->empty()) {
      after = normalise_entry(target, *entry);
    }
    if (text_of(before) == text_of(after)) continue;
    field->set("value", after);
    field->set("source", std::string("reviewer"));
    field->set("confidence", 1.0);
    store::AuditEntry change;
    change.field = target;
    change.before = text_of(before);
    change.after = text_of(after);
    out.changes.push_back(std::move(change));
  }
  // The pipeline's own judgement of the corrected reading: the same rules, the same status logic.
  const auto document = out.claim->getObject("document");
  claim::DocumentRef ref;
  if (document) {
    ref.sha256 = document->optValue<std::string>("sha256", "");
    ref.page = document->optValue<int>("page", 1);
  }
  const auto judged = claim::to_json(claim::build_claim(
      std::move(ref), reading_of(out.claim), config, day_of_receipt(config, received_at(claim))));
  out.claim->set("validation", judged->getArray("validation"));
  out.claim->set("review_reasons", judged->getArray("review_reasons"));
  return out;
}

std::vector<std::string> review_reason_keys(const Poco::JSON::Object::Ptr& claim) {
  std::set<std::string> keys;
  if (const auto reasons = claim->getArray("review_reasons")) {
    for (unsigned i = 0; i < reasons->size(); ++i) {
      const std::string r = reasons->getElement<std::string>(i);
      if (r.find(" read with confidence ") != std::string::npos) {
        keys.insert("low_confidence");
      } else if (ends_with(r, " not read")) {
        keys.insert("not_read");
      } else if (r.rfind("rule ", 0) == 0) {
        keys.insert(r.substr(5));
      } else {
        keys.insert("unreadable");
      }
    }
  }
  return {keys.begin(), keys.end()};
}

bool is_flagged(const Poco::JSON::Object::Ptr& claim, const std::string& target,
                const core::ClaimsConfig& config) {
  if (const auto findings = claim->getArray("validation")) {
    for (unsigned i = 0; i < findings->size(); ++i) {
      const auto f = findings->getObject(i);
      const auto fields = f ? f->getArray("fields") : nullptr;
      if (!fields) continue;
      for (unsigned j = 0; j < fields->size(); ++j) {
        if (fields->getElement<std::string>(j) == target) return true;
      }
    }
  }
  const auto field = target_object(claim, target);
  if (!field) return false;
  if (field->optValue<std::string>("source", "") == "reviewer") return false;
  double bar = 1.0;
  for (const auto& [id, threshold] : config.accept_min_confidence) bar = std::min(bar, threshold);
  if (config.accept_min_confidence.count(target) > 0) {
    bar = config.accept_min_confidence.at(target);
    if (field->get("value").isEmpty()) return true;
  }
  // A blank that the reader is sure of is a blank line on the sheet, not a doubt.
  return !field->get("value").isEmpty() && field->optValue<double>("confidence", 0.0) < bar;
}

}  // namespace carescan::service
