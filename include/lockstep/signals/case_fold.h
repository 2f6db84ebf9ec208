// Case folding of keys and names: the one home of it in lockstep.
#ifndef LOCKSTEP_SIGNALS_CASE_FOLD_H_
#define LOCKSTEP_SIGNALS_CASE_FOLD_H_

#include <string>
#include <string_view>

namespace lockstep {

// Unicode case folding with compatibility composition (utf8proc: NFKC +
// CaseFold): "ＢＬＭ" and "blm" fold alike, accents are kept. Invalid UTF-8
// comes back unchanged. Used for hashtag keys (object_keys) and profile
// names (profile_signal). O(length).
std::string CaseFold(std::string_view s);

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_CASE_FOLD_H_
