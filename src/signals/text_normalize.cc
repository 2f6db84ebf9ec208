#include "lockstep/signals/text_normalize.h"

#include <utf8proc.h>

namespace lockstep {
namespace internal {

bool IsSpacelessScript(char32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0EFF) ||    // Thai, Lao
         (cp >= 0x1000 && cp <= 0x109F) ||    // Myanmar
         (cp >= 0x1780 && cp <= 0x17FF) ||    // Khmer
         (cp >= 0x2E80 && cp <= 0x2FDF) ||    // CJK radicals, Kangxi
         (cp >= 0x3005 && cp <= 0x3007) ||    // 々 〆 〇
         (cp >= 0x3040 && cp <= 0x312F) ||    // Hiragana, Katakana, Bopomofo
         (cp >= 0x31F0 && cp <= 0x31FF) ||    // Katakana phonetic extensions
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
         (cp >= 0x20000 && cp <= 0x3FFFF);    // CJK extensions B..
}

}  // namespace internal

namespace {

constexpr utf8proc_option_t kDecomposeOptions =
    static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);

inline bool IsAsciiAlnum(uint32_t c) {
  return (c - '0' < 10u) || ((c | 0x20) - 'a' < 26u);
}
inline bool IsAsciiSpace(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool IsHandleChar(uint8_t c) { return IsAsciiAlnum(c) || c == '_'; }
inline uint8_t AsciiLower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? c | 0x20 : c; }

