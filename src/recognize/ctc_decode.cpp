#include "recognize/ctc_decode.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace carescan::recognize {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), is_digit);
}

// Characters the request allows; the grammar's own rules come on top.
class Restricted : public Grammar {
 public:
  explicit Restricted(std::string allowed) : allowed_(std::move(allowed)) {}
  [[nodiscard]] bool may_extend(const std::string& prefix, char c) const override {
    return (allowed_.empty() || allowed_.find(c) != std::string::npos) && shape_ok(prefix, c);
  }

 protected:
  [[nodiscard]] virtual bool shape_ok(const std::string& prefix, char c) const = 0;

 private:
  std::string allowed_;
};

// Words separated by single spaces; `letters_only` for names and codes.
class Words : public Restricted {
 public:
  Words(std::string allowed, bool letters_only, const WordPrior* prior, std::size_t min_words = 1)
      : Restricted(std::move(allowed)),
        letters_only_(letters_only),
        prior_(prior),
        min_words_(min_words) {}

  [[nodiscard]] bool accepts(const std::string& t) const override {
    return !t.empty() && t.back() != ' ' &&
           static_cast<std::size_t>(std::count(t.begin(), t.end(), ' ')) + 1 >= min_words_;
  }
  [[nodiscard]] double bonus(const std::string& t) const override {
    if (prior_ == nullptr) return 0;
    double b = 0;
    for (const auto& word : split(t, ' ')) {
      if (prior_->words.count(word) != 0) b += prior_->bonus_per_word;
      if (unlisted_short(word, *prior_)) b -= prior_->bonus_per_word;
    }
    return b;
  }

 protected:
  [[nodiscard]] bool shape_ok(const std::string& prefix, char c) const override {
    if (c == ' ') return !prefix.empty() && prefix.back() != ' ';
    if (letters_only_) return (c >= 'A' && c <= 'Z') || c == '-' || c == '\'';
    return true;
  }

 private:
  bool letters_only_;
  const WordPrior* prior_;
  std::size_t min_words_;
};

class Digits : public Restricted {
 public:
  using Restricted::Restricted;
  [[nodiscard]] bool accepts(const std::string& t) const override {
    return !t.empty() && all_digits(t);
  }

 protected:
  [[nodiscard]] bool shape_ok(const std::string& /*prefix*/, char c) const override {
    return is_digit(c);
  }
};

// A CIN's shape: one or two capitals, then digits, eight characters at most. Without it the
// line reads a CIN's 1 as I and its 0 as O where the cells cannot.
class CinGrammar : public Restricted {
 public:
  using Restricted::Restricted;
  [[nodiscard]] bool accepts(const std::string& t) const override {
    const std::size_t letters = letters_in(t);
    return letters >= 1 && letters <= 2 && t.size() > letters && t.size() <= kLongest;
  }

 protected:
  [[nodiscard]] bool shape_ok(const std::string& prefix, char c) const override {
    if (prefix.size() >= kLongest) return false;
    if (c >= 'A' && c <= 'Z') return prefix.size() < 2 && letters_in(prefix) == prefix.size();
    return is_digit(c) && !prefix.empty();
  }

 private:
  static constexpr std::size_t kLongest = 8;
  static std::size_t letters_in(const std::string& t) {
    std::size_t n = 0;
    while (n < t.size() && t[n] >= 'A' && t[n] <= 'Z') ++n;
    return n == t.size() || all_digits(t.substr(n)) ? n : 0;
  }
};

// dd/mm/yy or dd/mm/yyyy, a day and month that exist.
class DateGrammar : public Restricted {
 public:
  using Restricted::Restricted;
  [[nodiscard]] bool accepts(const std::string& t) const override { return is_calendar_date(t); }

 protected:
  [[nodiscard]] bool shape_ok(const std::string& prefix, char c) const override {
    const std::string s = prefix + c;
    if (!is_digit(c) && c != '/') return false;
    const auto parts = split(s, '/');
    if (parts.size() > 3) return false;
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string& p = parts[i];
      const bool closed = i + 1 < parts.size();
      if (i < 2) {
        if (p.size() > 2 || (closed && p.size() != 2)) return false;
        if (p.size() == 2) {
          const int v = std::stoi(p);
          if (v < 1 || v > (i == 0 ? 31 : 12)) return false;
        }
        if (p.size() == 1 && p[0] > (i == 0 ? '3' : '1')) return false;
      } else {
        if (p.size() > 4) return false;
        if (p.size() >= 3 && p.substr(0, 2) != "19" && p.substr(0, 2) != "20") return false;
      }
    }
    return true;
  }
};

