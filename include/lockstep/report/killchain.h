// The kill-chain export: a detected network's indicators as the table Meta
// publishes with its takedowns (Tactic, Technique, Procedure, Indicator),
// filled only from the evidence lockstep holds. Every row cites a procedure
// of the Online Operations Kill Chain (KillChainProcedures()); a procedure
// without evidence gets no row. See docs/indicators.md.
#ifndef LOCKSTEP_REPORT_KILLCHAIN_H_
#define LOCKSTEP_REPORT_KILLCHAIN_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

// One procedure of the Online Operations Kill Chain as Meta publishes it
// (facebook/threat-research, Online_Operations_Killchain-TTPs.csv, MIT
// licence, Copyright (c) Meta Platforms, Inc. and its affiliates): the
// procedures this exporter can cite, with their tactic and technique.
struct KillChainProcedure {
  std::string_view id;         // "0.9.1"
  std::string_view tactic;     // "0. Acquiring assets"
  std::string_view technique;  // "0.9 Acquiring social media accounts"
  std::string_view procedure;  // "0.9.1 Acquiring Facebook assets"
};
std::span<const KillChainProcedure> KillChainProcedures();
// The procedure with this id; nullptr if the exporter does not know it.
const KillChainProcedure* FindKillChainProcedure(std::string_view id);

struct KillChainRow {
  const KillChainProcedure* procedure = nullptr;
  std::string indicator;  // as Meta writes it: "37 Facebook accounts", "site[.]com"
  std::string evidence;   // what in the data supports it (the Notes column)
};

struct KillChainOptions {
  size_t max_hashtags = 20;         // hashtag rows, most used first
  size_t max_domains = 50;          // domain rows, most linked first
  double min_domain_share = 0.5;    // of all links to a domain in the data that come from the network
  uint64_t min_domain_links = 2;    // links from the network to a domain
  uint64_t min_hashtag_uses = 2;
  // 9.1.1 renamed personas: members renamed at least min_renames times (the
  // first rename is ordinary, ProfileSignal), at least min_renamed_accounts of them.
  uint32_t min_renames = 2;
  size_t min_renamed_accounts = 1;
  // 1.2.8 claimed location unlike the actual one: members whose claim the
  // posting-rhythm signal contradicts (LocationMismatch), per claimed country.
  size_t min_mismatched_accounts = 2;
  // 7.3.3 comment raids: comments (replies) by members on one news outlet's
  // posts, from at least min_outlet_commenters members; FindNewsOutlets.
  uint64_t min_outlet_comments = 3;
  size_t min_outlet_commenters = 2;
  uint64_t min_outlet_posts = 5;    // own posts linking to its site, for an account to be an outlet
  size_t max_outlets = 10;          // outlet rows, most commented first
};

// A news outlet among the accounts of a data set. The data set has no
// notion of one, so: an account whose accounts-file column category or
// page_category (CrowdTangle's pageCategory) names news or media; or one
// that publishes a web site (at least options.min_outlet_posts of its own
// posts link to one domain that is not a social platform, and that domain
// has at least half of its links) and whose description, display name,
// handle or that domain names news ("news", "daily", "herald", "times",
// "gazette", "tribune", "journal", "press", "courier", "ledger",
// "chronicle", "noticias", "nachrichten", "новости", ...).
struct NewsOutlet {
  AccountIndex account = 0;
  StringId domain = kNoString;        // in ds.domains: the site it publishes (kNoString if known by category)
  uint64_t site_links = 0, links = 0; // its posts' links to the site, and all its posts' links
  std::string category;               // the category column's value, if that made it one
};
// The outlets among `accounts` (accounts of ds; others are ignored), in the
// order given. O(events + accounts).
std::vector<NewsOutlet> FindNewsOutlets(const Dataset& ds, std::span<const AccountIndex> accounts,
                                        const KillChainOptions& options = {});

// A domain the network pushes: at least options.min_domain_links of its
// links come from members and they are at least options.min_domain_share of
// all links to it in the data; social platforms excluded. Most linked first,
// at most options.max_domains. The kill chain's 0.6.2 rows and the STIX
// export's indicators both come from here.
struct PushedDomain {
  StringId domain = kNoString;  // in ds.domains
  uint64_t network_links = 0, all_links = 0;
};
std::vector<PushedDomain> PushedDomains(const Dataset& ds, const Network& network, const KillChainOptions& options = {});

// The kill-chain rows of the networks of one data set (the data set the
// detection ran on). The rename and location rows need the profile and
// posting-rhythm signals over the whole data set; the builder runs each at
// most once, at the first network that needs it, so exporting every network
// of a run costs those signals once rather than once per network.
//
//   KillChainBuilder kill_chain(ds, options);
//   for (const Network& n : networks) rows = kill_chain.Build(n);
//
// Not thread-safe. ds must outlive the builder.
class PostingRhythmSignal;
class ProfileSignal;
class KillChainBuilder {
 public:
  explicit KillChainBuilder(const Dataset& ds, KillChainOptions options = {});
  ~KillChainBuilder();
  KillChainBuilder(const KillChainBuilder&) = delete;
  KillChainBuilder& operator=(const KillChainBuilder&) = delete;

  // The rows `network` supports, in kill-chain order. O(events + accounts)
  // per network, plus each signal's cost the first time it is needed.
  std::vector<KillChainRow> Build(const Network& network);

  const Dataset& dataset() const { return ds_; }
  const KillChainOptions& options() const { return options_; }
  // How many times a signal has been run over the data set (at most 2).
  int signal_runs() const { return signal_runs_; }

 private:
  const PostingRhythmSignal* Rhythm();  // nullptr if it failed
  const ProfileSignal* Profile();       // nullptr if it failed

  const Dataset& ds_;
  KillChainOptions options_;
  std::unique_ptr<PostingRhythmSignal> rhythm_;
  std::unique_ptr<ProfileSignal> profile_;
  bool rhythm_tried_ = false, profile_tried_ = false;
  int signal_runs_ = 0;
};

// The rows `network` supports in `ds`: one network's KillChainBuilder::Build.
// To export several networks of one data set, use one KillChainBuilder.
std::vector<KillChainRow> BuildKillChain(const Dataset& ds, const Network& network, const KillChainOptions& options = {});

// Writes rows as CSV: Tactic,Technique,Procedure,Indicator,Notes. kIoError
// if the file cannot be written.
Status WriteKillChainCsv(const std::vector<KillChainRow>& rows, const std::string& path);

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_KILLCHAIN_H_
