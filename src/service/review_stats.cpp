#include "service/review_stats.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <map>
#include <regex>

namespace carescan::service {
namespace {

double seconds_between(store::Time from, store::Time to) {
  return std::chrono::duration<double>(to - from).count();
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// "lines[3].amount" counts as "lines[].amount": the row number says nothing about the field.
std::string field_family(const std::string& field) {
  static const std::regex row_index(R"(^lines\[\d+\]\.)");
  return std::regex_replace(field, row_index, "lines[].");
}

}  // namespace

Poco::JSON::Object::Ptr supervisor_figures(const Backlog& backlog,
                                           const std::vector<ReviewedClaim>& reviewed,
                                           store::Time now) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Object::Ptr queue = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  queue->set("waiting", backlog.waiting);
  queue->set("oldest_wait_seconds", backlog.oldest
                                        ? Poco::Dynamic::Var(seconds_between(*backlog.oldest, now))
                                        : Poco::Dynamic::Var());
  out->set("backlog", queue);

  std::vector<double> durations;
  std::map<std::string, int> reviewed_per_form;
  std::map<std::pair<std::string, std::string>, int> corrections;
  for (const auto& claim : reviewed) {
    ++reviewed_per_form[claim.form_type];
    for (const auto& entry : claim.audit) {
      if (entry.field == "status") {
        durations.push_back(seconds_between(claim.waiting_since, entry.at));
      } else {
        ++corrections[{claim.form_type, field_family(entry.field)}];
      }
    }
  }
  out->set("reviewed", static_cast<int>(reviewed.size()));
  const auto mid = median(durations);
  out->set("median_review_seconds", mid ? Poco::Dynamic::Var(*mid) : Poco::Dynamic::Var());

  std::vector<std::pair<std::pair<std::string, std::string>, int>> rows(corrections.begin(),
                                                                        corrections.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  Poco::JSON::Array::Ptr table = new Poco::JSON::Array;
  for (const auto& [key, count] : rows) {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    row->set("form_type", key.first);
    row->set("field", key.second);
    row->set("count", count);
    const int of = reviewed_per_form[key.first];
    row->set("reviewed", of);
    row->set("share", of > 0 ? static_cast<double>(count) / of : 0.0);
    table->add(row);
  }
  out->set("corrections", table);
  return out;
}

}  // namespace carescan::service
