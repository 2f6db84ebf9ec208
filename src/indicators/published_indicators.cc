#include "lockstep/indicators/published_indicators.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <regex>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

#include "ingest/json_records.h"
#include "ingest/reader_support.h"
#include "lockstep/ingest/byte_source.h"
#include "lockstep/ingest/table_reader.h"
#include "lockstep/model/dataset.h"

namespace lockstep {
namespace {

std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '`'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string BaseName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Social platforms by host, and how their profile URLs look.
struct Platform {
  std::string_view host, name;
  bool at_handles;  // profiles are /@handle (YouTube, TikTok, Medium)
};
constexpr Platform kPlatforms[] = {
    {"twitter.com", "twitter", false},     {"x.com", "twitter", false},        {"mobile.twitter.com", "twitter", false},
    {"t.me", "telegram", false},           {"telegram.me", "telegram", false}, {"facebook.com", "facebook", false},
    {"m.facebook.com", "facebook", false}, {"fb.com", "facebook", false},      {"instagram.com", "instagram", false},
    {"threads.net", "threads", false},     {"vk.com", "vk", false},            {"ok.ru", "ok", false},
    {"youtube.com", "youtube", true},      {"m.youtube.com", "youtube", true}, {"tiktok.com", "tiktok", true},
    {"medium.com", "medium", true},        {"reddit.com", "reddit", false},    {"old.reddit.com", "reddit", false},
    {"linkedin.com", "linkedin", false},   {"pinterest.com", "pinterest", false},
};

// Path segments that are pages of the platform, not profiles.
constexpr std::string_view kReservedSegments[] = {"share",  "sharer.php", "p",     "status", "watch", "hashtag", "i",
                                                  "intent", "search",     "home",  "explore", "reel", "groups",
                                                  "pages",  "events",     "login", "s",      "c",     "channel"};

const Platform* FindPlatform(std::string_view host) {
  for (const Platform& p : kPlatforms)
    if (host == p.host) return &p;
  return nullptr;
}

// The path segments of a URL after its host, without query or fragment.
std::vector<std::string_view> PathSegments(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  const size_t slash = url.find('/', start);
  std::vector<std::string_view> out;
  if (slash == std::string_view::npos) return out;
  std::string_view path = url.substr(slash + 1);
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty()) {
    const size_t end = path.find('/');
    std::string_view seg = path.substr(0, end);
    if (!seg.empty()) out.push_back(seg);
    if (end == std::string_view::npos) break;
    path.remove_prefix(end + 1);
  }
  return out;
}

// The profile handle a social-platform URL names, or "" if it names a post,
// a search or anything else.
std::string ProfileHandle(const Platform& p, std::string_view url) {
  const std::vector<std::string_view> seg = PathSegments(url);
  if (seg.empty()) return "";
  if (p.at_handles) return seg[0].size() > 1 && seg[0][0] == '@' ? internal::AsciiLower(seg[0].substr(1)) : "";
  if (p.name == "reddit")
    return seg.size() >= 2 && (seg[0] == "user" || seg[0] == "u") && seg.size() == 2 ? internal::AsciiLower(seg[1]) : "";
  if (p.name == "linkedin") return seg.size() == 2 && seg[0] == "in" ? internal::AsciiLower(seg[1]) : "";
  if (seg.size() != 1) return "";
  const std::string first = internal::AsciiLower(seg[0]);
  for (std::string_view r : kReservedSegments)
    if (first == r) return "";
  if (first.find('.') != std::string::npos && first != "profile.php") return "";
  return first == "profile.php" ? "" : first;
}

bool IsHostChar(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80; }

// A host name: labels of host characters separated by dots, the last
// alphabetic (or an IDN), at least two labels.
bool IsHostName(std::string_view s) {
  if (s.empty() || s.find('.') == std::string_view::npos || s.front() == '.' || s.back() == '.') return false;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return IsHostChar(static_cast<unsigned char>(c)); })) return false;
  if (s.find("..") != std::string_view::npos) return false;
  const std::string_view tld = s.substr(s.rfind('.') + 1);
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80 || c == '-';
         });
}

