#pragma once
// Checks one page reading against the facts of the domain: each rule small, named and stable.

#include <vector>

#include "core/config.h"
#include "core/date.h"
#include "core/reading.h"

namespace carescan::validate {

// Every finding of every rule, in rule order. `today` is the day the sheet was received: the
// reference for dates in the future and for the deposit deadline. Rules about a field that
// was not read (null value) stay silent: missing key fields are `required_fields_present`'s job.
std::vector<core::Finding> validate_reading(const core::PageReading& reading,
                                            const core::Config& config, const core::Date& today);

}  // namespace carescan::validate
