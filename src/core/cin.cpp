#include "core/cin.h"

#include <cctype>

namespace carescan::core {

std::string normalize_cin(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

CinShape classify_cin(std::string_view cin) {
  size_t letters = 0;
  while (letters < cin.size() && cin[letters] >= 'A' && cin[letters] <= 'Z') ++letters;
  size_t digits = 0;
  while (letters + digits < cin.size() &&
         std::isdigit(static_cast<unsigned char>(cin[letters + digits])) != 0) {
    ++digits;
  }
  if (letters + digits != cin.size() || letters == 0 || digits == 0 || cin.size() > 8) {
    return CinShape::kInvalid;
  }
  if (letters <= 2 && (digits == 5 || digits == 6)) return CinShape::kStrict;
  return CinShape::kUnusual;
}

std::string mask_cin(std::string_view cin) {
  std::string out;
  size_t letters = 0;
  while (letters < cin.size() && std::isalpha(static_cast<unsigned char>(cin[letters])) != 0) {
    out.push_back(cin[letters]);
    ++letters;
  }
  const size_t rest = cin.size() - letters;
  const size_t shown = rest > 4 ? 2 : 0;
  out.append(rest - shown, '*');
  out.append(cin.substr(cin.size() - shown));
  return out;
}

}  // namespace carescan::core
