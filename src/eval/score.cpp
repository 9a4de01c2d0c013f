#include "eval/score.h"

#include <algorithm>
#include <cmath>

namespace carescan::eval {
namespace {

using Samples = std::vector<std::pair<double, bool>>;

const core::ReadField* claim_field(const claim::Claim& c, const std::string& id) {
  auto it = c.reading.fields.find(id);
  return it == c.reading.fields.end() ? nullptr : &it->second;
}

Value value_of(const core::ReadField* f) {
  return f == nullptr ? std::nullopt : f->value;
}

const core::ReadLine* claim_line(const claim::Claim& c, const std::string& table, int row) {
  for (const auto& l : c.reading.lines) {
    if (l.table == table && l.row == row) return &l;
  }
  return nullptr;
}

const core::ReadField* cell_of(const core::ReadLine& line, const std::string& cell) {
  auto it = line.cells.find(cell);
  return it == line.cells.end() ? nullptr : &it->second;
}

FieldSample sample_of(const core::ReadField* f, bool hit) {
  FieldSample s;
  s.read = f != nullptr && f->value.has_value();
  s.confidence = f == nullptr ? 0 : f->confidence;
  s.right = hit;
  return s;
}

// The field-kind table pools the key fields as one kind, though each has its own curve.
std::string kind_of(std::string_view id, bool line_cell) {
  std::string group = extract::calibration_group(id, line_cell);
  return group.starts_with("key.") ? "key" : group;
}

void score_lines(const TruthPage& truth, const claim::Claim* c, LineScores& out, Samples& cal,
                 std::map<std::string, Samples>& by_group,
                 std::map<std::string, FieldSamples>& kinds, Rate* accepted_values) {
  for (const auto& tl : truth.lines) {
    const core::ReadLine* line = c == nullptr ? nullptr : claim_line(*c, tl.table, tl.row);
    out.found.add(line != nullptr);
    bool all = line != nullptr;
    for (const auto& [cell, expected] : tl.cells) {
      const core::ReadField* f = line == nullptr ? nullptr : cell_of(*line, cell);
      const bool hit = value_of(f) == expected;
      if (cell == "date") out.dates.add(hit);
      if (cell == "amount") out.amounts.add(hit);
      all = all && hit;
      kinds[kind_of(cell, true)].push_back(sample_of(f, hit));
      if (accepted_values != nullptr) accepted_values->add(hit);
      if (f != nullptr) {
        cal.emplace_back(f->confidence, hit);
        by_group[extract::calibration_group(cell, true, *f)].emplace_back(f->confidence, hit);
      }
    }
    out.rows_exact.add(all);
  }
  if (c == nullptr) return;
  for (const auto& l : c->reading.lines) {
    const bool known = std::any_of(truth.lines.begin(), truth.lines.end(), [&](const TruthLine& t) {
      return t.table == l.table && t.row == l.row;
    });
    if (!known) ++out.extra_rows;
  }
}

bool any_key_field_wrong(const TruthPage& truth, const claim::Claim& c,
                         const std::vector<std::string>& key_fields) {
  if (!truth.care_sheet) return true;
  return std::any_of(key_fields.begin(), key_fields.end(), [&](const std::string& id) {
    auto it = truth.fields.find(id);
    const Value expected = it == truth.fields.end() ? std::nullopt : it->second;
    return value_of(claim_field(c, id)) != expected;
  });
}

}  // namespace

std::string_view to_string(FieldGroup group) {
  switch (group) {
    case FieldGroup::kPrinted:
      return "printed";
    case FieldGroup::kKeyHandwritten:
      return "handwritten key";
    case FieldGroup::kOtherHandwritten:
      return "handwritten other";
    case FieldGroup::kMark:
      return "marks";
  }
  return "";
}

FieldGroup group_of(const std::string& field) {
  if (field == "sheet_number") return FieldGroup::kPrinted;
  if (field == "insured_name" || field == "cin" || field == "signature_date" ||
      field == "total_amount") {
    return FieldGroup::kKeyHandwritten;
  }
  if (field == "insured_signature" || field == "sex" || field == "teeth" ||
      field == "prosthesis_quote" || field == "ald_related") {
    return FieldGroup::kMark;
  }
  return FieldGroup::kOtherHandwritten;
}

double expected_calibration_error(const Samples& samples, int bins,
                                  std::vector<ReliabilityBin>* table) {
  std::vector<ReliabilityBin> out(static_cast<size_t>(bins));
  std::vector<double> confidence_sum(out.size(), 0);
  std::vector<long> correct(out.size(), 0);
  for (size_t b = 0; b < out.size(); ++b) {
    out[b].low = static_cast<double>(b) / bins;
    out[b].high = static_cast<double>(b + 1) / bins;
  }
  for (const auto& [confidence, hit] : samples) {
    const double c = std::clamp(confidence, 0.0, 1.0);
    const auto b = std::min(out.size() - 1, static_cast<size_t>(c * bins));
    ++out[b].count;
    confidence_sum[b] += c;
    correct[b] += hit ? 1 : 0;
  }
  double ece = 0;
  for (size_t b = 0; b < out.size(); ++b) {
    if (out[b].count == 0) continue;
    const auto n = static_cast<double>(out[b].count);
    out[b].mean_confidence = confidence_sum[b] / n;
    out[b].accuracy = static_cast<double>(correct[b]) / n;
    ece += n / static_cast<double>(samples.size()) *
           std::abs(out[b].accuracy - out[b].mean_confidence);
  }
  if (table != nullptr) *table = out;
  return ece;
}

Scores score_pages(const std::vector<ScoredPage>& pages, const std::vector<std::string>& key_fields,
                   int bins) {
  Scores out;
  std::map<std::string, FieldScore> fields;
  Samples calibration;
  for (const auto& p : pages) {
    ++out.pages;
    if (!p.claim) {
      ++out.unreadable_pages;
      ++out.statuses["unreadable"];
    }
    const claim::Claim* c = p.claim ? &*p.claim : nullptr;
    const std::string read_form = c != nullptr ? c->reading.form_type : std::string();
    out.form_type.add(c != nullptr && read_form == p.truth.form_type);
    if (p.truth.care_sheet) {
      out.care_sheets_typed.add(c != nullptr && read_form == p.truth.form_type);
    } else {
      out.distractors_rejected.add(c != nullptr && c->decision.status == claim::Status::kRejected);
    }
    if (c != nullptr) ++out.statuses[std::string(claim::to_string(c->decision.status))];
    const bool accepted = c != nullptr && c->decision.status == claim::Status::kAccepted;
    if (accepted) out.accepted_with_key_error.add(any_key_field_wrong(p.truth, *c, key_fields));
    if (!p.truth.care_sheet) continue;
    out.straight_through.add(accepted);
    for (const auto& [id, expected] : p.truth.fields) {
      auto& score = fields[id];
      score.field = id;
      score.group = group_of(id);
      const core::ReadField* f = c == nullptr ? nullptr : claim_field(*c, id);
      const bool hit = c != nullptr && value_of(f) == expected;
      score.exact.add(hit);
      out.field_samples[id].push_back(sample_of(f, hit));
      out.kind_samples[kind_of(id, false)].push_back(sample_of(f, hit));
      if (accepted) {
        out.accepted_values.add(hit);
        if (std::find(key_fields.begin(), key_fields.end(), id) != key_fields.end()) {
          out.accepted_key_values.add(hit);
        }
      }
      out.groups[score.group].add(hit);
      if (f != nullptr) {
        calibration.emplace_back(f->confidence, hit);
        out.calibration_samples[extract::calibration_group(id, false, *f)].emplace_back(
            f->confidence, hit);
      }
    }
    score_lines(p.truth, c, out.lines, calibration, out.calibration_samples, out.kind_samples,
                accepted ? &out.accepted_values : nullptr);
  }
  for (auto& [id, score] : fields) out.fields.push_back(score);
  std::stable_sort(out.fields.begin(), out.fields.end(), [](const auto& a, const auto& b) {
    return static_cast<int>(a.group) < static_cast<int>(b.group);
  });
  out.expected_calibration_error = expected_calibration_error(calibration, bins, &out.reliability);
  return out;
}

}  // namespace carescan::eval
