#pragma once
// The supervisor's figures: the review backlog, how long reviews take, and which fields of which
// form reviewers correct most (what calibrating the confidence thresholds needs).

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "store/store.h"

namespace carescan::service {

// A claim a reviewer decided on, with its audit trail.
struct ReviewedClaim {
  std::string form_type;
  store::Time waiting_since;  // when the reading put it in the queue
  std::vector<store::AuditEntry> audit;
};

struct Backlog {
  std::int64_t waiting = 0;
  std::optional<store::Time> oldest;  // when the oldest waiting claim entered the queue
};

// {backlog: {waiting, oldest_wait_seconds}, reviewed, median_review_seconds,
//  corrections: [{form_type, field, count, reviewed, share}] most corrected first}
[[nodiscard]] Poco::JSON::Object::Ptr supervisor_figures(const Backlog& backlog,
                                                         const std::vector<ReviewedClaim>& reviewed,
                                                         store::Time now);

}  // namespace carescan::service
