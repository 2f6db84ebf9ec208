// The reader of CooRTweet's input tables (R package CooRTweet, Righetti &
// Balluff). Two forms, told apart by the header:
//
// - One object per row: object_id, account_id, content_id, timestamp_share
//   (epoch seconds), as in its russian_coord_tweets example. Each row is a
//   share: event_id = content_id, target_id = object_id (the shared object,
//   e.g. the retweeted tweet), platform twitter.
// - Several objects per post: account_id, post_id, url_id, hashtag_id,
//   domain_id, phash_id, timestamp, as in its german_elections example. Each
//   row is a post (event_id = post_id); url_id becomes the url "url:<id>"
//   whose domain is "domain:<domain_id>", hashtag_id the hashtag
//   "hashtag:<id>", so co-link and co-hashtag signals work on the opaque ids;
//   domain_id and phash_id (an image's perceptual-hash cluster) are kept as
//   extra attributes. The platform comes from the account_id prefix: fb_ is
//   facebook, tw_ twitter.
//
// Rows are (post, object) pairs, so event ids may repeat. Accounts are
// derived from the rows (account_id and platform only). Row checks:
// account_id present, the time present and well-formed.
#ifndef LOCKSTEP_INGEST_COORTWEET_READER_H_
#define LOCKSTEP_INGEST_COORTWEET_READER_H_

#include <string>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether a CSV header is one of CooRTweet's two forms.
bool IsCoorTweetHeader(const std::vector<std::string>& header);

// Loads the files in order into one data set.
//
// Plain share tables (a header of exactly the four columns of the first
// form, unquoted UTF-8 cells, every row loadable) take a fast path that
// reads large blocks and interns the ids straight into the data set; it
// builds the same data set and report as the general path, row by row, or
// gives up and leaves the files to the general path, which reports defects.
// With options.event_ids false, the fast path leaves every event_id
// kNoString and the content ids out of `objects` when no two rows share
// account, object and time; when some do, it reads the files again with
// event ids. The general path always loads them.
// `fast_path` = false always takes the general path (tests compare the two).
Result<Dataset> LoadCoorTweet(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                              LoadReport* report, bool fast_path = true);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_COORTWEET_READER_H_