// Combining marks of alphabets where diacritics are optional in practice:
// everything below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic, Syriac,
// Thaana) and the generic combining blocks.
inline bool IsOptionalDiacritic(char32_t cp) {
  return cp < 0x0800 || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

// Arabic and Persian spellings of the same letter, and their digits.
inline char32_t FoldArabic(char32_t cp) {
  if (cp < 0x0600 || cp > 0x06FF) return cp;
  switch (cp) {
    case 0x0649:  // ى alef maksura
    case 0x06CC:  // ی Farsi yeh
      return 0x064A;  // ي
    case 0x06A9:  // ک keheh
    case 0x06AA:
      return 0x0643;  // ك
    case 0x0629:  // ة teh marbuta
    case 0x06BE:  // ھ heh doachashmee
    case 0x06C1:  // ہ heh goal
    case 0x06D5:  // ە ae
      return 0x0647;  // ه
    case 0x0671:  // ٱ alef wasla
    case 0x0672:
    case 0x0673:
      return 0x0627;  // ا
    default:
      break;
  }
  if (cp >= 0x0660 && cp <= 0x0669) return U'0' + (cp - 0x0660);
  if (cp >= 0x06F0 && cp <= 0x06F9) return U'0' + (cp - 0x06F0);
  return cp;
}

// Writes tokens: words joined by one space, adjacent spaceless-script
// characters without one.
class TokenWriter {
 public:
  TokenWriter(std::string* out, std::vector<TextToken>* tokens) : out_(out), tokens_(tokens) {}

  void Word(char32_t cp) {
    if (!open_word_) Start(false);
    Append(cp);
  }
  void Single(char32_t cp) {
    Start(true);
    open_word_ = false;
    Append(cp);
  }
  void Mark(char32_t cp) {
    if (open_) Append(cp);
  }
  void Separate() { open_ = open_word_ = false; }
  void Finish() { Close(); }

 private:
  void Start(bool single) {
    Close();
    if (count_ > 0 && !(single && last_single_)) out_->push_back(' ');
    begin_ = out_->size();
    ++count_;
    last_single_ = single;
    open_ = true;
    open_word_ = !single;
  }
  void Close() {
    if (count_ > 0 && tokens_ != nullptr && tokens_->size() < count_)
      tokens_->push_back({static_cast<uint32_t>(begin_), static_cast<uint32_t>(out_->size() - begin_)});
  }
  void Append(char32_t cp) {
    if (cp < 0x80) {
      out_->push_back(static_cast<char>(cp));
      return;
    }
    utf8proc_uint8_t buf[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
    out_->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }

  std::string* out_;
  std::vector<TextToken>* tokens_;
  size_t begin_ = 0;
  size_t count_ = 0;
  bool open_ = false;       // a token is open: marks attach to it
  bool open_word_ = false;  // the open token is a word: letters extend it
  bool last_single_ = false;
};

// One code point after decomposition and case folding.
inline void Classify(char32_t cp, const TextNormalizeOptions& options, TokenWriter* w) {
  if (cp < 0x80) {
    if (IsAsciiAlnum(cp)) w->Word(AsciiLower(static_cast<uint8_t>(cp)));
    else if (cp != '\'') w->Separate();
    return;
  }
  if (options.fold_arabic_variants) {
    cp = FoldArabic(cp);
    if (cp < 0x80) {
      w->Word(cp);
      return;
    }
  }
  switch (utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      if (internal::IsSpacelessScript(cp)) w->Single(cp);
      else w->Word(cp);
      return;
    case UTF8PROC_CATEGORY_LM:
      if (cp == 0x0640) return;  // tatweel: stretches a word, means nothing
      if (internal::IsSpacelessScript(cp)) w->Single(cp);
      else w->Word(cp);
      return;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      if (!IsOptionalDiacritic(cp)) w->Mark(cp);
      return;
    default:
      w->Separate();
      return;
  }
}

bool StartsWithNoCase(std::string_view text, size_t i, std::string_view prefix) {
  if (text.size() - i < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k)
    if (AsciiLower(static_cast<uint8_t>(text[i + k])) != static_cast<uint8_t>(prefix[k])) return false;
  return true;
}

bool IsUrlStart(std::string_view text, size_t i) {
  return StartsWithNoCase(text, i, "http://") || StartsWithNoCase(text, i, "https://") ||
         StartsWithNoCase(text, i, "www.");
}

// The end of an HTML entity ("&amp;", "&#39;") starting at i, or 0.
size_t EntityEnd(std::string_view text, size_t i) {
  for (size_t j = i + 1; j < text.size() && j <= i + 9; ++j) {
    const auto c = static_cast<uint8_t>(text[j]);
    if (c == ';') return j > i + 1 ? j + 1 : 0;
    if (!IsAsciiAlnum(c) && c != '#') return 0;
  }
  return 0;
}

// Position after leading "RT @handle:" prefixes, or 0 if there are none.
size_t SkipRetweetPrefix(std::string_view text) {
  size_t pos = 0;
  for (;;) {
    size_t i = pos;
    while (i < text.size() && IsAsciiSpace(static_cast<uint8_t>(text[i]))) ++i;
    if (!StartsWithNoCase(text, i, "rt")) return pos;
    i += 2;
    const size_t after_rt = i;
    while (i < text.size() && IsAsciiSpace(static_cast<uint8_t>(text[i]))) ++i;
    if (i == after_rt && (i >= text.size() || text[i] != '@')) return pos;
    if (i >= text.size() || text[i] != '@') return pos;
    ++i;
    const size_t handle = i;
    while (i < text.size() && IsHandleChar(static_cast<uint8_t>(text[i]))) ++i;
    if (i == handle) return pos;
    if (i < text.size() && text[i] == ':') ++i;
    pos = i;
  }
}

}  // namespace

void NormalizeText(std::string_view text, const TextNormalizeOptions& options, std::string* out,
                   std::vector<TextToken>* tokens) {
  out->clear();
  if (tokens != nullptr) tokens->clear();
  TokenWriter w(out, tokens);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = options.strip_retweet_prefix ? SkipRetweetPrefix(text) : 0;
  bool after_alnum = false;  // the previous input character was an ASCII letter or digit
  while (i < n) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      if (IsAsciiAlnum(c)) {
        if (!after_alnum && options.strip_urls && ((c | 0x20) == 'h' || (c | 0x20) == 'w') && IsUrlStart(text, i)) {
          while (i < n && !IsAsciiSpace(s[i])) ++i;
          w.Separate();
          continue;
        }
        w.Word(AsciiLower(c));
        after_alnum = true;
        ++i;
        continue;
      }
      after_alnum = false;
      if (c == '@' && options.strip_mentions && i + 1 < n && IsHandleChar(s[i + 1])) {
        ++i;
        while (i < n && IsHandleChar(s[i])) ++i;
        w.Separate();
        continue;
      }
      if (c == '&') {
        if (size_t end = EntityEnd(text, i); end != 0) {
          i = end;
          w.Separate();
          continue;
        }
      }
      if (c != '\'') w.Separate();  // an apostrophe inside a word joins it: "don't" = "dont"
      ++i;
      continue;
    }
    after_alnum = false;
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len = utf8proc_iterate(s + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (len <= 0) {  // invalid UTF-8: a separator
      w.Separate();
      ++i;
      continue;
    }
    i += static_cast<size_t>(len);
    if (cp == 0x2019 || cp == 0x02BC) continue;  // typographic apostrophes, as '
    if (cp >= 0xAC00 && cp <= 0xD7A3) {           // Hangul syllables: caseless, keep them composed
      w.Word(static_cast<char32_t>(cp));
      continue;
    }
    utf8proc_int32_t buf[32];
    int boundclass = 0;
    const utf8proc_ssize_t m = utf8proc_decompose_char(cp, buf, 32, kDecomposeOptions, &boundclass);
    if (m < 0 || m > 32) {
      w.Separate();
      continue;
    }
    for (utf8proc_ssize_t k = 0; k < m; ++k) Classify(static_cast<char32_t>(buf[k]), options, &w);
  }
  w.Finish();
}

std::string NormalizeText(std::string_view text) {
  std::string out;
  NormalizeText(text, TextNormalizeOptions{}, &out, nullptr);
  return out;
}

}  // namespace lockstep
