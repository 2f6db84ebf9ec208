// The reader of Bluesky JSON: Jetstream event lines and saved XRPC responses.
//
// - Jetstream (one event per line): v1 `{did, time_us, kind: "commit",
//   commit: {operation, collection, rkey, record, cid}}`, and the form with
//   the commit's fields at the top level (`{did | repo, time_us, operation |
//   action, collection, rkey, record, cid}`). Created records of
//   app.bsky.feed.post, .repost, .like and app.bsky.graph.follow are events;
//   app.bsky.actor.profile records are profiles; deletes, updates of other
//   collections, identity and account events are loaded lines that add
//   nothing.
// - XRPC responses as saved (pretty-printed *.json, or one per line):
//   app.bsky.feed.getAuthorFeed and getTimeline (`{feed: [{post, reply?,
//   reason?}]}`), searchPosts (`{posts: [...]}`), getPostThread (`{thread:
//   {post, parent?, replies?}}`, walked whole); a bare feed item or post
//   view per line is read too.
//
// Mapping (docs/formats.md): a post is a post; a post with reply.parent a
// comment on the parent; a post embedding a record (app.bsky.embed.record,
// recordWithMedia) a post whose target is the quoted post; a repost record,
// or a feed item whose reason is reasonRepost, a share; a like a like; a
// follow a follow whose target account is the subject. Ids are AT URIs;
// target accounts are the DIDs in the target's URI. Every account's platform
// is "bluesky". Streaming; plain, .gz or .zst.
#ifndef LOCKSTEP_INGEST_BLUESKY_READER_H_
#define LOCKSTEP_INGEST_BLUESKY_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether the first bytes of a file look like Bluesky JSON.
bool IsBlueskyJson(std::string_view prefix);

Result<Dataset> LoadBluesky(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                            LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_BLUESKY_READER_H_
