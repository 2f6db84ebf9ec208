#include "lockstep/ingest/field_parsers.h"

#include <bit>
#include <charconv>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fast_float/fast_float.h>

namespace lockstep {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The first `quote` or backslash of text[i, end), or end; end <= text.size().
// One pass without a call: list items are urls and hashtags of a few dozen
// bytes, for which a memchr for the quote and another for a backslash cost
// more than the scan.
size_t FindQuoteOrBackslash(std::string_view text, size_t i, size_t end, char quote) {
#if defined(__SSE2__)
  const __m128i q = _mm_set1_epi8(quote), backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= end; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const unsigned hits =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, backslash))));
    if (hits != 0) return i + static_cast<size_t>(std::countr_zero(hits));
  }
#endif
  while (i < end && text[i] != quote && text[i] != '\\') ++i;
  return i;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool Hex4(std::string_view s, size_t pos, uint32_t* out) {
  if (pos + 4 > s.size()) return false;
  uint32_t v = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    const char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return false;
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseInt64(std::string_view text, int64_t* out) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || text.empty()) return false;
  std::string_view rest(ptr, text.data() + text.size() - ptr);
  if (!rest.empty()) {
    if (rest.front() != '.') return false;
    for (size_t i = 1; i < rest.size(); ++i)
      if (rest[i] != '0') return false;
  }
  *out = v;
  return true;
}

bool ParseDecimal(std::string_view text, double* out) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = fast_float::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return false;
  *out = v;
  return true;
}

bool ParseHash64(std::string_view text, uint64_t* out) {
  text = Trim(text);
  if (text.size() == 18 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.size() != 16) return false;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + 16, v, 16);
  if (ec != std::errc() || ptr != text.data() + 16) return false;
  *out = v;
  return true;
}

bool ParseBool(std::string_view text, bool* out) {
  text = Trim(text);
  if (text == "true" || text == "TRUE" || text == "True" || text == "1") {
    *out = true;
    return true;
  }
  if (text == "false" || text == "FALSE" || text == "False" || text == "0") {
    *out = false;
    return true;
  }
  return false;
}

bool ParseList(std::string_view text, std::string* scratch, std::vector<std::string_view>* items) {
  text = Trim(text);
  if (text.empty()) return true;
  if (text.front() != '[') {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      size_t j = i;
      while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
      if (j > i) items->push_back(text.substr(i, j - i));
      i = j;
    }
    return true;
  }
  if (text.back() != ']') return false;
  // Unescaped items never grow beyond the input; reserve once so views stay valid.
  if (scratch->capacity() < scratch->size() + text.size()) {
    if (!scratch->empty()) return false;  // caller reuses a scratch that is too small; refuse rather than dangle
    scratch->reserve(text.size());
  }
  size_t i = 1;
  const size_t end = text.size() - 1;
  auto skip_blank = [&] {
    while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  };
  skip_blank();
  if (i == end) return true;
  for (;;) {
    skip_blank();
    if (i >= end) return false;
    const char quote = text[i];
    if (quote == '"' || quote == '\'') {
      ++i;
      size_t start = i;
      bool escaped = false;
      // To the next quote; a backslash before it means escapes (and perhaps
      // an escaped quote): those are read a byte at a time.
      const size_t stop = FindQuoteOrBackslash(text, i, end, quote);
      if (stop == end || text[stop] == quote) {
        i = stop;
      } else {
        while (i < end && text[i] != quote) {
          if (text[i] == '\\') {
            escaped = true;
            ++i;
          }
          ++i;
        }
      }
      if (i >= end) return false;
      std::string_view raw = text.substr(start, i - start);
      ++i;  // closing quote
      if (!escaped) {
        items->push_back(raw);
      } else {
        const size_t from = scratch->size();
        for (size_t k = 0; k < raw.size(); ++k) {
          if (raw[k] != '\\' || k + 1 == raw.size()) {
            scratch->push_back(raw[k]);
            continue;
          }
          const char e = raw[++k];
          switch (e) {
            case 'n': scratch->push_back('\n'); break;
            case 't': scratch->push_back('\t'); break;
            case 'r': scratch->push_back('\r'); break;
            case 'b': scratch->push_back('\b'); break;
            case 'f': scratch->push_back('\f'); break;
            case 'u': {
              uint32_t cp = 0;
              if (!Hex4(raw, k + 1, &cp)) return false;
              k += 4;
              if (cp >= 0xD800 && cp < 0xDC00 && k + 6 < raw.size() + 0 && raw[k + 1] == '\\' && raw[k + 2] == 'u') {
                uint32_t lo = 0;
                if (Hex4(raw, k + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                  cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                  k += 6;
                }
              }
              AppendUtf8(cp, scratch);
              break;
            }
            default: scratch->push_back(e); break;
          }
        }
        items->push_back(std::string_view(scratch->data() + from, scratch->size() - from));
      }
    } else {
      size_t start = i;
      while (i < end && text[i] != ',') ++i;
      std::string_view raw = Trim(text.substr(start, i - start));
      // An unquoted item is a number or a bare word (an id as the IO archive
      // writes it); a nested array or object, null or a boolean is no item
      // of a list of urls, hashtags or mentions.
      if (raw.empty() || raw.front() == '[' || raw.front() == '{' || raw.back() == ']' || raw.back() == '}' ||
          raw == "null" || raw == "None" || raw == "true" || raw == "false" || raw == "True" || raw == "False")
        return false;
      items->push_back(raw);
    }
    skip_blank();
    if (i == end) return true;
    if (text[i] != ',') return false;
    ++i;
  }
}

}  // namespace lockstep
