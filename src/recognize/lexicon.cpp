#include "recognize/lexicon.h"

#include <algorithm>
#include <numeric>

namespace carescan::recognize {
namespace {

// Edits allowed between a read word and a listed one: one per three letters of the shorter.
// Handwriting errors are mostly a dropped narrow letter or one letter for a similar one; more
// edits would let any short word become any other.
int allowed_edits(const std::string& read, const std::string& listed) {
  return std::max<int>(1, static_cast<int>(std::min(read.size(), listed.size())) / 3);
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text) {
    if (c == ' ') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// The words with a space between each two.
std::string spaced(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

void add_new(std::vector<std::string>& readings, std::string text) {
  if (std::find(readings.begin(), readings.end(), text) == readings.end()) {
    readings.push_back(std::move(text));
  }
}

// Each word's options: itself, nearby listed words (closest first) and, for a word that may be
// two run together, listed pairs.
std::vector<std::vector<std::string>> options_of(const std::vector<std::string>& words,
                                                 const WordPrior& prior) {
  std::vector<std::vector<std::string>> options;
  for (const auto& word : words) {
    std::vector<std::pair<int, std::string>> near;
    for (const auto& listed : prior.words) {
      if (listed == word) continue;
      const int limit = allowed_edits(word, listed);
      const int d = edit_distance(word, listed, limit);
      if (d <= limit) near.emplace_back(d, listed);
    }
    for (std::size_t cut = 2; cut + 2 <= word.size(); ++cut) {
      const std::string left = word.substr(0, cut);
      const std::string right = word.substr(cut);
      if (prior.words.count(left) != 0 && prior.words.count(right) != 0) {
        near.emplace_back(1, left + " " + right);
      }
    }
    std::sort(near.begin(), near.end());
    std::vector<std::string> mine{word};
    for (auto& [d, text] : near) mine.push_back(std::move(text));
    options.push_back(std::move(mine));
  }
  return options;
}

}  // namespace

int edit_distance(const std::string& a, const std::string& b, int limit) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<int> row(static_cast<std::size_t>(m) + 1);
  std::iota(row.begin(), row.end(), 0);
  for (int i = 1; i <= n; ++i) {
    int diagonal = row[0];
    row[0] = i;
    int best = row[0];
    for (int j = 1; j <= m; ++j) {
      const int up = row[static_cast<std::size_t>(j)];
      row[static_cast<std::size_t>(j)] = std::min(
          {up + 1, row[static_cast<std::size_t>(j) - 1] + 1,
           diagonal +
               (a[static_cast<std::size_t>(i) - 1] == b[static_cast<std::size_t>(j) - 1] ? 0 : 1)});
      diagonal = up;
      best = std::min(best, row[static_cast<std::size_t>(j)]);
    }
    if (best > limit) return limit + 1;
  }
  return std::min(row.back(), limit + 1);
}

bool near_listed(const std::string& word, const WordPrior& prior) {
  if (prior.words.count(word) != 0) return false;
  if (unlisted_short(word, prior)) return true;
  for (std::size_t i = 1; i < word.size(); ++i) {
    if (prior.words.count(word.substr(0, i)) != 0 && prior.words.count(word.substr(i)) != 0) {
      return true;
    }
  }
  return std::any_of(prior.words.begin(), prior.words.end(), [&word](const std::string& listed) {
    return edit_distance(word, listed, 1) <= 1;
  });
}

ListEvidence list_evidence(const std::string& reading, const WordPrior& prior) {
  const auto words = words_of(reading);
  ListEvidence out;
  out.listed = std::all_of(words.begin(), words.end(),
                           [&prior](const std::string& w) { return prior.words.count(w) != 0; });
  out.near_listed = std::any_of(words.begin(), words.end(),
                                [&prior](const std::string& w) { return near_listed(w, prior); });
  // A listed word cut in two by a wide gap ("YAS MINA"): its unlisted piece earns no bonus and
  // costs none, so the split stands as likely as the whole and is a misread as often.
  for (std::size_t i = 0; i + 1 < words.size() && !out.near_listed; ++i) {
    const bool both_listed =
        prior.words.count(words[i]) != 0 && prior.words.count(words[i + 1]) != 0;
    out.near_listed = !both_listed && prior.words.count(words[i] + words[i + 1]) != 0;
  }
  return out;
}

std::vector<std::string> listed_proposals(const std::string& reading, const WordPrior& prior,
                                          std::size_t cap) {
  std::vector<std::string> out{reading};
  const auto words = words_of(reading);
  if (words.empty() || prior.words.empty()) return out;
  // A wide gap inside a word reads as a space: the word rejoined, if listed.
  for (std::size_t w = 0; w + 1 < words.size() && out.size() < cap; ++w) {
    if (prior.words.count(words[w] + words[w + 1]) == 0) continue;
    auto joined = words;
    joined[w] += joined[w + 1];
    joined.erase(joined.begin() + static_cast<std::ptrdiff_t>(w) + 1);
    add_new(out, spaced(joined));
  }
  const auto options = options_of(words, prior);
  // Readings in order of how many words changed, then by how near the replacements are:
  // breadth first over the choices, so a cap keeps the likeliest.
  std::vector<std::vector<std::size_t>> frontier{std::vector<std::size_t>(words.size(), 0)};
  while (!frontier.empty() && out.size() < cap) {
    std::vector<std::vector<std::size_t>> next;
    for (const auto& choice : frontier) {
      for (std::size_t w = 0; w < words.size(); ++w) {
        // One change at a time, only after the last changed word: each choice is made once.
        const bool later = std::all_of(choice.begin() + static_cast<std::ptrdiff_t>(w) + 1,
                                       choice.end(), [](std::size_t k) { return k == 0; });
        if (!later || choice[w] != 0) continue;
        for (std::size_t k = 1; k < options[w].size(); ++k) {
          auto grown = choice;
          grown[w] = k;
          next.push_back(grown);
        }
      }
    }
    for (const auto& choice : next) {
      if (out.size() >= cap) break;
      std::vector<std::string> chosen;
      for (std::size_t w = 0; w < words.size(); ++w) chosen.push_back(options[w][choice[w]]);
      add_new(out, spaced(chosen));
    }
    frontier = std::move(next);
  }
  return out;
}

}  // namespace carescan::recognize
