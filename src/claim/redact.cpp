#include "claim/redact.h"

#include <cctype>

namespace carescan::claim {

std::string initials(std::string_view name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '\'') {
      start = true;
    } else if (start && std::isalpha(static_cast<unsigned char>(c)) != 0) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      out.push_back('.');
      start = false;
    }
  }
  return out.empty() ? "-" : out;
}

}  // namespace carescan::claim
