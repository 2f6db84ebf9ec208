// Several data sets as one: the sources of one investigation (a Telegram
// export, a Content Library export, a Twitter archive) loaded side by side.
#ifndef LOCKSTEP_MODEL_MERGE_H_
#define LOCKSTEP_MODEL_MERGE_H_

#include <string>
#include <vector>

#include "lockstep/model/dataset.h"

namespace lockstep {

struct MergeSource {
  Dataset dataset;
  // Prefix of this source's account, event and target ids in the merged set
  // ("telegram" makes "user101" "telegram:user101"); "" keeps them as they
  // are. Sources with the same namespace share ids: the same id is the same
  // account or post. URLs, hashtags, mentions and texts are never prefixed,
  // so content shared across platforms stays one key.
  std::string id_namespace;
};

// Appends the sources, in order, into one data set: accounts of every source
// first (an account met again in a later source of the same namespace keeps
// its first profile), then target-only ids; events sorted by time (stably),
// with their extras; infrastructure, profile changes, follower counts and
// ads remapped. The merged events are complete(): a source loaded with
// action_columns_only gives its events empty text, lists and language.
// O(total size).
Dataset MergeDatasets(std::vector<MergeSource> sources);

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_MERGE_H_
