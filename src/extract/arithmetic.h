#pragma once
// The sheet's own arithmetic as a second reading: amounts that add up to the totals written
// beside them are far more often right than any of them read alone.

#include <map>
#include <string>
#include <vector>

#include "core/reading.h"

namespace carescan::extract {

// Marks `corroborated` on the amounts whose sums check out: a section total equal to the sum
// of its rows (with the rows), the declared total equal to the section totals plus the rows of
// the table without a total box (with those totals and rows). A sum with an unread part, or a
// section with no rows and no total, proves nothing. Values are left as read: a writer's wrong
// sum is the validator's to report, not the reader's to mend.
void corroborate_sums(std::map<std::string, core::ReadField>& fields,
                      std::vector<core::ReadLine>& lines);

}  // namespace carescan::extract
