// The reader of CrowdTangle link-share exports, the table CooRnet works on
// (its ct_shares: id, is_orig, expanded, date, account.url, account.name,
// account.handle, account.subscriberCount, account.id, account.platform,
// account.platformId, account.verified). `NA` (R's missing value) is read as
// missing everywhere.
//
// Each row is one event of type share: the post `id` by the Page or Group
// sharing the link `expanded` (urls) at `date`. Rows are (post, link) pairs,
// so an id repeats when a post shares several links; ids are not required to
// be unique. Accounts are derived from the rows: account_id is
// account.platformId (the platform's id; account.id, CrowdTangle's own id, if
// it is missing), platform account.platform lower-cased, kind group when
// account.url holds /groups/ and page otherwise (account on Instagram),
// handle, display_name = account.name, followers = account.subscriberCount,
// taking the values of the account's latest row. is_orig, account.url,
// account.id and account.verified are kept as extra attributes.
#ifndef LOCKSTEP_INGEST_CROWDTANGLE_READER_H_
#define LOCKSTEP_INGEST_CROWDTANGLE_READER_H_

#include <string>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether a CSV header is that of a CrowdTangle shares export.
bool IsCrowdTangleHeader(const std::vector<std::string>& header);

// Loads the files in order into one data set.
Result<Dataset> LoadCrowdTangle(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                                LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_CROWDTANGLE_READER_H_
