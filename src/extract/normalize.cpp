#include "extract/normalize.h"

#include <algorithm>
#include <cctype>

#include "core/cin.h"
#include "core/date.h"
#include "core/money.h"

namespace carescan::extract {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

std::string single_spaced(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string only_digits(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (is_digit(c)) out.push_back(c);
  }
  return out;
}

// A handwritten O and 0 are the same ring: in a word of letters, such as RADIO or SOINS, the ring
// is a letter. A word with any other digit (500MG) is left as read.
std::string rings_in_words_as_letters(const std::string& text) {
  std::string out = text;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = std::min(out.find(' ', start), out.size());
    int letters = 0;
    bool other_digit = false;
    for (std::size_t i = start; i < end; ++i) {
      letters += is_alpha(out[i]) ? 1 : 0;
      other_digit = other_digit || (is_digit(out[i]) && out[i] != '0');
    }
    if (letters >= 2 && !other_digit) {
      for (std::size_t i = start; i < end; ++i) {
        if (out[i] == '0') out[i] = 'O';
      }
    }
    start = end + 1;
  }
  return out;
}

Normalized normalize_date(std::string_view raw) {
  if (auto date = core::parse_date(single_spaced(raw))) return {date->iso(), true};
  std::string digits = only_digits(raw);
  // A handwritten slash is often read as a 1 or a 7: "12/03/2025" -> "1210371 2025".
  if (digits.size() == 10) digits = digits.substr(0, 2) + digits.substr(3, 2) + digits.substr(6);
  if (auto date = core::parse_date(digits)) return {date->iso(), true};
  return {};
}

Normalized normalize_money(std::string_view raw) {
  std::string text = single_spaced(raw);
  // People write the centimes ("150,00"): an amount read without its comma most likely lost it,
  // so "15000" may well be 150.00.
  const bool has_separator = text.find_first_of(",.") != std::string::npos;
  if (auto money = core::parse_money(text)) return {money->decimal(), has_separator};
  return {};
}

Normalized normalize_serial(std::string_view raw) {
  std::string letters;
  std::string digits;
  for (char c : raw) {
    if (is_alpha(c) && digits.empty()) {
      letters.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else if (is_digit(c)) {
      digits.push_back(c);
    }
  }
  if (letters.empty() && digits.empty()) return {};
  // The series letter read as its digit look-alike ("I 7854747" -> "17854747"): eight digits
  // can only be that. The value is kept but not called valid, so its confidence stays low.
  static constexpr std::string_view kDigits = "10582647";
  static constexpr std::string_view kLetters = "IOSBZGAT";
  if (letters.empty() && digits.size() == 8) {
    if (const auto at = kDigits.find(digits[0]); at != std::string_view::npos) {
      return {std::string(1, kLetters[at]) + " " + digits.substr(1), false};
    }
  }
  const bool valid = letters.size() == 1 && digits.size() == 7;
  return {letters.empty() ? digits : letters + " " + digits, valid};
}

}  // namespace

Normalized normalize(ValueKind kind, std::string_view raw) {
  switch (kind) {
    case ValueKind::kCapitals: {
      std::string text;
      for (char c : single_spaced(raw)) {
        text.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      }
      if (text.empty()) return {};
      bool letters_only = true;
      for (char c : text)
        letters_only = letters_only && (is_alpha(c) || c == ' ' || c == '-' || c == '\'');
      return {text, letters_only};
    }
    case ValueKind::kText: {
      std::string text = rings_in_words_as_letters(single_spaced(raw));
      if (text.empty()) return {};
      return {text, true};
    }
    case ValueKind::kCode: {
      // Key letters are capitals (C, CS, K): a lone c or k is read without its size.
      std::string text;
      for (char c : raw) {
        if (std::isspace(static_cast<unsigned char>(c)) == 0) {
          text.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        }
      }
      if (text.empty()) return {};
      return {text, true};
    }
    case ValueKind::kDigits: {
      std::string digits = only_digits(raw);
      if (digits.empty()) return {};
      return {digits, digits.size() == single_spaced(raw).size()};
    }
    case ValueKind::kDate:
      return normalize_date(raw);
    case ValueKind::kMoney:
      return normalize_money(raw);
    case ValueKind::kCin: {
      std::string cin = core::normalize_cin(raw);
      if (cin.empty()) return {};
      return {cin, core::classify_cin(cin) == core::CinShape::kStrict};
    }
    case ValueKind::kSerial:
      return normalize_serial(raw);
  }
  return {};
}

}  // namespace carescan::extract
