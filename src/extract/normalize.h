#pragma once
// Turns what a recogniser read into the claim contract's spelling of a value, or says it cannot.

#include <optional>
#include <string>
#include <string_view>

namespace carescan::extract {

enum class ValueKind {
  kCapitals,  // names, institution, place: capitals, single spaces, no accents
  kText,      // an act or drug as written, single spaces
  kCode,      // a key letter or dental code: capitals, no spaces
  kDigits,    // quantity, coefficient, tooth, INPE: digits only
  kDate,      // ISO date
  kMoney,     // "1250.00"
  kCin,       // "BE123456"
  kSerial,    // the printed sheet number "A 1234567"
};

// `value` is empty when nothing of this kind can be made of `raw`; `valid` says whether the value
// has the kind's expected shape (a CIN of the strict pattern, a serial of letter + 7 digits...).
struct Normalized {
  std::optional<std::string> value;
  bool valid = false;
};

Normalized normalize(ValueKind kind, std::string_view raw);

}  // namespace carescan::extract