// "1250", "1250,00", "1 250,00", "1250.5" is not (two decimals or none).
class AmountGrammar : public Restricted {
 public:
  using Restricted::Restricted;
  [[nodiscard]] bool accepts(const std::string& t) const override {
    if (t.empty() || t.back() == ' ' || !prefix_ok(t)) return false;
    const size_t sep = t.find_first_of(",.");
    if (sep != std::string::npos && t.size() - sep - 1 != 2) return false;
    const auto groups = split(t.substr(0, sep), ' ');
    return groups.size() == 1 || groups.back().size() == 3;
  }

 protected:
  [[nodiscard]] bool shape_ok(const std::string& prefix, char c) const override {
    if (!is_digit(c) && c != ' ' && c != ',' && c != '.') return false;
    return prefix_ok(prefix + c);
  }

 private:
  static bool prefix_ok(const std::string& s) {
    const size_t sep = s.find_first_of(",.");
    const std::string whole = s.substr(0, sep);
    if (whole.empty()) return s.empty();
    if (sep != std::string::npos) {
      const std::string cents = s.substr(sep + 1);
      if (cents.size() > 2 || !all_digits(cents)) return false;
    }
    if (!is_digit(whole[0])) return false;
    if (whole[0] == '0' && whole.size() > 1) return false;  // "05" is nobody's amount
    const auto groups = split(whole, ' ');
    size_t digits = 0;
    for (size_t i = 0; i < groups.size(); ++i) {
      const std::string& g = groups[i];
      if (!all_digits(g)) return false;
      digits += g.size();
      const bool last = i + 1 == groups.size();
      if (groups.size() > 1) {
        if (i == 0 && (g.empty() || g.size() > 3)) return false;
        if (i > 0 && !last && g.size() != 3) return false;
        if (last && (g.size() > 3 || (sep != std::string::npos && g.size() != 3))) return false;
      }
    }
    return digits <= 7;
  }
};

class Anything : public Restricted {
 public:
  using Restricted::Restricted;
  [[nodiscard]] bool accepts(const std::string& t) const override { return !t.empty(); }

 protected:
  [[nodiscard]] bool shape_ok(const std::string& /*prefix*/, char /*c*/) const override {
    return true;
  }
};

struct Beam {
  double blank = kNegInf;      // log P(prefix, ending in a blank)
  double non_blank = kNegInf;  // log P(prefix, ending in its last symbol)
  std::vector<int> columns;    // where each symbol was first emitted
  [[nodiscard]] double total() const { return log_add(blank, non_blank); }
};

}  // namespace

double log_add(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double hi = std::max(a, b);
  return hi + std::log1p(std::exp(-std::abs(a - b)));
}

WordPrior load_word_prior(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read word list " + path);
  WordPrior prior;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    prior.words.insert(line);
  }
  return prior;
}

bool unlisted_short(const std::string& word, const WordPrior& prior) {
  return word.size() < prior.complete_below && prior.words.count(word) == 0;
}