bool IsIpv4(std::string_view s) {
  int parts = 0;
  while (!s.empty()) {
    const size_t dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    if (std::stoi(std::string(part)) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool StartsWithCount(std::string_view s) {
  s = TrimSpace(s);
  for (std::string_view lead : {"about ", "approximately ", "around ", "over ", "~"})
    if (internal::AsciiLower(s.substr(0, lead.size())) == lead) {
      s.remove_prefix(lead.size());
      break;
    }
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',' || s[i] == '.')) ++i;
  return i == s.size() || s[i] == ' ' || s[i] == '+' || s[i] == 'K' || s[i] == 'k' || s[i] == 'M';
}

// --- reading ------------------------------------------------------------------

struct Reading {
  IndicatorFile file;
  ErrorSink* sink;
  SourceName source;
  std::string base;
};

// Reports `e`; false if the sink says stop.
bool Report(Reading& r, uint64_t line, uint64_t offset, std::string field, InputErrorKind kind, std::string problem,
            std::string fix, std::string_view raw = {}) {
  InputError e;
  e.kind = kind;
  e.file = r.file.path;
  e.line = line;
  e.byte_offset = offset;
  e.field = std::move(field);
  e.problem = std::move(problem);
  e.fix = std::move(fix);
  e.raw = std::string(raw.substr(0, 4096));
  return r.sink->Report(std::move(e));
}

PublishedIndicator Make(const Reading& r, std::string_view value, uint64_t line) {
  PublishedIndicator p;
  p.value = Refang(value);
  p.kind = ClassifyIndicator(p.value, &p.host, &p.handle);
  p.source = r.base;
  p.network = r.source.network;
  p.date = r.source.period;
  p.line = line;
  return p;
}

// A value declared a domain but written as the site's root URL
// ("hxxps://site[.]com/", as Meta's pages do) is the domain.
void RootUrlIsDomain(std::string_view type, PublishedIndicator* p) {
  if (p->kind == IndicatorKind::kUrl && internal::AsciiLower(type).find("domain") != std::string::npos &&
      PathSegments(p->value).empty() && p->value.find_first_of("?#") == std::string::npos)
    p->kind = IndicatorKind::kDomain;
}

// Whether a value in a list declared `type` may be of kind `kind`: a
// declared domain must be a domain, a declared URL a URL or account.
bool FitsDeclaredType(std::string_view type, IndicatorKind kind) {
  const std::string t = internal::AsciiLower(type);
  if (t.find("domain") != std::string::npos) return kind == IndicatorKind::kDomain;
  if (t.find("url") != std::string::npos)
    return kind == IndicatorKind::kUrl || kind == IndicatorKind::kAccount || kind == IndicatorKind::kDomain;
  if (t.find("ip") == 0 || t.find(" ip") != std::string::npos) return kind == IndicatorKind::kIp;
  return true;
}

std::string_view Expect(std::string_view type) {
  const std::string t = internal::AsciiLower(type);
  if (t.find("domain") != std::string::npos) return "a domain name such as site[.]com";
  if (t.find("url") != std::string::npos) return "a URL such as hxxps://site[.]com/page";
  return "an IPv4 address such as 192[.]0[.]2[.]1";
}

// Adds one list row (indicator_type, indicator_value, comment, ds); false to stop.
bool AddListRow(Reading& r, std::string_view type, std::string_view value, std::string_view comment,
                std::string_view ds, uint64_t line, uint64_t offset, std::string_view raw, const std::string& where = "") {
  if (TrimSpace(value).empty())
    return Report(r, line, offset, where + "indicator_value", InputErrorKind::kMissingValue, "the indicator value is empty",
                  "give the indicator, or remove the row", raw);
  PublishedIndicator p = Make(r, value, line);
  RootUrlIsDomain(type, &p);
  if (!FitsDeclaredType(type, p.kind))
    return Report(r, line, offset, where + "indicator_value", InputErrorKind::kBadValue,
                  fmt::format("'{}' is declared {} but reads as {}", std::string(TrimSpace(value)).substr(0, 200),
                              TrimSpace(type), Name(p.kind)),
                  fmt::format("write {} or correct indicator_type", Expect(type)), raw);
  p.published_type = std::string(TrimSpace(type));
  p.comment = std::string(TrimSpace(comment));
  if (!TrimSpace(ds).empty()) p.date = std::string(TrimSpace(ds));
  r.file.indicators.push_back(std::move(p));
  return true;
}

// A note column of a kill-chain table.
bool IsNoteColumn(std::string_view name) { return name == "comments" || name == "comment" || name == "notes" || name == "note"; }

// Reads a CSV table (the given text for TSV, else the file).
Status ReadTable(Reading& r, const std::string& tsv_as_csv, bool from_text) {
  std::unique_ptr<TableReader> reader;
  if (from_text) {
    reader = TableReader::FromString(r.file.path, tsv_as_csv, {}, r.sink);
  } else {
    Result<std::unique_ptr<TableReader>> opened = TableReader::Open(r.file.path, {}, r.sink);
    if (!opened.ok()) return opened.status();
    reader = std::move(opened).value();
  }
  Row row;
  bool first = true;
  // Column positions by trimmed, lower-cased header name.
  int tactic = -1, technique = -1, procedure = -1, indicator = -1, note = -1;
  int type = -1, value = -1, comment = -1, ds = -1;
  while (reader->Next(&row)) {
    if (first) {
      first = false;
      const std::vector<std::string>& header = reader->header();
      for (size_t c = 0; c < header.size(); ++c) {
        const std::string name = internal::AsciiLower(TrimSpace(header[c]));
        const int ci = static_cast<int>(c);
        if (name == "tactic") tactic = ci;
        if (name == "technique") technique = ci;
        if (name == "procedure") procedure = ci;
        if (name == "indicator") indicator = ci;
        if (IsNoteColumn(name) && note < 0) note = ci;
        if (name == "indicator_type") type = ci;
        if (name == "indicator_value") value = ci;
        if (name == "comment") comment = ci;
        if (name == "ds") ds = ci;
      }
      if (indicator >= 0 && procedure >= 0) {
        r.file.layout = IndicatorLayout::kKillChain;
      } else if (type >= 0 && value >= 0) {
        r.file.layout = IndicatorLayout::kList;
      } else {
        std::string names;
        for (const std::string& h : header) names += (names.empty() ? "" : ", ") + h;
        Report(r, 1, 0, "", InputErrorKind::kMissingColumn,
               fmt::format("the header ({}) has neither the kill-chain columns Tactic, Technique, Procedure, "
                           "Indicator nor the list columns indicator_type, indicator_value, comment, ds",
                           names.substr(0, 300)),
               "use one of the two published layouts (docs/indicators.md)");
        return Status::Ok();
      }
    }
    // Empty cells are left out of row.extras: find a column by its header name.
    auto cell = [&](int c) -> std::string_view {
      if (c < 0) return {};
      const std::string& name = reader->header()[static_cast<size_t>(c)];
      for (const auto& [column, v] : row.extras)
        if (column == name) return v;
      return {};
    };
    if (r.file.layout == IndicatorLayout::kList) {
      bool blank = true;
      for (const auto& [name, v] : row.extras) blank = blank && TrimSpace(v).empty();
      if (blank) continue;
      if (!AddListRow(r, cell(type), cell(value), cell(comment), cell(ds), row.line, row.byte_offset, row.raw))
        return Status::Ok();
      continue;
    }
    const std::string_view ind = TrimSpace(cell(indicator));
    if (ind.empty()) {
      ++r.file.rows_without_indicator;
      continue;
    }
    // Published tables leave a procedure out now and then (the technique
    // still places the row); a row placed nowhere is an error.
    if (TrimSpace(cell(procedure)).empty() && TrimSpace(cell(technique)).empty() && TrimSpace(cell(tactic)).empty()) {
      if (!Report(r, row.line, row.byte_offset, reader->header()[procedure], InputErrorKind::kMissingValue,
                  fmt::format("the indicator '{}' has no tactic, technique or procedure",
                              std::string(ind).substr(0, 200)),
                  "name the kill-chain procedure (e.g. 0.6.2 Acquiring domains to support influence operations)",
                  row.raw))
        return Status::Ok();
      continue;
    }
    // A cell of several one-word lines lists several indicators; a cell of
    // sentences is one note.
    std::vector<std::string_view> values;
    std::string joined;
    if (ind.find('\n') != std::string_view::npos) {
      std::string_view rest = ind;
      bool tokens = true;
      while (!rest.empty()) {
        const size_t nl = rest.find('\n');
        const std::string_view part = TrimSpace(rest.substr(0, nl));
        if (!part.empty()) {
          tokens = tokens && part.find(' ') == std::string_view::npos;
          values.push_back(part);
        }
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
      if (!tokens) {
        values.clear();
        for (char c : ind) joined.push_back(c == '\n' || c == '\r' ? ' ' : c);
        values.push_back(joined);
      }
    } else {
      values.push_back(ind);
    }
    for (std::string_view v : values) {
      PublishedIndicator p = Make(r, v, row.line);
      p.tactic = std::string(TrimSpace(cell(tactic)));
      p.technique = std::string(TrimSpace(cell(technique)));
      p.procedure = std::string(TrimSpace(cell(procedure)));
      for (char& c : p.procedure)
        if (c == '\n' || c == '\r') c = ' ';
      p.procedure = std::string(TrimSpace(p.procedure));
      p.published_type = p.procedure.empty() ? p.technique : p.procedure;
      if (note >= 0) p.comment = std::string(TrimSpace(cell(note)));
      r.file.indicators.push_back(std::move(p));
    }
  }
  if (first && !reader->header().empty()) {
    // A header and no rows: nothing to import, unless the header fits no layout.
    const std::vector<std::string>& header = reader->header();
    auto has = [&](std::string_view n) {
      return std::any_of(header.begin(), header.end(), [&](const std::string& h) { return internal::AsciiLower(TrimSpace(h)) == n; });
    };
    if (!(has("indicator") && has("procedure")) && !(has("indicator_type") && has("indicator_value")))
      Report(r, 1, 0, "", InputErrorKind::kMissingColumn,
             "the header has neither the kill-chain columns Tactic, Technique, Procedure, Indicator nor the list "
             "columns indicator_type, indicator_value, comment, ds",
             "use one of the two published layouts (docs/indicators.md)");
  }
  return Status::Ok();
}

// The whole (decompressed) file.
Result<std::string> Slurp(const std::string& path) {
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(path);
  if (!src.ok()) return src.status();
  std::string out;
  char buf[1 << 16];
  for (;;) {
    Result<size_t> n = (*src)->Read(buf, sizeof buf);
    if (!n.ok()) return n.status();
    if (n.value() == 0) break;
    out.append(buf, n.value());
  }
  return out;
}

std::string CsvQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// TSV (IANA text/tab-separated-values: no quoting, no tab or newline inside
// a field) rewritten as CSV line for line, so TableReader reads it with the
// same line numbers and the same error rules.
std::string TsvToCsv(std::string_view tsv) {
  std::string out;
  out.reserve(tsv.size() + tsv.size() / 4);
  while (!tsv.empty()) {
    const size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t start = 0;
    for (;;) {
      const size_t tab = line.find('\t', start);
      out += CsvQuote(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      out.push_back(',');
      start = tab + 1;
    }
    out.push_back('\n');
    if (nl == std::string_view::npos) break;
    tsv.remove_prefix(nl + 1);
  }
  return out;
}

// --- STIX 2.1 bundles -----------------------------------------------------------

// Lexical tokens of a STIX pattern.
enum class PatternToken : uint8_t { kOpen, kClose, kLeftParen, kRightParen, kString, kTyped, kPath, kOperator, kWord };
struct PatternLexeme {
  PatternToken kind;
  std::string text;  // string literal unescaped; operator, word and path as written
};

bool IsPathChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':';
}

// Cuts a pattern into tokens; false with *why on a lexical error.
bool LexPattern(std::string_view s, std::vector<PatternLexeme>* out, std::string* why) {
  // A quoted literal at s[i] == '\''; appends it unescaped to *text and
  // advances i past the closing quote.
  auto literal = [&](size_t& i, std::string* text) {
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\\') {
        if (i + 1 >= s.size() || (s[i + 1] != '\\' && s[i + 1] != '\'')) {
          *why = fmt::format("a backslash at character {} escapes neither ' nor \\", i + 1);
          return false;
        }
        text->push_back(s[++i]);
      } else if (s[i] == '\'') {
        ++i;
        return true;
      } else {
        text->push_back(s[i]);
      }
    }
    *why = "a string literal is not closed (a ' is missing)";
    return false;
  };
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == ',') {  // between the values of an IN list
      out->push_back({PatternToken::kWord, ","});
      ++i;
    } else if (c == '[' || c == ']' || c == '(' || c == ')') {
      out->push_back({c == '[' ? PatternToken::kOpen : c == ']' ? PatternToken::kClose
                      : c == '(' ? PatternToken::kLeftParen : PatternToken::kRightParen, std::string(1, c)});
      ++i;
    } else if (c == '\'') {
      PatternLexeme l{PatternToken::kString, ""};
      if (!literal(i, &l.text)) return false;
      out->push_back(std::move(l));
    } else if ((c == 't' || c == 'b' || c == 'h') && i + 1 < s.size() && s[i + 1] == '\'') {
      PatternLexeme l{PatternToken::kTyped, ""};
      ++i;
      if (!literal(i, &l.text)) return false;
      out->push_back(std::move(l));
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      if (i + 1 < s.size() && s[i + 1] == '=') op += '=';
      if (op == "!") {
        *why = fmt::format("'!' at character {} is not an operator (!= is)", i + 1);
        return false;
      }
      i += op.size();
      out->push_back({PatternToken::kOperator, op});
    } else if (IsPathChar(c)) {
      // A word (AND, LIKE, 300, true) or an object path (domain-name:value,
      // file:hashes.'SHA-256', email-message:to_refs[*].value).
      std::string text;
      bool path = false;
      while (i < s.size()) {
        if (IsPathChar(s[i])) {
          path = path || s[i] == ':';
          text.push_back(s[i++]);
        } else if (path && s[i] == '\'' ) {
          std::string key;
          if (!literal(i, &key)) return false;
          text += "'" + key + "'";
        } else if (path && s[i] == '[') {
          const size_t close = s.find(']', i);
          if (close == std::string_view::npos) {
            *why = fmt::format("the list index at character {} is not closed", i + 1);
            return false;
          }
          text.append(s.substr(i, close + 1 - i));
          i = close + 1;
        } else {
          break;
        }
      }
      out->push_back({path ? PatternToken::kPath : PatternToken::kOperator, text});
      if (!path) {
        // Words: operators (LIKE, MATCHES, IN, ...), keywords (AND, OR, WITHIN, ...), numbers, booleans.
        const std::string upper = [&] {
          std::string u = text;
          for (char& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          return u;
        }();
        static constexpr std::string_view kOperators[] = {"LIKE", "MATCHES", "IN", "ISSUBSET", "ISSUPERSET", "EXISTS"};
        bool is_operator = false;
        for (std::string_view op : kOperators) is_operator = is_operator || upper == op;
        out->back().kind = is_operator ? PatternToken::kOperator : PatternToken::kWord;
        out->back().text = upper;
      }
    } else {
      *why = fmt::format("unexpected character '{}' at character {}", c, i + 1);
      return false;
    }
  }
  return true;
}

