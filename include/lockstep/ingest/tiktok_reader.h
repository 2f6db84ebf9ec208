// The reader of TikTok Research API results: video query results
// (/v2/research/video/query/: {"data": {"videos": [...], "cursor", "has_more",
// "search_id"}, "error": {...}}) and comment query results
// (/v2/research/video/comment/list/: {"data": {"comments": [...]}}), saved as
// *.json (one response or several, or an array of them) or one response,
// video or comment per line.
//
// Mapping (docs/formats.md): a video is a post of its creator, whose account
// id is the username (the API gives no user id); text video_description,
// hashtags hashtag_names, mentions video_mention_list, counts as attributes.
// A comment is a comment on its parent comment (parent_comment_id) or, for a
// top-level comment (parent_comment_id absent or equal to video_id), on the
// video. The comment API names no author: each comment is attributed to an
// account of its own, "comment:<comment id>", marked author_unknown, so that
// comments never look coordinated through a made-up shared author. Every
// account's platform is "tiktok". Streaming; plain, .gz or .zst.
#ifndef LOCKSTEP_INGEST_TIKTOK_READER_H_
#define LOCKSTEP_INGEST_TIKTOK_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether the first bytes of a file look like TikTok Research API results.
bool IsTikTokJson(std::string_view prefix);

Result<Dataset> LoadTikTok(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                           LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_TIKTOK_READER_H_
