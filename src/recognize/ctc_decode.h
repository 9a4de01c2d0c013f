#pragma once
// Constrained decoding of a CTC model's per-column probabilities: a prefix beam search that
// only grows readings the field's grammar can still complete (a real date, an amount with two
// decimals, capitals for a name), with an optional soft bonus (a word list).

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "recognize/recognizer.h"

namespace carescan::recognize {

// Which strings a field may read as.
class Grammar {
 public:
  virtual ~Grammar() = default;
  // Whether `prefix` + `c` can still be completed into an accepted string.
  [[nodiscard]] virtual bool may_extend(const std::string& prefix, char c) const = 0;
  [[nodiscard]] virtual bool accepts(const std::string& text) const = 0;
  // A log-probability bonus for a complete reading (0: none); soft, never a veto.
  [[nodiscard]] virtual double bonus(const std::string& /*text*/) const { return 0; }
};

// Words that earn a reading a small bonus: common name words for a name (models/names-prior.txt),
// towns and institution words for a place (models/places-prior.txt); one word a line, '#'
// comments.
struct WordPrior {
  std::unordered_set<std::string> words;
  double bonus_per_word = 1.5;  // log-probability (reader.name_prior_bonus, place_prior_bonus)
  // Words shorter than this are all listed (0: no such claim). Names have few one- and
  // two-letter words (EL, ES) and the list holds them, so an unlisted short word is a misread,
  // mostly a wide gap inside a word read as a space ("OU ALLALI"): it costs what a listed word
  // earns, which keeps splitting a word off a listed one from paying.
  std::size_t complete_below = 0;
};

// Whether `word` is shorter than the prior's complete_below and not listed.
bool unlisted_short(const std::string& word, const WordPrior& prior);
WordPrior load_word_prior(const std::string& path);

// The grammar of `content`, restricted to `allowed` (empty: the model's alphabet); `prior` (may
// be null) is used for Content::kName, kPlace and kCare.
std::unique_ptr<Grammar> grammar_for(Content content, const std::string& allowed,
                                     const WordPrior* prior);

// True for a day/month/year that exists on the calendar (years 1900-2099, or two digits).
bool is_calendar_date(const std::string& text);

struct DecodedSymbol {
  char c = 0;
  int column = 0;  // the column where the symbol's probability peaks
  double probability = 0;
  std::vector<Alternative> alternatives;  // the column's most probable classes
};

struct Decoded {
  std::string text;
  double log_prob = 0;  // the CTC probability of the text (all alignments in the beam)
  double score = 0;     // log_prob + the grammar's bonus
  std::vector<DecodedSymbol> symbols;
};

// `probs`: CV_32F, one row per column, one column per class; class 0 is the blank and class k
// is alphabet[k - 1]. Returns the accepted readings found, best score first (empty if none).
std::vector<Decoded> ctc_beam_search(const cv::Mat& probs, const std::string& alphabet,
                                     const Grammar& grammar, int beam_width);

// log(e^a + e^b) without overflow; -inf is the log of zero.
double log_add(double a, double b);

// log P(text | probs) under CTC, summed over every alignment (the forward algorithm); -inf when
// the text cannot be aligned in the columns given, or holds a character outside `alphabet`.
double ctc_log_likelihood(const cv::Mat& probs, const std::string& alphabet,
                          const std::string& text);

// The best path without any grammar (repeats merged, blanks removed).
std::string ctc_greedy(const cv::Mat& probs, const std::string& alphabet);

}  // namespace carescan::recognize
