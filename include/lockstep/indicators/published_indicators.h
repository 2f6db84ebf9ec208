// Published indicators: the tables platforms release with their takedown
// reports, read as known indicators so that watch can tell when new data
// touches a removed network's domains, URLs or accounts (docs/indicators.md).
//
// Layouts read (Meta's facebook/threat-research repository, MIT licence):
//   kill chain  CSV or TSV with the columns Tactic, Technique, Procedure,
//               Indicator and an optional note column (Comments, Notes,
//               Note), one indicator per row, rows of empty cells between
//               tactics. Header cells may carry stray spaces; case is ignored.
//   list        indicator_type, indicator_value, comment, ds: CSV, TSV,
//               a JSON array of objects or JSON Lines.
//   markdown    the "| Indicator Type | Indicator Value |" table of Meta's
//               2025+ IOC pages (*.md).
//   stix        a STIX 2.1 bundle (*.json): indicators whose pattern is one
//               comparison [domain-name:value = '...'], [url:value = ...],
//               [ipv4-addr:value = ...], [user-account:account_login = ...]
//               (or user_id), and the SCOs domain-name, url, ipv4-addr and
//               user-account themselves; the network is the name of the
//               intrusion-set (campaign, threat actor) the object belongs to,
//               else the report's, with the identity that published it.
//               Valid patterns of any other shape are skipped and counted
//               (IndicatorFile::skipped), never silently.
// Values are defanged in the files (site[.]com, hxxps://); Refang() restores
// them. Each value is classified (ClassifyIndicator): a domain, a URL, an
// account on a social platform (a profile URL or @handle), a hashtag, an IP
// address, a count ("37 Pages") or free text (a kill-chain note).
//
// Bad input: every defect is an InputError (file, line, field, problem,
// fix) reported to the ErrorSink; a file whose header fits no layout is one
// error naming the columns it lacks.
#ifndef LOCKSTEP_INDICATORS_PUBLISHED_INDICATORS_H_
#define LOCKSTEP_INDICATORS_PUBLISHED_INDICATORS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/input_error.h"
#include "lockstep/model/status.h"

namespace lockstep {

enum class IndicatorKind : uint8_t { kDomain = 0, kUrl, kAccount, kHashtag, kIp, kCount, kText };
inline constexpr IndicatorKind kIndicatorKinds[] = {IndicatorKind::kDomain,  IndicatorKind::kUrl,
                                                    IndicatorKind::kAccount, IndicatorKind::kHashtag,
                                                    IndicatorKind::kIp,      IndicatorKind::kCount,
                                                    IndicatorKind::kText};
// "domain", "url", "account", "hashtag", "ip", "count", "text".
std::string_view Name(IndicatorKind kind);
bool Parse(std::string_view name, IndicatorKind* out);

enum class IndicatorLayout : uint8_t { kKillChain = 0, kList, kMarkdown, kStix };
std::string_view Name(IndicatorLayout layout);  // "kill_chain", "list", "markdown", "stix"

// The value with defanging undone: "[.]", "(.)", "{.}", "[dot]" -> ".",
// "hxxp" -> "http" (any case), "[:]" -> ":", "[@]" -> "@", "[/]" -> "/";
// surrounding spaces and backticks dropped.
std::string Refang(std::string_view value);

// What a restored value is. For domains, URLs and accounts `host` receives
// the host (UrlHost: lower case, no "www."); for accounts `handle` receives
// the handle, lower case, without '@' ("" when the host is not known to
// lockstep as a social platform). Either pointer may be null.
IndicatorKind ClassifyIndicator(std::string_view value, std::string* host = nullptr, std::string* handle = nullptr);

// The social platform a host belongs to ("twitter" for x.com and
// twitter.com, "telegram" for t.me, ...); "" if none lockstep knows.
std::string_view SocialPlatform(std::string_view host);

struct PublishedIndicator {
  IndicatorKind kind = IndicatorKind::kText;
  std::string value;           // restored (Refang)
  std::string host;            // domain, URL, account: the host
  std::string handle;          // account: lower-case handle
  std::string published_type;  // list/markdown: the type as published; kill chain: the procedure
  std::string tactic, technique, procedure;  // kill chain only
  std::string comment;         // the note or comment column
  std::string source;          // the file name without its directory
  std::string network;         // the network, from the file name or the page title
  std::string date;            // list: ds; else the report period ("Q2 2023", "H1 2026")
  uint64_t line = 0;           // 1-based line of the row in the file
};

struct IndicatorFile {
  std::string path;
  IndicatorLayout layout = IndicatorLayout::kKillChain;
  std::vector<PublishedIndicator> indicators;
  uint64_t rows_without_indicator = 0;  // kill-chain rows with an empty Indicator cell (separators)
  // STIX: valid objects lockstep cannot represent, by reason ("AND/OR of
  // several comparisons", "operator LIKE", "object email-addr", ...).
  std::map<std::string, uint64_t> skipped;
};

// The one STIX 2.1 pattern shape a known indicator can hold:
// [object-type:property = 'value'].
struct StixComparison {
  std::string object_type;  // "domain-name"
  std::string property;     // "value", "account_login"
  std::string value;        // the string literal, \' and \\ unescaped
};
enum class StixPatternShape : uint8_t {
  kComparison = 0,  // one comparison with '=' of a property to a string: *out filled
  kUnsupported,     // a valid pattern of another shape: *why says which ("operator LIKE")
  kInvalid,         // not a STIX pattern: *why says what is wrong
};
// Reads a STIX 2.1 pattern (STIX 2.1 section 9, the patterning grammar):
// observation expressions in brackets, comparisons joined by AND/OR,
// observation operators (AND, OR, FOLLOWEDBY) and qualifiers (WITHIN,
// REPEATS, START/STOP) are recognised so that a valid pattern of a shape
// lockstep cannot represent is kUnsupported, not kInvalid. O(pattern size).
StixPatternShape ReadStixPattern(std::string_view pattern, StixComparison* out, std::string* why);

// Reads one file of any layout above. kIoError if it cannot be opened;
// kInputError when the sink said stop (its first() names file, line and
// field). Under ErrorPolicy::kSkip bad rows are skipped and counted.
Result<IndicatorFile> ReadPublishedIndicators(const std::string& path, ErrorSink* sink);

// The network and report period named by a file name such as
// "Q2_2023_Doppelganger_Russia_based_CIB_network_updated.csv" ->
// {"Doppelganger Russia based CIB network updated", "Q2 2023"}.
struct SourceName {
  std::string network, period;
};
SourceName ParseSourceName(std::string_view file_name);

}  // namespace lockstep

#endif  // LOCKSTEP_INDICATORS_PUBLISHED_INDICATORS_H_
