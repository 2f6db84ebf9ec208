// ASCII case folding: the one home for lower-casing ids, handles, hosts,
// column names and flag values, whose letters are ASCII. Text in any script
// is folded by NormalizeText (signals/text_normalize.h) instead.
#ifndef LOCKSTEP_SRC_MODEL_ASCII_H_
#define LOCKSTEP_SRC_MODEL_ASCII_H_

#include <string>
#include <string_view>

namespace lockstep::internal {

// `s` with the ASCII letters A-Z lower-cased; every other byte as it is.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_MODEL_ASCII_H_
