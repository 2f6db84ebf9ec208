// The files detection writes into its output directory. Both are contracts
// other tools read:
//   assignments.csv  account_id,network_id,score   one row per asset placed in
//                    a suspected network, and nothing else (lockstep eval reads it)
//   networks.json    {"networks": [...]} where each entry has at least
//                    network_id (as in assignments.csv), confidence (0..1),
//                    size, utc_offset (hours or null), tier ("CIB"|"FGI") and
//                    indicators (objects with signal, strength, evidence)
#ifndef LOCKSTEP_DETECT_OUTPUT_H_
#define LOCKSTEP_DETECT_OUTPUT_H_

#include <string>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/json_writer.h"
#include "lockstep/model/status.h"

namespace lockstep {

Status WriteAssignments(const Dataset& ds, const Detection& detection, const std::string& path);

// The "signals_run" and "signals_skipped" members of a summary object, as
// networks.json and the report's JSON both carry them.
void WriteSignalsRan(JsonWriter& w, const Detection& detection);

// The JSON text of networks.json.
std::string NetworksJson(const Dataset& ds, const Detection& detection);
Status WriteNetworksJson(const Dataset& ds, const Detection& detection, const std::string& path);

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_OUTPUT_H_
