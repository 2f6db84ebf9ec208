// The reader of YouTube Data API v3 responses: videos.list
// (youtube#videoListResponse), commentThreads.list
// (youtube#commentThreadListResponse) and comments.list
// (youtube#commentListResponse), saved as *.json (pretty-printed, one page
// or several) or one response or item per line.
//
// Mapping (docs/formats.md): a video is a post of its channel (snippet.
// channelId): text title and description, hashtags the video's tags,
// language defaultLanguage, counts as attributes. A top-level comment is a
// comment on the video (target account: the video's channel, when the thread
// names it); a reply (snippet.parentId) a comment on the top-level comment.
// Commenters are accounts by authorChannelId.value, with authorDisplayName
// as display name; channels of videos by channelId with channelTitle. Ids
// are the API's (video ids, comment ids). Every account's platform is
// "youtube". Streaming; plain, .gz or .zst.
#ifndef LOCKSTEP_INGEST_YOUTUBE_READER_H_
#define LOCKSTEP_INGEST_YOUTUBE_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether the first bytes of a file look like YouTube Data API responses.
bool IsYouTubeJson(std::string_view prefix);

Result<Dataset> LoadYouTube(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                            LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_YOUTUBE_READER_H_
