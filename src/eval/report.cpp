#include "eval/report.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace carescan::eval {
namespace {

std::string percent(const Rate& r) {
  if (r.total == 0) return "   n/a";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%6.1f %%  (%ld/%ld)", 100 * r.value(), r.hits, r.total);
  return buf;
}

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void row(std::ostream& out, const std::string& label, const std::string& value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "  %-44s", label.c_str());
  out << buf << value << "\n";
}

Poco::JSON::Object::Ptr rate_json(const Rate& r) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("rate", r.value());
  o->set("hits", r.hits);
  o->set("total", r.total);
  return o;
}

Poco::JSON::Object::Ptr ordered() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Rate wrong(const Rate& right) {
  return {right.total - right.hits, right.total};
}

std::string threshold_text(double t) {
  return t > 1 ? std::string("never") : fixed(t, 3);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// One row of an operating-point table: threshold, coverage, precision, lower bound.
void point_row(std::ostream& out, const std::string& label, const std::string& threshold,
               const OperatingPoint& p) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "  %-20s %-16s %-22s %-22s %s\n", label.c_str(), threshold.c_str(),
                percent({p.accepted, p.pages}).c_str(), percent({p.right, p.accepted}).c_str(),
                p.accepted > 0 ? fixed(p.lower_bound(), 3).c_str() : "-");
  out << buf;
}

void point_header(std::ostream& out) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "  %-20s %-16s %-22s %-22s %s\n", "", "threshold",
                "coverage (read >=)", "precision (right)", "95 % low");
  out << buf;
}

const FieldSamples& samples_of(const std::map<std::string, FieldSamples>& m,
                               const std::string& key) {
  static const FieldSamples kNone;
  auto it = m.find(key);
  return it == m.end() ? kNone : it->second;
}

Poco::JSON::Object::Ptr point_json(const OperatingPoint& p) {
  auto o = ordered();
  if (p.threshold > 1) {
    o->set("threshold", Poco::Dynamic::Var());
  } else {
    o->set("threshold", p.threshold);
  }
  o->set("pages", p.pages);
  o->set("accepted", p.accepted);
  o->set("right", p.right);
  o->set("coverage", p.coverage());
  o->set("precision", p.precision());
  o->set("lower_bound_95", p.lower_bound());
  return o;
}

void print_accepted_values(std::ostream& out, const Scores& s) {
  row(out, "key values on accepted pages wrong", percent(wrong(s.accepted_key_values)));
  row(out, "all values on accepted pages wrong", percent(wrong(s.accepted_values)));
}

}  // namespace

