// The generic reader: any CSV or JSON Lines file (plain, .gz or .zst) whose
// columns are mapped onto lockstep's fields by the user, so that an odd
// export never needs a converter:
//
//   lockstep ingest posts.csv --map account_id=user,time=created_at,text=body
//
// LoadOptions::column_map holds (field, column) pairs. A field is an event
// field of FORMAT.md (event_id, account_id, time, type, target_id,
// target_account_id, text, urls, hashtags, mentions, language, client,
// target_country) or an account field (platform, kind, handle, display_name,
// account_created_at, claimed_location, country, account_language, followers,
// following, profile_image_hash, description). A column written "=VALUE"
// is a constant (--map type==share,platform==twitter). A field not mapped is
// read from the column of its own name, if the file has one; type defaults to
// post. In JSON Lines a column may be a dotted path into nested objects
// (user.id_str). Columns neither mapped nor named like a field are kept as
// event extra attributes.
//
// Accounts are derived from the rows, each with the account fields of its
// latest row. Row checks are FORMAT.md's: account_id and time required and
// well-formed, type, counts, hash and countries valid, event_id unique.
#ifndef LOCKSTEP_INGEST_MAPPED_READER_H_
#define LOCKSTEP_INGEST_MAPPED_READER_H_

#include <string>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// The fields --map accepts, in FORMAT.md's order.
const std::vector<std::string>& MappableFields();

// Loads the files in order with options.column_map. An unknown field name or
// a field mapped twice is kInvalidArgument.
Result<Dataset> LoadMapped(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                           LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_MAPPED_READER_H_