bool is_calendar_date(const std::string& text) {
  const auto parts = split(text, '/');
  if (parts.size() != 3 || parts[0].size() != 2 || parts[1].size() != 2) return false;
  if (parts[2].size() != 2 && parts[2].size() != 4) return false;
  for (const auto& p : parts) {
    if (!all_digits(p)) return false;
  }
  const int day = std::stoi(parts[0]);
  const int month = std::stoi(parts[1]);
  int year = std::stoi(parts[2]);
  if (parts[2].size() == 2) year += 2000;
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::unique_ptr<Grammar> grammar_for(Content content, const std::string& allowed,
                                     const WordPrior* prior) {
  switch (content) {
    case Content::kDate:
      return std::make_unique<DateGrammar>(allowed);
    case Content::kAmount:
      return std::make_unique<AmountGrammar>(allowed);
    case Content::kDigits:
      return std::make_unique<Digits>(allowed);
    case Content::kCin:
      return std::make_unique<CinGrammar>(allowed);
    case Content::kName:
      // The box is printed "Nom et prénom": a family name and a first name, so at least two
      // words. A reading run together ("CHAKIRADAM") is the model missing a word gap, and
      // the best reading with one is what was written far more often.
      return std::make_unique<Words>(allowed, true, prior, 2);
    case Content::kPlace:
      return std::make_unique<Words>(allowed, true, prior);
    case Content::kCare:
      // A medicine's strength is part of it ("DOLIPRANE 1G", "AMOXIL 500").
      return std::make_unique<Words>(allowed, false, prior);
    case Content::kCode:
      return std::make_unique<Words>(allowed, true, nullptr);
    case Content::kText:
      return std::make_unique<Words>(allowed, false, nullptr);
    default:
      return std::make_unique<Anything>(allowed);
  }
}

std::vector<Decoded> ctc_beam_search(const cv::Mat& probs, const std::string& alphabet,
                                     const Grammar& grammar, int beam_width) {
  CV_Assert(probs.type() == CV_32F && probs.cols == static_cast<int>(alphabet.size()) + 1);
  // Classes below this probability in a column are not worth a new prefix.
  constexpr float kFloor = 1e-4F;
  // The live prefixes, and the next column's in a flat list with an index by prefix: a few dozen
  // entries a column, where a tree of strings cost more than the arithmetic.
  std::vector<std::pair<std::string, Beam>> beams(1);
  beams[0].second.blank = 0;
  std::vector<std::pair<std::string, Beam>> next;
  std::unordered_map<std::string, std::size_t> where;
  auto entry = [&next, &where](const std::string& prefix) -> Beam& {
    const auto [it, added] = where.try_emplace(prefix, next.size());
    if (added) next.emplace_back(prefix, Beam{});
    return next[it->second].second;
  };
  // Each column's log-probabilities, taken once for all the prefixes that extend there.
  std::vector<double> log_y(static_cast<std::size_t>(probs.cols));
  for (int t = 0; t < probs.rows; ++t) {
    const float* y = probs.ptr<float>(t);
    for (int k = 0; k < probs.cols; ++k) log_y[k] = std::log(std::max(y[k], 1e-30F));
    next.clear();
    where.clear();
    for (const auto& [prefix, beam] : beams) {
      const double total = beam.total();
      {
        Beam& same = entry(prefix);
        if (same.columns.empty()) same.columns = beam.columns;
        same.blank = log_add(same.blank, total + log_y[0]);
        if (!prefix.empty()) {
          const auto last = static_cast<int>(alphabet.find(prefix.back())) + 1;
          same.non_blank = log_add(same.non_blank, beam.non_blank + log_y[last]);
        }
      }
      for (int k = 1; k < probs.cols; ++k) {
        if (y[k] < kFloor) continue;
        const char c = alphabet[static_cast<size_t>(k - 1)];
        if (!grammar.may_extend(prefix, c)) continue;
        // `entry` may grow `next`: the reference is taken after the key is built.
        Beam& g = entry(prefix + c);
        if (g.columns.size() != prefix.size() + 1) {
          g.columns = beam.columns;
          g.columns.push_back(t);
        }
        // A repeated symbol needs a blank between its two emissions.
        const double from = !prefix.empty() && prefix.back() == c ? beam.blank : total;
        g.non_blank = log_add(g.non_blank, from + log_y[k]);
      }
    }
    // The most probable prefixes, equal ones in the order of their text, then kept in that order.
    std::vector<std::pair<double, std::size_t>> order;
    order.reserve(next.size());
    for (std::size_t i = 0; i < next.size(); ++i) order.emplace_back(next[i].second.total(), i);
    const size_t keep = std::min(order.size(), static_cast<size_t>(beam_width));
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                      [&next](const auto& a, const auto& b) {
                        if (a.first != b.first) return a.first > b.first;
                        return next[a.second].first < next[b.second].first;
                      });
    order.resize(keep);
    std::sort(order.begin(), order.end(), [&next](const auto& a, const auto& b) {
      return next[a.second].first < next[b.second].first;
    });
    beams.clear();
    for (const auto& [total, i] : order) beams.push_back(std::move(next[i]));
  }

  std::vector<Decoded> out;
  for (const auto& [prefix, beam] : beams) {
    if (!grammar.accepts(prefix)) continue;
    Decoded d;
    d.text = prefix;
    d.log_prob = beam.total();
    d.score = d.log_prob + grammar.bonus(prefix);
    for (size_t i = 0; i < prefix.size(); ++i) {
      const int k = static_cast<int>(alphabet.find(prefix[i])) + 1;
      const int from = beam.columns[i];
      const int to = i + 1 < prefix.size() ? beam.columns[i + 1] : probs.rows;
      DecodedSymbol s;
      s.c = prefix[i];
      s.column = from;
      for (int t = from; t < std::max(to, from + 1); ++t) {
        if (probs.at<float>(t, k) > s.probability) {
          s.probability = probs.at<float>(t, k);
          s.column = t;
        }
      }
      std::vector<std::pair<float, int>> classes;
      for (int j = 1; j < probs.cols; ++j) classes.emplace_back(probs.at<float>(s.column, j), j);
      std::partial_sort(classes.begin(), classes.begin() + 3, classes.end(),
                        [](const auto& a, const auto& b) { return a.first > b.first; });
      for (int j = 0; j < 3; ++j) {
        s.alternatives.push_back(
            {std::string(1, alphabet[static_cast<size_t>(classes[j].second - 1)]),
             classes[j].first});
      }
      d.symbols.push_back(std::move(s));
    }
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Decoded& a, const Decoded& b) { return a.score > b.score; });
  return out;
}