void print_report(std::ostream& out, const Report& report) {
  const Scores& s = report.scores;
  out << "carescan eval: " << s.pages << " pages";
  if (s.unreadable_pages > 0) out << " (" << s.unreadable_pages << " could not be read)";
  out << "\n\nClassification\n";
  row(out, "form type, all pages", percent(s.form_type));
  row(out, "care sheets given their form", percent(s.care_sheets_typed));
  row(out, "distractors rejected as not care sheets", percent(s.distractors_rejected));

  out << "\nFields, exact match (care sheets)\n";
  for (const auto& [group, rate] : s.groups) row(out, std::string(to_string(group)), percent(rate));
  for (const auto& f : s.fields) {
    row(out, "  " + f.field + " [" + std::string(to_string(f.group)) + "]", percent(f.exact));
  }

  out << "\nTable lines\n";
  row(out, "rows found", percent(s.lines.found));
  row(out, "dates exact", percent(s.lines.dates));
  row(out, "amounts exact", percent(s.lines.amounts));
  row(out, "rows exact (every cell)", percent(s.lines.rows_exact));
  row(out, "rows read that the sheet lacks", std::to_string(s.lines.extra_rows));

  out << "\nDecisions\n";
  for (const auto& [status, n] : s.statuses) row(out, "status " + status, std::to_string(n));
  row(out, "straight-through (care sheets accepted)", percent(s.straight_through));
  row(out, "accepted pages with a key field wrong", percent(s.accepted_with_key_error));
  print_accepted_values(out, s);

  out << "\nAcceptance: each key field at its threshold (care sheets)\n";
  point_header(out);
  for (const auto& [field, threshold] : report.accept_thresholds) {
    const std::string source = contains(report.fitted_fields, field) ? " fitted" : " config";
    point_row(out, field, threshold_text(threshold) + source,
              operating_point(samples_of(s.field_samples, field), threshold));
  }
  out << "\nField kinds at confidence >= " << fixed(report.kind_threshold, 2)
      << " (informative: fields and table cells)\n";
  point_header(out);
  for (const auto& [kind, samples] : s.kind_samples) {
    point_row(out, kind, fixed(report.kind_threshold, 3),
              operating_point(samples, report.kind_threshold));
  }

  out << "\nCalibration (fields and cells)\n";
  row(out, "expected calibration error (10 bins)", fixed(s.expected_calibration_error, 4));
  out << "  confidence      n   mean conf   accuracy\n";
  for (const auto& b : s.reliability) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  %.1f-%.1f  %7ld   %9s   %8s\n", b.low, b.high, b.count,
                  b.count ? fixed(b.mean_confidence, 3).c_str() : "-",
                  b.count ? fixed(b.accuracy, 3).c_str() : "-");
    out << buf;
  }

  if (report.fit) {
    const ThresholdFit& f = *report.fit;
    out << "\nThreshold fit: target " << fixed(100 * f.settings.target_precision, 1)
        << " % right by the "
        << (f.settings.use_lower_bound ? "95 % lower bound" : "measured share") << ", at least "
        << f.settings.min_count << " values -> " << f.file << "\n";
    point_header(out);
    for (const auto& c : f.choices) {
      if (c.threshold) {
        point_row(out, c.field, fixed(*c.threshold, 3), c.at);
      } else {
        row(out, c.field, "none: " + c.reason);
      }
    }
    out << "  with these thresholds, on this set:\n";
    row(out, "straight-through (care sheets accepted)", percent(f.rescored.straight_through));
    row(out, "accepted pages with a key field wrong", percent(f.rescored.accepted_with_key_error));
    print_accepted_values(out, f.rescored);
  }

  out << "\nSpeed\n";
  row(out,
      "pages per second (wall clock, " + std::to_string(report.throughput.workers) + " workers)",
      fixed(report.throughput.pages_per_second(), 2) + "  (" +
          std::to_string(report.throughput.pages) + " pages in " +
          fixed(report.throughput.seconds, 1) + " s)");
  row(out, "peak memory", fixed(static_cast<double>(report.peak_memory_kb) / 1024, 0) + " MiB");

  if (report.baseline) {
    const Baseline& b = *report.baseline;
    out << "\nComparison: plain full-page Tesseract (psm auto)\n";
    row(out, "pages per second (" + std::to_string(b.throughput.workers) + " workers)",
        fixed(b.throughput.pages_per_second(), 2) + "  (" + std::to_string(b.throughput.pages) +
            " pages in " + fixed(b.throughput.seconds, 1) + " s)");
    if (b.throughput.pages_per_second() > 0) {
      row(out, "carescan speed-up",
          fixed(report.throughput.pages_per_second() / b.throughput.pages_per_second(), 1) + " x");
    }
    row(out, "key truth values anywhere in its text", percent(b.finds.key_fields));
    for (const auto& [kind, rate] : b.finds.by_kind) row(out, "  " + kind, percent(rate));
    row(out, "carescan, handwritten key fields exact",
        percent(s.groups.count(FieldGroup::kKeyHandwritten) != 0U
                    ? s.groups.at(FieldGroup::kKeyHandwritten)
                    : Rate{}));
  }
}

