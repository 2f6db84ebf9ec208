// The reader of Meta Content Library exports: posts of Facebook Pages,
// groups, events and public profiles, and of Instagram accounts, as the
// Content Library API returns them (JSON: a page {"data": [...]}, an array of
// posts, or one post per line) or as CSV with the API's field names as
// headers, expanded fields in dot notation (post_owner.id, statistics.
// share_count).
//
// Mapping (docs/formats.md): a post is a post of its post_owner (account id
// post_owner.id; a Page is a page, a group a group); a post with
// shared_post_id is a share of that post. The surface it was posted to, when
// not the owner itself (a profile posting in a group), is kept as the event
// attributes surface_id, surface_type and surface_name. link_attachment.link
// is the post's url; every statistics.* field an event attribute. The
// platform is "instagram" for Instagram posts (a `platform` field, an owner
// or surface type naming Instagram, or like counts without reaction counts),
// else "facebook". Streaming; plain, .gz or .zst. The files of one load are
// all CSV or all JSON.
#ifndef LOCKSTEP_INGEST_META_CONTENT_LIBRARY_READER_H_
#define LOCKSTEP_INGEST_META_CONTENT_LIBRARY_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether the first bytes of a file look like Content Library API JSON.
bool IsMetaContentLibraryJson(std::string_view prefix);
// Whether a CSV header is a Content Library export's.
bool IsMetaContentLibraryHeader(const std::vector<std::string>& header);

Result<Dataset> LoadMetaContentLibrary(const std::vector<std::string>& files, const LoadOptions& options,
                                       ErrorSink* sink, LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_META_CONTENT_LIBRARY_READER_H_
