// The STIX 2.1 export: a detected network as a STIX bundle for threat-intel
// platforms (OpenCTI, MISP, TAXII servers). See docs/indicators.md.
//
//   identity         lockstep, the producer (created_by_ref of every SDO/SRO)
//   intrusion-set    the network: name, tier, confidence, first/last seen
//   attack-pattern   each Online Operations Kill Chain procedure its evidence
//                    supports (BuildKillChain), with a "uses" relationship
//   indicator        each domain the network pushes (PushedDomains) and each
//                    URL on those domains members linked, as STIX patterns
//                    [domain-name:value = '...'], [url:value = '...'], with an
//                    "indicates" relationship to the intrusion-set
//   observed-data    the member accounts as user-account SCOs; accounts under
//                    the public-follower threshold (or with an unknown count)
//                    carry only HashedId(salt, account id), as in the
//                    disclosure archive, never their id, handle or name
//   report           referencing every SDO and SRO above
//
// Ids are UUIDv5, so the same inputs give a byte-identical file: SDOs and
// SROs from lockstep's namespace and "<network id>|<type>|<value>", SCOs
// from STIX's SCO namespace and their id-contributing properties, as the
// specification says. Times are the network's first and last activity.
#ifndef LOCKSTEP_REPORT_STIX_H_
#define LOCKSTEP_REPORT_STIX_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/report/disclosure.h"
#include "lockstep/report/killchain.h"

namespace lockstep {

struct StixOptions {
  DisclosureOptions accounts;  // salt (must not be empty) and public-follower threshold
  KillChainOptions evidence;   // which domains count as pushed
  size_t max_urls = 200;       // URL indicators, most linked first
};

// A UUID version 5 (RFC 9562: SHA-1 of namespace + name) as
// "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx"; `name_space` is a UUID in that form.
std::string UuidV5(std::string_view name_space, std::string_view name);

// The bundle as JSON text. kInvalidArgument for an empty salt or a negative
// threshold. `kill_chain`, if given, is a builder over ds shared by the
// bundles of several networks, so that its signals run once (its options
// are used instead of options.evidence for the procedures); nullptr builds
// one for this network.
Result<std::string> BuildStixBundle(const Dataset& ds, const Network& network, const StixOptions& options,
                                    KillChainBuilder* kill_chain = nullptr);

// BuildStixBundle written to `path`; kIoError if it cannot be written.
Status WriteStixBundle(const Dataset& ds, const Network& network, const StixOptions& options, const std::string& path,
                       KillChainBuilder* kill_chain = nullptr);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_STIX_H_
