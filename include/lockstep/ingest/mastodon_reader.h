// The reader of Mastodon statuses as the REST API returns them
// (GET /api/v1/accounts/:id/statuses, timelines, search, context): saved
// pages (*.json, a top-level array of statuses, pretty-printed or not, or a
// `{ancestors, descendants}` context, or `{statuses: [...]}` search results)
// or one status per line.
//
// Mapping (docs/formats.md): a status whose `reblog` holds the original is
// a share of reblog.id by the booster; a status with in_reply_to_id a
// comment on that status (target account in_reply_to_account_id); a status
// quoting another (Mastodon 4.4 `quote.quoted_status`) a post whose target is
// the quoted status; anything else a post. The text is `content` with its
// HTML removed; urls are the links of the content that are not mentions or
// hashtags, and the preview card's url; hashtags `tags[].name`; mentions
// `mentions[].id`. Ids are the instance's own (status and account ids are
// unique on one instance; `uri` and `url` are kept as attributes). Every
// account's platform is "mastodon". Streaming; plain, .gz or .zst.
#ifndef LOCKSTEP_INGEST_MASTODON_READER_H_
#define LOCKSTEP_INGEST_MASTODON_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether the first bytes of a file look like Mastodon statuses.
bool IsMastodonJson(std::string_view prefix);

Result<Dataset> LoadMastodon(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                             LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_MASTODON_READER_H_
