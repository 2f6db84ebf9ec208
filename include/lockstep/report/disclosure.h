// The disclosure archive: one network exported in the layout of Twitter's
// information-operations releases, so tools written for those archives read
// it unchanged (lockstep's own twitter_io reader among them).
//
//   <network>_users_csv_hashed.csv   userid, user_display_name,
//       user_screen_name, user_reported_location, user_profile_description,
//       user_profile_url, follower_count, following_count,
//       account_creation_date, account_language (the first 10 columns)
//   <network>_tweets_csv_hashed.csv  the 31 columns, tweetid ... poll_choices
//
// As in the public releases, accounts with fewer than 5,000 followers (or an
// unknown count) are pseudonymous: their userid, user_display_name and
// user_screen_name become HMAC-SHA256(salt, account_id) in hex, wherever they
// appear (userid, in_reply_to_userid, retweet_userid, user_mentions), and
// their @handle in tweet_text and user_profile_description ("RT @anna_k:"
// and "thanks @anna_k" become "@<hash>"). A mention is matched to an account
// by handle or id, ignoring ASCII case. Accounts that are not in the data
// set are treated as small: a mention or target of one is hashed too
// (HMAC of its id as written, or of its case-folded handle in text). The
// same salt gives the same hashes, so releases made with one salt can be
// joined; without the salt the hashes cannot be reversed by trying ids.
// Accounts with 5,000 followers or more keep their ids and handles.
//
// Tweets are the network's post, share (retweet) and comment (reply) events;
// likes, follows and joins have no row in the layout and are counted as
// skipped. Tweets without an event id get "lockstep-<row>".
#ifndef LOCKSTEP_REPORT_DISCLOSURE_H_
#define LOCKSTEP_REPORT_DISCLOSURE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct DisclosureOptions {
  std::string salt;                        // secret key of the HMAC; must not be empty
  int64_t public_follower_threshold = 5000;  // accounts with at least this many followers keep their ids; >= 0
};

struct DisclosureSummary {
  std::string users_file, tweets_file;  // paths written
  uint64_t users = 0, hashed_users = 0, tweets = 0, skipped_events = 0;
};

// Writes the archive of `network` into `out_dir` (created if missing).
// kInvalidArgument for an empty salt or a negative threshold; kIoError if a
// file cannot be written.
Result<DisclosureSummary> WriteDisclosureArchive(const Dataset& ds, const Network& network,
                                                 const DisclosureOptions& options, const std::string& out_dir);

// HMAC-SHA256(key = salt, message = id) as 64 lower-case hex digits.
std::string HashedId(std::string_view salt, std::string_view id);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_DISCLOSURE_H_
