// Text normalisation for near-duplicate detection: two posts that a reader
// would call "the same text" should come out as the same token sequence.
//
// What NormalizeText does, in order (see docs/near_duplicate.md):
//  1. Strips leading retweet prefixes ("RT @user:"), URLs (http://, https://,
//     www. up to the next whitespace), @mentions and HTML entities (&amp;).
//  2. Maps every code point through Unicode compatibility decomposition and
//     case folding (utf8proc: NFKD + CaseFold + default-ignorables removed, so
//     full-width "ＡＢＣ" is "abc", "ß" is "ss", the Persian zero-width
//     non-joiner disappears). The result is canonical in decomposed form, which
//     identifies the same texts as NFKC does.
//  3. Drops the diacritic marks of alphabets where they are optional: Latin,
//     Greek and Cyrillic accents (é -> e, ё -> е, й -> и), Hebrew niqqud and
//     cantillation, Arabic harakat, hamza-above/below and the tatweel. Marks of
//     other scripts (Indic vowel signs, Thai, kana voicing) are kept.
//  4. Folds Arabic/Persian letter variants: ی/ى -> ي, ک -> ك, ة/ہ/ھ/ە -> ه,
//     ٱ -> ا, and Arabic-Indic and Persian digits to ASCII digits.
//  5. Splits into tokens: a word is a run of letters, digits and kept marks
//     (apostrophes inside words are dropped: "don't" = "dont"); every
//     character of a script written without spaces (CJK ideographs, kana,
//     Thai, Lao, Khmer, Myanmar) is a token of its own, so those texts get
//     character n-grams from the same shingling as words. Everything else
//     (punctuation, symbols, emoji, whitespace) separates tokens and is
//     dropped: emoji never count.
// The normalised text is the tokens joined by one space, except that two
// adjacent spaceless-script tokens are written without one ("我爱北京").
//
// Thread safety: pure functions; safe to call concurrently.
// Complexity: O(bytes of text); no allocation beyond growing *out/*tokens.
#ifndef LOCKSTEP_SIGNALS_TEXT_NORMALIZE_H_
#define LOCKSTEP_SIGNALS_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

struct TextNormalizeOptions {
  bool strip_urls = true;
  bool strip_mentions = true;        // @handle (ASCII handle characters)
  bool strip_retweet_prefix = true;  // leading "RT @x:" (repeated)
  bool fold_arabic_variants = true;  // step 4 above
};

// One token of a normalised text: bytes [begin, begin + length) of it.
struct TextToken {
  uint32_t begin;
  uint32_t length;
};

// Normalises UTF-8 `text` into *out (cleared first) and its tokens into
// *tokens (cleared first; may be null). Invalid UTF-8 bytes act as
// separators, never as an error.
void NormalizeText(std::string_view text, const TextNormalizeOptions& options, std::string* out,
                   std::vector<TextToken>* tokens);

// Convenience form with default options.
std::string NormalizeText(std::string_view text);

namespace internal {
// Whether `cp` (a letter) belongs to a script written without spaces.
bool IsSpacelessScript(char32_t cp);
}  // namespace internal

}  // namespace lockstep

#endif  // LOCKSTEP_SIGNALS_TEXT_NORMALIZE_H_