double ctc_log_likelihood(const cv::Mat& probs, const std::string& alphabet,
                          const std::string& text) {
  CV_Assert(probs.type() == CV_32F && probs.cols == static_cast<int>(alphabet.size()) + 1);
  // The extended label: blank, c1, blank, c2, ..., blank.
  std::vector<int> label(2 * text.size() + 1, 0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto k = alphabet.find(text[i]);
    if (k == std::string::npos) return kNegInf;
    label[2 * i + 1] = static_cast<int>(k) + 1;
  }
  if (probs.rows == 0) return text.empty() ? 0 : kNegInf;
  // The forward pass in probabilities, rescaled to sum 1 at each column (the scales' logs add
  // up to the likelihood): no log or exp per state, which made this the reader's hottest loop
  // (a name's readings are each scored on three views).
  const std::size_t n = label.size();
  std::vector<double> alpha(n, 0.0);
  std::vector<double> next(n);
  auto y = [&probs](int t, int k) {
    return std::max(static_cast<double>(probs.at<float>(t, k)), 1e-30);
  };
  alpha[0] = y(0, 0);
  if (n > 1) alpha[1] = y(0, label[1]);
  double log_scale = 0;
  for (int t = 1; t < probs.rows; ++t) {
    double sum = 0;
    for (std::size_t s = 0; s < n; ++s) {
      double a = alpha[s];
      if (s >= 1) a += alpha[s - 1];
      // Skipping the blank between two symbols is allowed unless they are the same symbol.
      if (s >= 2 && label[s] != 0 && label[s] != label[s - 2]) a += alpha[s - 2];
      next[s] = a * y(t, label[s]);
      sum += next[s];
    }
    // Some state is always reachable (the leading blanks), and each carries at least 1e-30.
    for (std::size_t s = 0; s < n; ++s) next[s] /= sum;
    log_scale += std::log(sum);
    std::swap(alpha, next);
  }
  const double end = n > 1 ? alpha[n - 1] + alpha[n - 2] : alpha[0];
  return end > 0 ? log_scale + std::log(end) : kNegInf;
}

std::string ctc_greedy(const cv::Mat& probs, const std::string& alphabet) {
  std::string out;
  int previous = 0;
  for (int t = 0; t < probs.rows; ++t) {
    cv::Point best;
    cv::minMaxLoc(probs.row(t), nullptr, nullptr, nullptr, &best);
    if (best.x != 0 && best.x != previous) out += alphabet[static_cast<size_t>(best.x - 1)];
    previous = best.x;
  }
  return out;
}

}  // namespace carescan::recognize