// The values of a STIX account_type and the hosts lockstep knows them by.
std::string_view PlatformHost(std::string_view platform) {
  if (platform == "x") platform = "twitter";
  for (const Platform& p : kPlatforms)
    if (p.name == platform) return p.host;
  return {};
}

// A user_id that is a salted hash (64 hex digits), as lockstep's STIX export
// and disclosure archive write for small accounts: it names nobody.
bool IsHashedId(std::string_view id) {
  return id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string_view Prefix(std::string_view stix_id) { return stix_id.substr(0, stix_id.find("--")); }

bool IsActorType(std::string_view type) {
  return type == "intrusion-set" || type == "campaign" || type == "threat-actor";
}

// The line of `key`'s member inside a record: the line of the first "key"
// in its text (the record's line if absent).
uint64_t MemberLine(const internal::JsonRecord& record, std::string_view key) {
  const size_t at = record.text.find(fmt::format("\"{}\"", key));
  if (at == std::string_view::npos) return record.line;
  return internal::LineAtOffset(record.text, at, record.line);
}

// Collects a bundle's objects record by record, then resolves which network
// each indicator belongs to (Finish), since relationships may come first.
class StixBundleReading {
 public:
  explicit StixBundleReading(Reading& r) : r_(r) {}

  // One object of the bundle; false if the sink says stop.
  bool Add(const internal::JsonRecord& record, simdjson::dom::element doc) {
    const std::string where = record.where;
    const std::string_view type = internal::Text(doc, "type");
    if (type.empty())
      return Report(r_, record.line, record.byte_offset, where + "type", InputErrorKind::kMissingValue,
                    "the STIX object has no type", "give every object of the bundle its type (\"indicator\", ...)",
                    record.text);
    const std::string id(internal::Text(doc, "id"));
    const std::string created_by(internal::Text(doc, "created_by_ref"));
    if (!id.empty() && !created_by.empty()) created_by_[id] = created_by;
    if (!id.empty()) {
      std::string_view name = internal::Text(doc, "name");
      if (!name.empty()) names_[id] = std::string(name);
    }
    if (type == "bundle") {  // a bundle without an objects array
      simdjson::dom::element objects;
      if (internal::Field(doc, "objects", &objects) && !objects.is_array())
        return Report(r_, MemberLine(record, "objects"), record.byte_offset, where + "objects", InputErrorKind::kBadValue,
                      "the bundle's objects is not an array", "write the objects as a JSON array", record.text);
      return true;
    }
    if (type == "relationship") {
      rels_.push_back({std::string(internal::Text(doc, "source_ref")), std::string(internal::Text(doc, "relationship_type")),
                       std::string(internal::Text(doc, "target_ref"))});
      return true;
    }
    if (type == "report" || type == "observed-data" || type == "grouping") {
      if (type == "report") {
        const std::string_view published = internal::Text(doc, "published");
        if (!published.empty()) dates_[id] = std::string(published.substr(0, 10));
      } else if (type == "observed-data") {
        const std::string_view first = internal::Text(doc, "first_observed");
        if (!first.empty()) dates_[id] = std::string(first.substr(0, 10));
      }
      simdjson::dom::element refs;
      if (internal::Field(doc, "object_refs", &refs) && refs.is_array())
        for (simdjson::dom::element ref : internal::Array(refs))
          if (ref.is_string()) containers_[std::string(ref.get_string().value())].push_back(id);
      return true;
    }
    if (type == "indicator") return AddIndicator(record, doc, id);
    if (type == "domain-name" || type == "url" || type == "ipv4-addr")
      return AddValue(record, doc, id, std::string(type), "value", std::string(internal::Text(doc, "value")),
                      where + "value");
    if (type == "user-account") {
      const std::string_view login = internal::Text(doc, "account_login");
      return AddValue(record, doc, id, "user-account", login.empty() ? "user_id" : "account_login",
                      std::string(login.empty() ? internal::Text(doc, "user_id") : login),
                      where + (login.empty() ? "user_id" : "account_login"), std::string(internal::Text(doc, "account_type")));
    }
    if (type == "ipv6-addr" || type == "email-addr" || type == "mac-addr" || type == "file") ++r_.file.skipped["object " + std::string(type)];
    return true;
  }

  // Resolves each collected indicator's network and date into r.file.
  void Finish() {
    std::vector<std::string> actors, reports, identities;
    for (const auto& [id, name] : names_) {
      if (IsActorType(Prefix(id))) actors.push_back(id);
      if (Prefix(id) == "report") reports.push_back(id);
      if (Prefix(id) == "identity") identities.push_back(id);
    }
    for (Candidate& c : candidates_) {
      std::string owner = Owner(c.id);
      std::string date;
      // Containers: the observed-data holding an SCO, the reports holding either.
      std::vector<std::string> holders = Containers(c.id);
      for (size_t k = 0; k < holders.size(); ++k)
        for (const std::string& up : Containers(holders[k]))
          if (std::find(holders.begin(), holders.end(), up) == holders.end()) holders.push_back(up);
      for (const std::string& h : holders) {
        if (owner.empty() && Prefix(h) == "observed-data") owner = Owner(h);
        if (date.empty() || Prefix(h) == "report")
          if (auto d = dates_.find(h); d != dates_.end() && (date.empty() || Prefix(h) == "report")) date = d->second;
      }
      for (const std::string& h : holders)
        if (owner.empty() && Prefix(h) == "report") {
          for (const auto& [member, in] : containers_)
            if (IsActorType(Prefix(member)) && std::find(in.begin(), in.end(), h) != in.end() && names_.contains(member))
              owner = member;
          if (owner.empty() && names_.contains(h)) owner = h;
        }
      if (owner.empty() && actors.size() == 1) owner = actors.front();
      if (owner.empty() && reports.size() == 1) owner = reports.front();
      std::string identity;
      for (const std::string* of : {&c.id, &owner})
        if (auto it = created_by_.find(*of); identity.empty() && it != created_by_.end() && names_.contains(it->second))
          identity = names_[it->second];
      if (identity.empty() && identities.size() == 1) identity = names_[identities.front()];
      std::string network = owner.empty() ? "" : names_[owner];
      if (network.empty()) network = identity.empty() ? r_.source.network : identity;
      else if (!identity.empty() && network.find(identity) == std::string::npos)
        network += ", published by " + identity;
      c.p.network = network;
      c.p.date = !date.empty() ? date : c.date;
      r_.file.indicators.push_back(std::move(c.p));
    }
    candidates_.clear();
  }

 private:
  struct Candidate {
    PublishedIndicator p;
    std::string id, date;
  };
  struct Relationship {
    std::string source, type, target;
  };

  // The intrusion-set, campaign or threat actor an object is tied to by a
  // relationship (indicates, related-to, uses, attributed-to, ...); "" if none.
  std::string Owner(const std::string& id) const {
    for (const Relationship& rel : rels_) {
      if (rel.source == id && IsActorType(Prefix(rel.target)) && names_.contains(rel.target)) return rel.target;
      if (rel.target == id && IsActorType(Prefix(rel.source)) && names_.contains(rel.source)) return rel.source;
    }
    return "";
  }
  std::vector<std::string> Containers(const std::string& id) const {
    auto it = containers_.find(id);
    return it == containers_.end() ? std::vector<std::string>() : it->second;
  }

  bool AddIndicator(const internal::JsonRecord& record, simdjson::dom::element doc, const std::string& id) {
    const std::string where = record.where;
    simdjson::dom::element revoked;
    if (internal::Field(doc, "revoked", &revoked) && revoked.is_bool() && revoked.get_bool().value()) {
      ++r_.file.skipped["revoked indicator"];
      return true;
    }
    const std::string_view pattern_type = internal::Text(doc, "pattern_type");
    if (!pattern_type.empty() && pattern_type != "stix") {
      ++r_.file.skipped[fmt::format("pattern_type {}", std::string(pattern_type).substr(0, 40))];
      return true;
    }
    const uint64_t line = MemberLine(record, "pattern");
    simdjson::dom::element pattern;
    if (!internal::Field(doc, "pattern", &pattern) || !pattern.is_string())
      return Report(r_, line, record.byte_offset, where + "pattern", InputErrorKind::kMissingValue,
                    "the indicator has no pattern string",
                    "give the indicator its STIX pattern, e.g. [domain-name:value = 'site.com']", record.text);
    StixComparison cmp;
    std::string why;
    switch (ReadStixPattern(pattern.get_string().value(), &cmp, &why)) {
      case StixPatternShape::kInvalid:
        return Report(r_, line, record.byte_offset, where + "pattern", InputErrorKind::kBadValue,
                      fmt::format("'{}' is not a STIX pattern: {}", std::string(pattern.get_string().value()).substr(0, 200), why),
                      "write the pattern as STIX 2.1 patterning, e.g. [domain-name:value = 'site.com']", record.text);
      case StixPatternShape::kUnsupported:
        ++r_.file.skipped[why];
        return true;
      case StixPatternShape::kComparison:
        break;
    }
    std::string comment(internal::Text(doc, "description"));
    if (comment.empty()) comment = std::string(internal::Text(doc, "name"));
    std::string_view valid_from = internal::Text(doc, "valid_from");
    return Take(record, line, where + "pattern", id, cmp.object_type, cmp.property, cmp.value, "", std::move(comment),
                std::string(valid_from.substr(0, 10)));
  }

  bool AddValue(const internal::JsonRecord& record, simdjson::dom::element doc, const std::string& id, std::string type,
                std::string property, std::string value, const std::string& field, std::string account_type = "") {
    (void)doc;
    if (value.empty()) {
      if (type == "user-account") {
        ++r_.file.skipped["user-account without account_login or user_id"];
        return true;
      }
      return Report(r_, record.line, record.byte_offset, field, InputErrorKind::kMissingValue,
                    fmt::format("the {} object has no value", type), "give the object its value, or remove it",
                    record.text);
    }
    return Take(record, MemberLine(record, property), field, id, type, property, value, account_type, "", "");
  }

  // Turns one comparison (or SCO property) into a known indicator; checks
  // that the value is what its object type says.
  bool Take(const internal::JsonRecord& record, uint64_t line, const std::string& field, const std::string& id,
            const std::string& type, const std::string& property, const std::string& value, std::string account_type,
            std::string comment, std::string date) {
    std::string as_written = value;
    if (type == "user-account") {
      if (property != "account_login" && property != "user_id") {
        ++r_.file.skipped[fmt::format("user-account:{}", property.substr(0, 40))];
        return true;
      }
      if (property == "user_id" && IsHashedId(value)) {
        ++r_.file.skipped["user-account with a hashed user_id only"];
        return true;
      }
      // A profile URL where the platform is known, so that watch matches on it; else @handle.
      account_type = internal::AsciiLower(account_type);
      const std::string_view host = PlatformHost(account_type);
      const std::string handle = value[0] == '@' ? value.substr(1) : value;
      as_written = host.empty() || handle.find_first_of("/?# ") != std::string::npos
                       ? "@" + handle
                       : fmt::format("https://{}/{}", host, handle);
    } else if (property != "value") {
      ++r_.file.skipped[fmt::format("{}:{}", type.substr(0, 40), property.substr(0, 40))];
      return true;
    } else if (type == "ipv4-addr" && value.find('/') != std::string::npos) {
      ++r_.file.skipped["ipv4-addr range (CIDR)"];
      return true;
    } else if (type != "domain-name" && type != "url" && type != "ipv4-addr") {
      ++r_.file.skipped["object " + type.substr(0, 40)];
      return true;
    }
    PublishedIndicator p = Make(r_, as_written, line);
    if (type == "user-account" && p.kind == IndicatorKind::kUrl) {
      // A handle ClassifyIndicator cannot read as a profile ("@" + odd characters): keep it as an account.
      p.kind = IndicatorKind::kAccount;
    }
    if (type == "user-account" && p.kind == IndicatorKind::kAccount && p.handle.empty())
      p.handle = internal::AsciiLower(value[0] == '@' ? std::string_view(value).substr(1) : std::string_view(value));
    const bool fits = type == "domain-name" ? p.kind == IndicatorKind::kDomain
                      : type == "url"       ? (p.kind == IndicatorKind::kUrl || p.kind == IndicatorKind::kAccount ||
                                         p.kind == IndicatorKind::kDomain)
                      : type == "ipv4-addr" ? p.kind == IndicatorKind::kIp
                                            : p.kind == IndicatorKind::kAccount;
    if (!fits)
      return Report(r_, line, record.byte_offset, field, InputErrorKind::kBadValue,
                    fmt::format("'{}' is a {} but reads as {}", value.substr(0, 200), type, Name(p.kind)),
                    type == "domain-name" ? "write a domain name such as site.com"
                    : type == "url"       ? "write a URL such as https://site.com/page"
                    : type == "ipv4-addr" ? "write an IPv4 address such as 192.0.2.1"
                                          : "write the account's login (handle) or id",
                    record.text);
    p.published_type = type + ":" + property;
    p.comment = std::move(comment);
    candidates_.push_back({std::move(p), id, std::move(date)});
    return true;
  }

  Reading& r_;
  std::vector<Candidate> candidates_;
  std::vector<Relationship> rels_;
  std::unordered_map<std::string, std::string> names_, created_by_, dates_;
  std::unordered_map<std::string, std::vector<std::string>> containers_;  // object id -> ids of reports, observed-data, groupings holding it
};

// Whether a JSON record is a STIX object rather than a list row: it has a
// type and an id of the form "type--uuid", and no indicator_value.
bool LooksLikeStix(const internal::JsonRecord& record, simdjson::dom::element doc) {
  if (record.where.starts_with("objects[")) return true;
  const std::string_view type = internal::Text(doc, "type"), id = internal::Text(doc, "id");
  simdjson::dom::element v;
  return !type.empty() && id.starts_with(std::string(type) + "--") && !internal::Field(doc, "indicator_value", &v);
}

Status ReadJson(Reading& r) {
  r.file.layout = IndicatorLayout::kList;
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(r.file.path);
  if (!src.ok()) return src.status();
  internal::JsonRecordStream stream(std::move(src).value(), internal::JsonRecordStream::ModeFromName(r.file.path));
  // A STIX bundle {"type": "bundle", "objects": [...]} is cut into its
  // objects, each a record with its own line.
  stream.set_unwrap("objects");
  simdjson::dom::parser parser;
  internal::JsonRecord record;
  InputError error;
  StixBundleReading stix(r);
  bool decided = false;
  for (;;) {
    const auto step = stream.Next(&record, &error);
    if (step == internal::JsonRecordStream::Step::kEnd) break;
    if (step == internal::JsonRecordStream::Step::kError) {
      error.file = r.file.path;
      r.sink->Report(std::move(error));
      break;
    }
    simdjson::dom::element doc;
    if (parser.parse(record.text.data(), record.text.size()).get(doc) != simdjson::SUCCESS ||
        !doc.is_object()) {
      if (!Report(r, record.line, record.byte_offset, record.where, InputErrorKind::kBadJson,
                  "the record is not a JSON object",
                  "write each indicator as {\"indicator_type\": ..., \"indicator_value\": ..., \"comment\": ..., "
                  "\"ds\": ...}",
                  record.text))
        break;
      continue;
    }
    if (!decided) {
      decided = true;
      if (LooksLikeStix(record, doc)) r.file.layout = IndicatorLayout::kStix;
      if (!record.context.empty() && r.file.layout == IndicatorLayout::kStix) {
        simdjson::dom::element bundle;
        if (parser.parse(record.context.data(), record.context.size()).get(bundle) == simdjson::SUCCESS) {
          const std::string_view type = internal::Text(bundle, "type");
          if (!type.empty() && type != "bundle" &&
              !Report(r, record.line, record.byte_offset, "type", InputErrorKind::kBadValue,
                      fmt::format("the top-level object has objects but is a '{}', not a bundle", std::string(type).substr(0, 40)),
                      "give the top-level object \"type\": \"bundle\" (STIX 2.1 section 8)", record.context))
            break;
        }
        // The context parse replaced the record's document: parse it again.
        if (parser.parse(record.text.data(), record.text.size()).get(doc) != simdjson::SUCCESS) continue;
      }
    }
    if (r.file.layout == IndicatorLayout::kStix) {
      if (!stix.Add(record, doc)) break;
      continue;
    }
    simdjson::dom::element v;
    if (!internal::Field(doc, "indicator_value", &v) || !v.is_string()) {
      if (!Report(r, record.line, record.byte_offset, record.where + "indicator_value", InputErrorKind::kMissingValue,
                  "the record has no indicator_value string", "give each record its indicator_value", record.text))
        break;
      continue;
    }
    if (!AddListRow(r, internal::Text(doc, "indicator_type"), internal::Text(doc, "indicator_value"),
                    internal::Text(doc, "comment"), internal::Text(doc, "ds"), record.line, record.byte_offset,
                    record.text, record.where))
      break;
  }
  if (r.file.layout == IndicatorLayout::kStix) stix.Finish();
  return Status::Ok();
}

// Cells of a markdown table row "| a | b |".
std::vector<std::string_view> MarkdownCells(std::string_view line) {
  std::vector<std::string_view> cells;
  line = TrimSpace(line);
  if (line.empty() || line.front() != '|') return cells;
  line.remove_prefix(1);
  if (!line.empty() && line.back() == '|') line.remove_suffix(1);
  while (true) {
    const size_t bar = line.find('|');
    cells.push_back(TrimSpace(line.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    line.remove_prefix(bar + 1);
  }
  return cells;
}

Status ReadMarkdown(Reading& r) {
  r.file.layout = IndicatorLayout::kMarkdown;
  Result<std::string> text = Slurp(r.file.path);
  if (!text.ok()) return text.status();
  std::string_view rest = text.value();
  uint64_t line_no = 0, offset = 0;
  int type_col = -1, value_col = -1;
  bool in_table = false;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    ++line_no;
    const uint64_t line_offset = offset;
    offset += line.size() + 1;
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    if (line_no == 1 && line.starts_with("# ")) {
      std::string_view title = TrimSpace(line.substr(2));
      if (const size_t colon = title.find(": "); colon != std::string_view::npos) title.remove_prefix(colon + 2);
      r.source.network = std::string(title);
      continue;
    }
    const std::vector<std::string_view> cells = MarkdownCells(line);
    if (cells.empty()) {
      in_table = false;
      continue;
    }
    if (!in_table) {
      type_col = value_col = -1;
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string name = internal::AsciiLower(cells[c]);
        if (name == "indicator type") type_col = static_cast<int>(c);
        if (name == "indicator value" || name == "indicator") value_col = static_cast<int>(c);
      }
      in_table = value_col >= 0;
      continue;
    }
    if (cells[0].starts_with(":--") || cells[0].starts_with("---")) continue;
    if (cells.size() <= static_cast<size_t>(std::max(type_col, value_col))) {
      if (!Report(r, line_no, line_offset, "Indicator Value", InputErrorKind::kColumnCount,
                  fmt::format("the table row has {} cells, expected {}", cells.size(),
                              std::max(type_col, value_col) + 1),
                  "give every row of the indicator table the header's cells", line))
        return Status::Ok();
      continue;
    }
    const std::string_view type = type_col >= 0 ? cells[type_col] : std::string_view();
    const std::string_view value = cells[value_col];
    if (TrimSpace(value).empty()) {
      if (!Report(r, line_no, line_offset, "Indicator Value", InputErrorKind::kMissingValue,
                  "the indicator value is empty", "give the indicator, or remove the row", line))
        return Status::Ok();
      continue;
    }
    PublishedIndicator p = Make(r, value, line_no);
    p.network = r.source.network;
    RootUrlIsDomain(type, &p);
    if (!FitsDeclaredType(type, p.kind)) {
      if (!Report(r, line_no, line_offset, "Indicator Value", InputErrorKind::kBadValue,
                  fmt::format("'{}' is declared {} but reads as {}", std::string(value).substr(0, 200), type,
                              Name(p.kind)),
                  fmt::format("write {} or correct the Indicator Type", Expect(type)), line))
        return Status::Ok();
      continue;
    }
    p.published_type = std::string(type);
    r.file.indicators.push_back(std::move(p));
  }
  return Status::Ok();
}

}  // namespace

