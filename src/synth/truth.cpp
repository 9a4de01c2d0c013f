#include "synth/truth.h"

#include <Poco/JSON/Array.h>

namespace carescan::synth {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Var text_or_null(const std::optional<std::string>& v) {
  return v ? Var(*v) : Var();
}
Var date_or_null(const std::optional<core::Date>& v) {
  return v ? Var(v->iso()) : Var();
}
Var money_or_null(const std::optional<core::Money>& v) {
  return v ? Var(v->decimal()) : Var();
}
Var int_or_null(const std::optional<int>& v) {
  return v ? Var(std::to_string(*v)) : Var();
}

Object::Ptr line_truth(const ContentLine& l) {
  Object::Ptr o = ordered_object();
  o->set("table", l.table);
  o->set("row", l.row);
  o->set("date", l.date.iso());
  o->set("description", l.description.empty() ? Var() : Var(l.description));
  o->set("code", text_or_null(l.code));
  o->set("coefficient", int_or_null(l.coefficient));
  o->set("quantity", int_or_null(l.quantity));
  o->set("tooth", int_or_null(l.tooth));
  o->set("amount", l.amount.decimal());
  return o;
}

}  // namespace

Object::Ptr ordered_object() {
  return new Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Object::Ptr written_truth(const Written& w) {
  Object::Ptr fields = ordered_object();
  for (const auto& [id, text] : w.fields) fields->set(id, text);
  Array::Ptr lines = new Array;
  for (const auto& l : w.lines) {
    Object::Ptr o = ordered_object();
    o->set("table", l.table);
    o->set("row", l.row);
    for (const auto& [column, text] : l.cells) o->set(column, text);
    lines->add(o);
  }
  Object::Ptr out = ordered_object();
  out->set("fields", fields);
  out->set("lines", lines);
  return out;
}

Object::Ptr sheet_truth(const SheetContent& s, const Written& written) {
  Object::Ptr page = ordered_object();
  page->set("care_sheet", true);
  page->set("form_type", s.form);
  page->set("distractor", Var());

  Object::Ptr f = ordered_object();
  f->set("sheet_number", s.sheet_number);
  f->set("insured_name", s.insured_name);
  f->set("cin", s.cin);
  f->set("birth_date", date_or_null(s.birth_date));
  f->set("sex", s.sex ? Var(std::string(1, *s.sex)) : Var());
  f->set("institution", text_or_null(s.institution));
  f->set("signature_place", text_or_null(s.signature_place));
  f->set("signature_date", s.signature_date.iso());
  f->set("insured_signature", s.insured_signature);
  f->set("total_amount", money_or_null(s.total_amount));
  f->set("medical_total", money_or_null(s.medical_total));
  f->set("pharmacy_total", money_or_null(s.pharmacy_total));
  f->set("dental_total", money_or_null(s.dental_total));
  if (s.form == "dentaire") {
    f->set("dentist_inpe", s.has_table("dental_acts") ? Var(s.doctor.inpe) : Var());
    f->set("prosthesis_quote", s.prosthesis_quote.value_or(false));
    Array::Ptr teeth = new Array;
    for (int t : s.teeth) teeth->add(std::to_string(t));
    f->set("teeth", teeth);
  } else {
    f->set("doctor_inpe", s.has_table("medical_acts") ? Var(s.doctor.inpe) : Var());
  }
  if (s.form == "ald") {
    f->set("ald_code", text_or_null(s.ald_code));
    f->set("pec_number", text_or_null(s.pec_number));
    f->set("ald_related", s.ald_related ? Var(*s.ald_related) : Var());
  }
  page->set("fields", f);

  Array::Ptr lines = new Array;
  for (const auto& l : s.lines) lines->add(line_truth(l));
  page->set("lines", lines);
  Array::Ptr defects = new Array;
  for (const auto& d : s.defects) defects->add(d);
  page->set("defects", defects);
  page->set("written", written_truth(written));
  return page;
}

Object::Ptr distractor_truth(const std::string& kind) {
  Object::Ptr page = ordered_object();
  page->set("care_sheet", false);
  page->set("form_type", Var());
  page->set("distractor", kind);
  page->set("fields", ordered_object());
  page->set("lines", Array::Ptr(new Array));
  page->set("defects", Array::Ptr(new Array));
  page->set("written", written_truth({}));
  return page;
}

}  // namespace carescan::synth
