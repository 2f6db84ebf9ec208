// The reader of the Internet Research Agency troll tweets (Clemson University's
// data as FiveThirtyEight released it) in its two layouts:
//
//   - FiveThirtyEight's own IRAhandle_tweets_N.csv: one row per tweet with the
//     author's columns in every row (external_author_id, author, content,
//     region, language, publish_date, harvested_date, following, followers,
//     updates, post_type, account_type, retweet, account_category,
//     new_june_2018, alt_external_id, tweet_id, article_url, tco1_step1,
//     tco2_step1, tco3_step1);
//   - the by-author layout: a tweets file (author_id, content, region,
//     language, publish_date, harvested_date, following, followers, updates,
//     post_type, retweet) and an authors file (author_id, author,
//     external_author_id, account_type, account_category, ...).
//
// The labels a researcher evaluates against (account_type, account_category;
// with them new_june_2018 and the authors file's congress_* columns, which
// mark a row as part of the release) are withheld: they never reach the
// Dataset, not even as extra attributes, so nothing downstream can read them.
//
// Events: a retweet (retweet 1, post_type R or RETWEET) is a share whose
// target is unknown: target_id is empty and text holds the retweeted text,
// so that detection can key it by content (type kShare with no target_id is
// the model's mark of a share known by its text only). A quote (post_type Q or
// QUOTE_TWEET) is a post with no target_id and the extra post_type. Anything
// else is a post. Hashtags, mentions and URLs are taken from the text; the
// FiveThirtyEight layout's expanded links (tcoN_step1) are added to the URLs.
// Times have minute resolution ("2017-01-23 22:36:00" or "1/23/2017 22:36"),
// UTC. docs/formats.md lists every column's place in the model.
//
// Row checks, each an InputError (file, line, byte offset, field): the author
// and publish_date present; times, counts and the retweet flag well-formed;
// post_type one of the release's values; tweet_id unique; author_id unique in
// the authors file.
#ifndef LOCKSTEP_INGEST_IRA_READER_H_
#define LOCKSTEP_INGEST_IRA_READER_H_

#include <string>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// FiveThirtyEight's 21 columns of IRAhandle_tweets_N.csv, in the release's order.
const std::vector<std::string>& IraTweetColumns();
// The columns the reader never loads: the ground truth and the release's bookkeeping.
const std::vector<std::string>& IraWithheldColumns();

// Whether a CSV header is that of an IRA tweets file (content, publish_date,
// harvested_date and author_id or author) or of the by-author layout's
// authors file (author_id and account_category, no content).
bool IsIraTweetsHeader(const std::vector<std::string>& header);
bool IsIraAuthorsHeader(const std::vector<std::string>& header);

// Loads the tweets files in order, after the authors file if one is given
// ("" = none; it then contributes each author's handle and
// external_author_id only).
Result<Dataset> LoadIraTweets(const std::vector<std::string>& tweets_files, const std::string& authors_file,
                              const LoadOptions& options, ErrorSink* sink, LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_IRA_READER_H_