std::string_view Name(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kDomain:
      return "domain";
    case IndicatorKind::kUrl:
      return "url";
    case IndicatorKind::kAccount:
      return "account";
    case IndicatorKind::kHashtag:
      return "hashtag";
    case IndicatorKind::kIp:
      return "ip";
    case IndicatorKind::kCount:
      return "count";
    case IndicatorKind::kText:
      return "text";
  }
  return "?";
}

bool Parse(std::string_view name, IndicatorKind* out) {
  for (IndicatorKind k : kIndicatorKinds)
    if (name == Name(k)) {
      *out = k;
      return true;
    }
  return false;
}

std::string_view Name(IndicatorLayout layout) {
  switch (layout) {
    case IndicatorLayout::kKillChain:
      return "kill_chain";
    case IndicatorLayout::kList:
      return "list";
    case IndicatorLayout::kMarkdown:
      return "markdown";
    case IndicatorLayout::kStix:
      return "stix";
  }
  return "?";
}

std::string Refang(std::string_view value) {
  value = TrimSpace(value);
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size();) {
    const std::string_view rest = value.substr(i);
    bool replaced = false;
    for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"[.]", "."},
                            {"(.)", "."},
                            {"{.}", "."},
                            {"[dot]", "."},
                            {"(dot)", "."},
                            {"[:]", ":"},
                            {"[://]", "://"},
                            {"[/]", "/"},
                            {"[@]", "@"},
                            {"[at]", "@"}}) {
      if (rest.size() >= from.size() && internal::AsciiLower(rest.substr(0, from.size())) == from) {
        out += to;
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    // hxxp / hxxps / hXXp at the start of a URL.
    if (rest.size() >= 4 && internal::AsciiLower(rest.substr(0, 4)) == "hxxp" &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(value[i - 1])))) {
      out += "http";
      i += 4;
      continue;
    }
    out.push_back(value[i++]);
  }
  return out;
}