Poco::JSON::Object::Ptr report_json(const Report& report) {
  const Scores& s = report.scores;
  auto out = ordered();
  out->set("pages", s.pages);
  out->set("unreadable_pages", s.unreadable_pages);
  out->set("form_type", rate_json(s.form_type));
  out->set("care_sheets_typed", rate_json(s.care_sheets_typed));
  out->set("distractors_rejected", rate_json(s.distractors_rejected));
  auto groups = ordered();
  for (const auto& [group, rate] : s.groups)
    groups->set(std::string(to_string(group)), rate_json(rate));
  out->set("field_groups", groups);
  auto fields = ordered();
  for (const auto& f : s.fields) fields->set(f.field, rate_json(f.exact));
  out->set("fields", fields);
  auto lines = ordered();
  lines->set("found", rate_json(s.lines.found));
  lines->set("dates", rate_json(s.lines.dates));
  lines->set("amounts", rate_json(s.lines.amounts));
  lines->set("rows_exact", rate_json(s.lines.rows_exact));
  lines->set("extra_rows", s.lines.extra_rows);
  out->set("lines", lines);
  auto statuses = ordered();
  for (const auto& [status, n] : s.statuses) statuses->set(status, n);
  out->set("statuses", statuses);
  out->set("straight_through", rate_json(s.straight_through));
  out->set("accepted_with_key_error", rate_json(s.accepted_with_key_error));
  out->set("accepted_key_values", rate_json(s.accepted_key_values));
  out->set("accepted_values", rate_json(s.accepted_values));
  auto acceptance = ordered();
  for (const auto& [field, threshold] : report.accept_thresholds) {
    auto p = point_json(operating_point(samples_of(s.field_samples, field), threshold));
    p->set("source", contains(report.fitted_fields, field) ? "fitted" : "config");
    acceptance->set(field, p);
  }
  out->set("acceptance", acceptance);
  auto field_kinds = ordered();
  for (const auto& [kind, samples] : s.kind_samples) {
    field_kinds->set(kind, point_json(operating_point(samples, report.kind_threshold)));
  }
  out->set("field_kinds", field_kinds);
  if (report.fit) {
    auto fit =
        thresholds_json(report.fit->choices, report.fit->settings, s.pages, report.fit->file);
    fit->set("straight_through", rate_json(report.fit->rescored.straight_through));
    fit->set("accepted_with_key_error", rate_json(report.fit->rescored.accepted_with_key_error));
    fit->set("accepted_key_values", rate_json(report.fit->rescored.accepted_key_values));
    fit->set("accepted_values", rate_json(report.fit->rescored.accepted_values));
    out->set("threshold_fit", fit);
  }
  out->set("expected_calibration_error", s.expected_calibration_error);
  Poco::JSON::Array::Ptr bins = new Poco::JSON::Array;
  for (const auto& b : s.reliability) {
    auto o = ordered();
    o->set("low", b.low);
    o->set("high", b.high);
    o->set("count", b.count);
    o->set("mean_confidence", b.mean_confidence);
    o->set("accuracy", b.accuracy);
    bins->add(o);
  }
  out->set("reliability", bins);
  out->set("pages_per_second", report.throughput.pages_per_second());
  out->set("seconds", report.throughput.seconds);
  out->set("workers", report.throughput.workers);
  out->set("peak_memory_kb", report.peak_memory_kb);
  if (report.baseline) {
    auto b = ordered();
    b->set("pages_per_second", report.baseline->throughput.pages_per_second());
    b->set("seconds", report.baseline->throughput.seconds);
    b->set("key_fields_found", rate_json(report.baseline->finds.key_fields));
    auto kinds = ordered();
    for (const auto& [kind, rate] : report.baseline->finds.by_kind)
      kinds->set(kind, rate_json(rate));
    b->set("by_kind", kinds);
    out->set("tesseract_baseline", b);
  }
  return out;
}

}  // namespace carescan::eval
