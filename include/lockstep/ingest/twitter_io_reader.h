// The reader of Twitter's information-operations archive (the public releases
// of state-backed operations, transparency.twitter.com): a tweets CSV of 31
// columns (tweetid, userid, ..., hashtags, urls, user_mentions, poll_choices)
// and optionally a users CSV of the first 10 of them. docs/formats.md lists
// which column becomes which Dataset field.
//
// Accounts come from the users file; a user found only in the tweets is
// derived from its tweets, taking the profile columns of its latest tweet.
// Events: a retweet (is_retweet true) is a share of retweet_tweetid by
// retweet_userid; a reply (in_reply_to_tweetid or in_reply_to_userid set) a
// comment on it; anything else a post, and a quote is a post whose target_id
// is quoted_tweet_tweetid. Lists are Python-style (['a', 'b']); 'absent'
// coordinates are missing. Counts, coordinates, poll_choices,
// user_profile_url and unknown columns are kept as extra attributes.
//
// Row checks, each an InputError (file, line, byte offset, field): tweetid,
// userid and tweet_time present; times, counts, booleans, coordinates and
// lists well-formed; tweetid unique; userid unique in the users file.
#ifndef LOCKSTEP_INGEST_TWITTER_IO_READER_H_
#define LOCKSTEP_INGEST_TWITTER_IO_READER_H_

#include <string>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// The tweets file's 31 columns in the release's order; the users file has
// columns 1..10 (userid .. account_language). lockstep export writes both.
const std::vector<std::string>& TwitterIoTweetColumns();

// Whether a CSV header is that of an IO-archive tweets file (has tweetid,
// userid and tweet_time) or users file (userid and user_screen_name, no tweetid).
bool IsTwitterIoTweetsHeader(const std::vector<std::string>& header);
bool IsTwitterIoUsersHeader(const std::vector<std::string>& header);

// Loads the tweets files in order, after the users file if one is given ("" = none).
Result<Dataset> LoadTwitterIoArchive(const std::vector<std::string>& tweets_files, const std::string& users_file,
                                     const LoadOptions& options, ErrorSink* sink, LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_TWITTER_IO_READER_H_