StixPatternShape ReadStixPattern(std::string_view pattern, StixComparison* out, std::string* why) {
  std::vector<PatternLexeme> t;
  if (!LexPattern(pattern, &t, why)) return StixPatternShape::kInvalid;
  auto invalid = [&](std::string what) {
    *why = std::move(what);
    return StixPatternShape::kInvalid;
  };
  int in_observation = 0, parens = 0;
  size_t observations = 0;
  bool qualifier = false, joined = false, negated = false, non_string = false;
  std::string other_operator;
  for (size_t i = 0; i < t.size(); ++i) {
    const PatternLexeme& x = t[i];
    switch (x.kind) {
      case PatternToken::kOpen:
        if (in_observation) return invalid("'[' inside an observation expression");
        in_observation = 1;
        ++observations;
        break;
      case PatternToken::kClose:
        if (!in_observation) return invalid("']' without its '['");
        in_observation = 0;
        break;
      case PatternToken::kLeftParen:
        ++parens;
        break;
      case PatternToken::kRightParen:
        if (parens == 0) return invalid("')' without its '('");
        --parens;
        break;
      case PatternToken::kPath: {
        if (!in_observation) return invalid(fmt::format("the object path {} is outside [...]", x.text.substr(0, 80)));
        if (x.text.find(':') == 0 || x.text.back() == ':')
          return invalid(fmt::format("'{}' is not an object path (object-type:property)", x.text.substr(0, 80)));
        if (i > 0 && t[i - 1].kind == PatternToken::kOperator && t[i - 1].text == "EXISTS") break;
        size_t j = i + 1;
        if (j < t.size() && t[j].kind == PatternToken::kWord && t[j].text == "NOT") negated = true, ++j;
        if (j >= t.size() || t[j].kind != PatternToken::kOperator)
          return invalid(fmt::format("the object path {} is not compared to anything", x.text.substr(0, 80)));
        if (t[j].text != "=") other_operator = t[j].text;
        if (t[j].text == "IN") break;  // a parenthesised list follows
        if (j + 1 >= t.size() || t[j + 1].kind == PatternToken::kClose || t[j + 1].kind == PatternToken::kPath ||
            t[j + 1].kind == PatternToken::kOperator)
          return invalid(fmt::format("the comparison of {} has no value", x.text.substr(0, 80)));
        if (t[j + 1].kind != PatternToken::kString) non_string = true;
        break;
      }
      case PatternToken::kWord:
        if (x.text == "WITHIN" || x.text == "REPEATS" || x.text == "START" || x.text == "STOP") qualifier = true;
        if (x.text == "AND" || x.text == "OR" || x.text == "FOLLOWEDBY") joined = true;
        if (x.text == "NOT") negated = true;
        break;
      case PatternToken::kOperator:
        if (x.text == "EXISTS") other_operator = x.text;
        break;
      case PatternToken::kString:
      case PatternToken::kTyped:
        break;
    }
  }
  if (in_observation) return invalid("an observation expression is not closed (a ']' is missing)");
  if (parens) return invalid("a '(' is not closed");
  if (observations == 0) return invalid("no observation expression: a pattern is [object-type:property = 'value']");
  // Outer parentheses around the one observation change nothing.
  size_t lo = 0, hi = t.size();
  while (hi - lo > 5 && t[lo].kind == PatternToken::kLeftParen && t[hi - 1].kind == PatternToken::kRightParen) ++lo, --hi;
  if (hi - lo == 5 && t[lo].kind == PatternToken::kOpen && t[lo + 1].kind == PatternToken::kPath &&
      t[lo + 2].kind == PatternToken::kOperator && t[lo + 2].text == "=" && t[lo + 3].kind == PatternToken::kString &&
      t[lo + 4].kind == PatternToken::kClose) {
    const std::string& path = t[lo + 1].text;
    const size_t colon = path.find(':');
    out->object_type = path.substr(0, colon);
    out->property = path.substr(colon + 1);
    out->value = t[lo + 3].text;
    return StixPatternShape::kComparison;
  }
  if (observations > 1)
    *why = "several observations joined by AND/OR/FOLLOWEDBY";
  else if (qualifier)
    *why = "a qualifier (WITHIN, REPEATS, START/STOP)";
  else if (joined)
    *why = "AND/OR of several comparisons";
  else if (negated)
    *why = "a negated comparison (NOT)";
  else if (!other_operator.empty())
    *why = "operator " + other_operator;
  else if (non_string)
    *why = "a comparison to a value that is not a string";
  else
    *why = "a pattern of another shape";
  return StixPatternShape::kUnsupported;
}

