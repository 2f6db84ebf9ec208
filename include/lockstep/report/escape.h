// Escaping for everything a report shows that came from the data: posts,
// handles, domains, hashtags, evidence sentences. Data is hostile by default
// (HTML, scripts, bidirectional overrides, invalid UTF-8), so every function
// here first makes the text valid UTF-8 (each invalid byte becomes U+FFFD)
// drops C0/C1 control characters other than tab and newline, and shows
// bidirectional overrides, embeddings and isolates (U+202A..E, U+2066..9) as
// "[U+202E]" so they cannot reorder the text after them.
//
// All functions are pure and thread-safe; O(length of the input).
#ifndef LOCKSTEP_REPORT_ESCAPE_H_
#define LOCKSTEP_REPORT_ESCAPE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "lockstep/model/csv_field.h"  // CsvField, for the report's CSV files

namespace lockstep {

// Valid UTF-8 with invalid bytes replaced by U+FFFD, control characters
// (except \t and \n) replaced by a space, bidi controls shown as "[U+202E]".
std::string CleanText(std::string_view s);

// Text safe in HTML element content and in double- or single-quoted
// attribute values: & < > " ' become entities. Also safe inside SVG <text>.
std::string HtmlEscape(std::string_view s);

// Text safe as Markdown inline content (CommonMark and GitHub's renderer):
// HTML-escaped, Markdown punctuation backslash-escaped, line breaks as spaces,
// so it can neither start a block nor close a table cell.
std::string MarkdownEscape(std::string_view s);

// At most `max_code_points` code points of CleanText(s), with "…" appended
// when something was cut.
std::string Truncate(std::string_view s, size_t max_code_points);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_ESCAPE_H_
