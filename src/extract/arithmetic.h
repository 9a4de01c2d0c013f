#pragma once
// The sheet's own arithmetic as a second reading: amounts that add up to the totals written
// beside them are far more often right than any of them read alone.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/reading.h"
#include "recognize/recognizer.h"

namespace carescan::extract {

// An amount recogniser's other readings (Recognition::readings) as values, likeliest first, with
// their log-odds against the reading it chose; and each reading without a comma read with one,
// its last two digits the centimes, at odds of one half: people write the centimes, and a light
// comma is the first stroke a scan or a photocopy loses.
std::vector<core::OtherValue> amount_others(const recognize::Recognition& reading);

// Where a section's rows do not add up to its written total, tries the recognisers' other
// readings (ReadField::others) of up to three of those amounts: the likeliest change that makes
// the sum right replaces the values read, if it costs at most `max_log_odds` against them and
// is clearly likelier than any other such change. Then the same for the declared total's sum
// (section totals and the rows of the table without a total box), the declared total itself,
// a key field, and section totals that their rows confirm being taken as read. A sheet's sum is far
// more often misread than miswritten, and a misread amount's truth is usually its recogniser's
// second choice; a writer's wrong total seldom sits one likely misreading away, and then still goes
// to the validator as written when no change is likely enough.
void mend_sums(std::map<std::string, core::ReadField>& fields, std::vector<core::ReadLine>& lines,
               double max_log_odds);

// What the sheet's sum says an amount should be, where a section's rows do not add up to its
// written total: a row's amount, the total less the other rows (when that is above zero); the
// total, the rows' sum. Where the declared total's sum is wrong, a row of the table without a
// total box: what would make it right (`total` is then the declared total). Nothing is changed: the
// recogniser is asked how likely the ink is to read so (FieldExtractor), and mend_sums decides.
struct ImpliedAmount {
  core::ReadField* field = nullptr;
  const core::ReadLine* row = nullptr;  // the amount's row; null for the section's total
  std::string_view total;               // the section's total box
  std::int64_t centimes = 0;
};
std::vector<ImpliedAmount> implied_amounts(std::map<std::string, core::ReadField>& fields,
                                           std::vector<core::ReadLine>& lines);

// Marks `corroborated` on the amounts whose sums check out: a section total equal to the sum
// of its rows (with the rows), the declared total equal to the section totals plus the rows of
// the table without a total box (with those totals and rows). A sum with an unread part, or a
// section with no rows and no total, proves nothing. Values are left as read (mend_sums, run
// before it, is what changes them): the declared total's wrong sum is the validator's to report.
void corroborate_sums(std::map<std::string, core::ReadField>& fields,
                      std::vector<core::ReadLine>& lines);

}  // namespace carescan::extract