std::string_view SocialPlatform(std::string_view host) {
  const Platform* p = FindPlatform(host);
  return p == nullptr ? std::string_view() : p->name;
}

IndicatorKind ClassifyIndicator(std::string_view value, std::string* host_out, std::string* handle_out) {
  value = TrimSpace(value);
  std::string host, handle;
  IndicatorKind kind = IndicatorKind::kText;
  const bool one_word = !value.empty() && value.find_first_of(" \t\n") == std::string_view::npos;
  if (value.size() > 1 && value[0] == '#' && one_word) {
    kind = IndicatorKind::kHashtag;
  } else if (value.size() > 1 && value[0] == '@' && one_word) {
    kind = IndicatorKind::kAccount;
    handle = internal::AsciiLower(value.substr(1));
  } else if (one_word && IsIpv4(value)) {
    kind = IndicatorKind::kIp;
  } else if (one_word) {
    const size_t scheme = value.find("://");
    const bool has_scheme = scheme != std::string_view::npos && scheme > 0 &&
                            std::all_of(value.begin(), value.begin() + scheme, [](char c) {
                              return std::isalpha(static_cast<unsigned char>(c)) != 0;
                            });
    const size_t host_start = has_scheme ? scheme + 3 : 0;
    const size_t host_end = value.find_first_of("/?#", host_start);
    std::string_view raw_host = value.substr(host_start, host_end == std::string_view::npos ? std::string_view::npos
                                                                                           : host_end - host_start);
    if (const size_t colon = raw_host.rfind(':'); colon != std::string_view::npos) raw_host = raw_host.substr(0, colon);
    if (IsHostName(raw_host) || (has_scheme && IsIpv4(raw_host))) {
      host = UrlHost(value);
      const bool has_path = host_end != std::string_view::npos && host_end + 1 < value.size();
      if (!has_scheme && !has_path) {
        kind = IndicatorKind::kDomain;
      } else {
        kind = IndicatorKind::kUrl;
        if (const Platform* p = FindPlatform(host)) {
          handle = ProfileHandle(*p, value);
          if (!handle.empty()) kind = IndicatorKind::kAccount;
        }
      }
    }
  }
  if (kind == IndicatorKind::kText && StartsWithCount(value)) kind = IndicatorKind::kCount;
  if (host_out != nullptr) *host_out = kind == IndicatorKind::kDomain || kind == IndicatorKind::kUrl ||
                                               kind == IndicatorKind::kAccount
                                           ? host
                                           : "";
  if (handle_out != nullptr) *handle_out = kind == IndicatorKind::kAccount ? handle : "";
  return kind;
}

