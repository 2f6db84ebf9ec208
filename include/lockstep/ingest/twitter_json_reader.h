// The reader of Twitter API JSON, one JSON value per line:
// - v1.1 tweet objects, as streaming collectors and twarc1 write them;
// - v2 response pages as twarc2 writes them ({"data": [...], "includes":
//   {"users": [...], "tweets": [...]}, ...}), and the flattened form of
//   `twarc2 flatten` (one tweet per line, its author embedded as "author").
// Lines of the three forms may be mixed. Plain, .gz or .zst.
//
// Each tweet is an event: a retweet (v1.1 retweeted_status, v2
// referenced_tweets type retweeted) a share of the original, a reply
// (in_reply_to_status_id_str, replied_to) a comment on the tweet replied to,
// anything else a post; a quote is a post whose target_id is the quoted
// tweet. target_account_id is the author of the target where the JSON names
// it. urls are the expanded URLs of the entities, hashtags their text,
// mentions the mentioned user ids. Every user object met (the author, the
// original author of a retweet or quote, v2 includes.users) becomes an
// account with its profile; when several copies of a user disagree, the one
// attached to the latest tweet wins. Referenced tweets become events only if
// they appear as tweets of their own. Streaming control messages ({"delete":
// ...}, {"limit": ...}) carry no tweet: they count as loaded rows that add
// nothing. A line is loaded or rejected as a whole: in a v2 page, one bad
// tweet rejects the page, and the error names the tweet (data[3].created_at).
//
// Row checks: a tweet has an id, an author id and a well-formed created_at
// ("Wed Oct 10 20:19:24 +0000 2018" in v1.1, ISO 8601 in v2); counts are
// integers; tweet ids are unique.
#ifndef LOCKSTEP_INGEST_TWITTER_JSON_READER_H_
#define LOCKSTEP_INGEST_TWITTER_JSON_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether the first line of a JSON Lines file looks like Twitter API JSON.
bool IsTwitterJsonLine(std::string_view first_line);

// Loads the files in order into one data set.
Result<Dataset> LoadTwitterJson(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                                LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_TWITTER_JSON_READER_H_
