#pragma once
// Readings a word list suggests (names, towns and institutions): a beam reading's words swapped
// for listed words that spell nearly the same, and run-together words split into two listed
// ones. Only proposals: the line model's exact CTC likelihood of each decides
// (recognize/line_model.cpp), so an unlisted word the model reads clearly stays as read.

#include <string>
#include <vector>

#include "recognize/ctc_decode.h"

namespace carescan::recognize {

// Levenshtein distance, stopping early above `limit` (returns limit + 1 then).
int edit_distance(const std::string& a, const std::string& b, int limit);

// Whether `word`, not listed itself, is one letter from a listed word or two listed words run
// together, or is shorter than any unlisted name word (WordPrior::complete_below): how a
// misread listed name looks, far more often than a name the list lacks.
bool near_listed(const std::string& word, const WordPrior& prior);

// What the name list says of a reading: every word of it is listed; some word is near_listed,
// or two neighbouring words, not both listed, join into a listed one.
struct ListEvidence {
  bool listed = false;
  bool near_listed = false;
};
ListEvidence list_evidence(const std::string& reading, const WordPrior& prior);

// The reading itself first, then readings with two neighbouring words joined where the joined
// word is listed, then readings with some of its words replaced by listed words within a
// length-scaled edit distance, or split into two listed words; at most `cap` readings, no
// duplicates.
std::vector<std::string> listed_proposals(const std::string& reading, const WordPrior& prior,
                                          std::size_t cap);

}  // namespace carescan::recognize