SourceName ParseSourceName(std::string_view file_name) {
  std::string name = BaseName(file_name);
  for (std::string_view ext : {".gz", ".zst", ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".md"})
    if (EndsWith(internal::AsciiLower(name), ext)) name.erase(name.size() - ext.size());
  for (char& c : name)
    if (c == '_') c = ' ';
  SourceName out;
  // The last period named wins: "Q4-1 2026 GithubIOCs - H1 2026 IRAN ..." is H1 2026.
  static const std::regex kPeriod(R"((^|[^A-Za-z0-9])([QqHh][1-4](?:-[1-4])?)[ -](20\d\d)(?=$|[^0-9]))");
  static const std::regex kMonth(R"(^(20\d\d) (\d\d) )");
  size_t cut = 0;
  for (auto it = std::sregex_iterator(name.begin(), name.end(), kPeriod); it != std::sregex_iterator(); ++it) {
    std::string period = (*it)[2].str();
    period[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(period[0])));
    out.period = period + " " + (*it)[3].str();
    cut = static_cast<size_t>(it->position(0) + it->length(0));
  }
  std::smatch month;
  if (out.period.empty() && std::regex_search(name, month, kMonth)) {
    out.period = month[1].str() + "-" + month[2].str();
    cut = static_cast<size_t>(month.length(0));
  }
  std::string_view network = std::string_view(name).substr(cut);
  while (!network.empty() && (network.front() == ' ' || network.front() == '-')) network.remove_prefix(1);
  network = TrimSpace(network);
  if (network.empty()) network = name;
  // Collapse runs of spaces ("China-based  CIB").
  for (char c : network)
    if (!(c == ' ' && !out.network.empty() && out.network.back() == ' ')) out.network.push_back(c);
  if (!out.network.empty() && out.network.front() == '-') out.network.erase(0, 1);
  return out;
}

Result<IndicatorFile> ReadPublishedIndicators(const std::string& path, ErrorSink* sink) {
  Reading r;
  r.file.path = path;
  r.sink = sink;
  r.base = BaseName(path);
  r.source = ParseSourceName(path);
  const std::string name = internal::AsciiLower(StripCompressionSuffix(path));
  Status s;
  if (EndsWith(name, ".md")) {
    s = ReadMarkdown(r);
  } else if (EndsWith(name, ".json") || EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson")) {
    s = ReadJson(r);
  } else if (EndsWith(name, ".tsv") || EndsWith(name, ".tab")) {
    Result<std::string> text = Slurp(path);
    if (!text.ok()) return text.status();
    s = ReadTable(r, TsvToCsv(text.value()), true);
  } else {
    s = ReadTable(r, "", false);
  }
  if (!s.ok()) return s;
  if (sink->failed()) {
    const InputError* e = sink->first();
    return Status::InputError(e != nullptr ? e->ToString() : path + ": unreadable");
  }
  return std::move(r.file);
}

}  // namespace lockstep
