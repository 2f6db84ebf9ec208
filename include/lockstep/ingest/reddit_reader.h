// The reader of Reddit data: API listings and the monthly Pushshift / Arctic
// Shift dumps.
//
// - Listings as the API returns them (`{kind: "Listing", data: {children:
//   [{kind: "t1" | "t3", data: {...}}]}}`, or an array of listings, as the
//   comments endpoint gives), saved as *.json or one per line.
// - Dumps: RC_YYYY-MM.zst (comments) and RS_YYYY-MM.zst (submissions), one
//   bare comment or submission object per line, zstd with a window of up to
//   2 GiB (--long=31). Streamed: memory is the longest line plus zstd's
//   window, whatever the file's size (tens of GB).
//
// Mapping (docs/formats.md): a submission (t3) is a post; a submission with
// crosspost_parent a share of that submission (target account: the author in
// crosspost_parent_list); a comment (t1) a comment on parent_id (a t1 or t3
// fullname; target account link_author when the parent is the submission).
// Event ids are fullnames (t1_..., t3_...). Accounts are usernames (unique
// and permanent on Reddit); author_fullname is kept as an attribute. Items by
// "[deleted]" authors have no account: their lines are loaded and add
// nothing. The text is title and selftext, or the comment's body; urls are a
// link post's url and the http(s) links of the text. Every account's
// platform is "reddit".
#ifndef LOCKSTEP_INGEST_REDDIT_READER_H_
#define LOCKSTEP_INGEST_REDDIT_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether a file looks like Reddit data, from its name (RC_*, RS_*) or its first bytes.
bool IsRedditJson(const std::string& path, std::string_view prefix);
// Whether a file's name is a monthly dump's: RC_ or RS_ with .zst
// (RC_2024-01.zst), as Pushshift and Arctic Shift name them.
bool IsRedditDumpName(const std::string& path);

Result<Dataset> LoadReddit(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                           LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_REDDIT_READER_H_
