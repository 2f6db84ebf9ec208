#include "lockstep/report/escape.h"

#include <cstdint>

#include <fmt/format.h>

namespace lockstep {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at s[i], 0 if invalid (RFC 3629: no
// overlongs, no surrogates, nothing above U+10FFFF).
size_t SequenceLength(std::string_view s, size_t i, uint32_t* code_point) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) {
    *code_point = c;
    return 1;
  }
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  *code_point = cp;
  return n;
}

// Calls f(code point, bytes) for each character of the cleaned text.
template <typename F>
void ForEachClean(std::string_view s, F&& f) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t n = SequenceLength(s, i, &cp);
    if (n == 0) {
      f(0xFFFD, kReplacement);
      ++i;
      continue;
    }
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      f(' ', std::string_view(" "));
    } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      // Bidirectional embeddings, overrides and isolates would reorder what follows them (the
      // "gnp.exe" trick); show them instead, as "[U+202E]".
      const std::string marker = fmt::format("[U+{:04X}]", cp);
      for (char c : marker) f(static_cast<uint32_t>(c), std::string_view(&c, 1));
    } else {
      f(cp, s.substr(i, n));
    }
    i += n;
  }
}

// Appends the HTML entity for & < > " and returns true; false for any other code point.
bool AppendEntity(uint32_t cp, std::string& out) {
  switch (cp) {
    case '&': out += "&amp;"; return true;
    case '<': out += "&lt;"; return true;
    case '>': out += "&gt;"; return true;
    case '"': out += "&quot;"; return true;
    default: return false;
  }
}

}  // namespace

std::string CleanText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  ForEachClean(s, [&](uint32_t, std::string_view bytes) { out += bytes; });
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  ForEachClean(s, [&](uint32_t cp, std::string_view bytes) {
    if (cp == '\'') out += "&#39;";
    else if (!AppendEntity(cp, out)) out += bytes;
  });
  return out;
}

std::string MarkdownEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  ForEachClean(s, [&](uint32_t cp, std::string_view bytes) {
    if (AppendEntity(cp, out)) return;
    switch (cp) {
      case '\n':
      case '\t': out += ' '; break;
      // Inline specials; block markers (-, +, digits.) cannot occur since line breaks are gone and
      // the report never starts a line with data.
      case '\\': case '`': case '*': case '_': case '[': case ']': case '#': case '|': case '~':
        out += '\\';
        out += static_cast<char>(cp);
        break;
      default: out += bytes;
    }
  });
  return out;
}

std::string Truncate(std::string_view s, size_t max_code_points) {
  std::string out;
  size_t n = 0;
  bool cut = false;
  ForEachClean(s, [&](uint32_t, std::string_view bytes) {
    if (n++ < max_code_points) out += bytes;
    else cut = true;
  });
  if (cut) out += "\xE2\x80\xA6";
  return out;
}

}  // namespace lockstep
