// Detector: from a Dataset to suspected networks with evidence. A pipeline
// of uniform parts: every source of evidence is a Signal (signal.h) with a
// Role, fused in graph/ (EdgeFusion), then clustered, assembled, scored and
// described here.
//
// Stages (private methods, timed in Detection::stage_seconds):
//  1. layers    The co-action layers of `layers` (and co-text, whose input,
//               near-duplicate text clusters, the layer computes itself) as
//               CoActionLayerSignals (kFormsGroups), then the signals added
//               with AddSignal() (shared infrastructure, profile, rhythm,
//               ...), each run if Applicable(); the rest are listed as
//               skipped with the reason. All of them side by side on
//               `threads` workers with the score stage's tests that read
//               the whole data set (shared idle days, the claimed-zones
//               clock, observed tenure, the cohorts); the results do not
//               depend on how many.
//               Timed as "co-action" (until the last layer is done) and
//               "signals" (the rest).
//  2. fuse      EdgeFusion: one account graph; a pair's weight is the sum
//               over forming signals of weight x strength (0..1); joining
//               signals (shared infrastructure) give a separate join strength.
//  3. cluster   Leiden (modularity) through the igraph adapter.
//  4. assemble  Clusters joined by summed join strength >= merge_min_join are
//               merged (Meta's "three separate clusters ... one sprawling
//               network"); clusters smaller than min_network_size dropped;
//               (a core member with a negligible share of its group's
//               forming links, member_min_degree_share, is left out of
//               the network after scoring);
//               accounts on a group's infrastructure (join >= attach_min_join)
//               and Pages/Groups whose engagement comes mostly from one group
//               are attached.
//  5. score     Coordination: a group's internal link density against the
//               density of links between clusters (Poisson tail below
//               10^group_log10_p, strength by the excess). Inauthenticity:
//               the indicators each scoring or joining signal gives for the
//               members against the whole population, each discounted by
//               how far it alone proves inauthenticity (EvidenceWeight() of a
//               scoring signal, joining_signal_proof of a joining one).
//               confidence = coordination x (coordination_floor + (1 -
//               coordination_floor) x inauthenticity) x (1 -
//               declared_automation_discount x the share of members whose
//               profile declares automation); for a network mostly of Pages
//               (managed_pages_share) shared infrastructure proves no
//               inauthenticity (an agency's office); for a network of
//               established accounts (old, created years apart: fans,
//               activists) only what members show on their own does;
//               networks below
//               min_confidence are dropped (a newsroom coordinates but shows
//               no inauthenticity).
//  5b. link     A dropped group whose core is densely linked by co-action to
//               a reported network's core is reported with that network
//               (linked_min_density), as attached members, with a
//               "linked-cluster" indicator; the network's confidence is
//               unchanged.
//  6. describe  Activity, domains, hashtags, languages, countries, and the
//               operators' clock of each network reported.
//
// Shape: configure, AddSignal()s, Run() once, result(). The Dataset must
// outlive the detector. Run() uses `threads` workers in the layers stage,
// and runs the added signals side by side on as many.
#ifndef LOCKSTEP_DETECT_DETECTOR_H_
#define LOCKSTEP_DETECT_DETECTOR_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "lockstep/detect/claimed_zones_clock.h"
#include "lockstep/detect/creation_cohort.h"
#include "lockstep/detect/network.h"
#include "lockstep/detect/observed_tenure.h"
#include "lockstep/detect/shared_idle_days.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"
#include "lockstep/signals/near_duplicate.h"
#include "lockstep/signals/object_keys.h"
#include "lockstep/signals/signal.h"

namespace lockstep {

struct CoActionLayer {
  ObjectKeyKind kind;
  // Co-action windows, seconds; a pair's evidence is its best window (p x
  // the number of windows), each window with its own null (co_action_layer.h).
  std::vector<int64_t> windows_seconds;
  double weight = 1.0;     // weight of its edges (x strength) in the fused graph
  // One key per UTC day (CoActionLayerOptions::key_per_day): repeated bursts.
  bool key_per_day = false;
};

struct DetectorOptions {
  // Windows: a retweet ring shares within seconds; reply brigades and
  // paraphrasing operators act within minutes to hours of each other, so
  // replies are also tested over 6 h and links over 3 h (a push jittered
  // by tens of minutes; the null there expects far more chance
  // co-action). Shares, likes and hashtags keep one window. A hashtag is
  // one key per day: a storm's accounts post one tag within minutes on
  // several days weeks apart, which on one key would count once.
  std::vector<CoActionLayer> layers = {{ObjectKeyKind::kShare, {120}, 1.0},
                                       {ObjectKeyKind::kLink, {600, 3 * 3600}, 1.0},
                                       {ObjectKeyKind::kReply, {600, 6 * 3600}, 1.0},
                                       {ObjectKeyKind::kLike, {600}, 1.0},
                                       {ObjectKeyKind::kHashtag, {300}, 0.7, true}};
  // The co-text layer: near-duplicate texts (clustered with `text`) posted
  // within any of text_windows_seconds (1 min: copy-paste in lockstep; 1 h
  // and 6 h: the same text scheduled or paraphrased hours apart). Skipped
  // when the data has no text.
  bool co_text = true;
  std::vector<int64_t> text_windows_seconds = {60, 3600, 6 * 3600};
  double text_weight = 1.0;
  // Windows longer than long_window_seconds (seconds; hours, where every
  // busy key is co-acted on by chance) skip keys with more than
  // long_window_max_pairs_per_key action pairs within the window (pairs):
  // such keys cost work quadratic in their activity and their co-action is
  // expected by chance; their popularity still enters the null.
  int64_t long_window_seconds = 3600;
  uint64_t long_window_max_pairs_per_key = 50'000;
  NearDuplicateOptions text;
  // The text clusters co-text shares with the repeated-text-pushes signal
  // (ShareTextClusters, default_signals.h); null: each clusters on its own.
  std::shared_ptr<SharedTextClusters> text_clusters;
  double fdr = 0.01;
  // Co-action edges with p <= 10^edge_log10_p enter the graph as evidence;
  // one alone proves little, many joining one group of accounts do, and
  // groups are tested for density.
  double edge_log10_p = -1.5;
  // -log10 p at which a co-action edge's strength reaches 1 (p = 1e-20).
  double co_action_log10_p_full = 20;
  // A group counts as coordinated only if its internal co-action links are
  // this unlikely (log10 of the Poisson tail) at the density of links
  // between different clusters.
  double group_log10_p = -12.0;
  // Internal density at this multiple of the between-cluster density gives
  // full coordination strength; less scales it down.
  double full_coordination_excess = 10.0;
  uint64_t max_pairs_per_key = 2'000'000;
  // Joining links (shared infrastructure) weaker than this (strength 0..1)
  // neither merge nor attach.
  double other_signal_min_strength = 0.3;
  // Two clusters whose members' joining links sum to at least this
  // (strength units: two strong shared devices) are one network.
  double merge_min_join = 2.0;
  // A core member whose forming links inside its group sum (in fused weight)
  // to less than this share of the group's median core member's is left out
  // of the network reported (after the group is scored, so the group's
  // evidence does not depend on it): modularity puts an account with one
  // weak link in the only cluster it touches. On the wide simulator's tuning
  // seeds such pendants are ordinary accounts that engaged once with a
  // network's content: one link of weight 0.05-0.2 where the median member
  // has 80-175, a share under 0.001; planted members with the weakest share
  // sit at 0.0015 and above. 0 keeps every member.
  double member_min_degree_share = 0.001;
  // An outside account joined to a member at least this strongly (0..1) is
  // attached: it runs on the operation's infrastructure.
  double attach_min_join = 0.6;
  // A Page or Group is attached to a group that gives it at least this many
  // engagements and at least this share of all its engagements: the
  // operation runs it.
  uint32_t page_attach_min_engagements = 5;
  double page_attach_min_share = 0.5;
  double indicator_edge_strength = 0.5;  // links at least this strong count as evidence against a group
  // A signal's group (a creation burst, an operator pool) counts for a
  // network when at least group_overlap_min_accounts of its accounts, and
  // at least group_overlap_min_share of them, are members; it counts fully
  // when the overlap is group_overlap_full_share of the members.
  size_t group_overlap_min_accounts = 3;
  double group_overlap_min_share = 0.5;
  double group_overlap_full_share = 0.5;
  // Indicators weaker than this (0..1) are not reported and prove nothing.
  double min_indicator_strength = 0.05;
  // How far a joining signal's indicator alone proves inauthenticity (0..1);
  // a scoring signal's is its EvidenceWeight().
  double joining_signal_proof = 0.9;
  // Coordination with no sign of inauthenticity keeps this share of its
  // confidence (0..1): coordination alone is not enough, but it is evidence.
  double coordination_floor = 0.25;
  // A member's score is confidence x (member_score_floor + (1 - floor) x its
  // share of the coordination relative to the most linked member).
  double member_score_floor = 0.5;
  // How far members that declare automation in their profile (profile_signal.h,
  // DeclaresAutomation) discount a network's confidence (0..1): confidence x
  // (1 - this x their share). An openly declared bot service coordinates by
  // design but misrepresents nothing; at 1, a network of declared bots only
  // is never reported.
  double declared_automation_discount = 1.0;
  // A network whose members are at least this share (0..1) Pages or Groups
  // is managed Pages: its shared infrastructure proves no inauthenticity
  // (an agency runs real clients' Pages from one office, one card), only
  // persona evidence does. Above 1 turns the rule off.
  double managed_pages_share = 0.5;
  // Established accounts: a network whose core members (at least
  // established_min_known_share of them with a known creation date) had been
  // on the platform a median of at least established_min_age_days (days,
  // from creation to the account's first action in the data) and were
  // created over an interquartile range of at least
  // established_min_creation_iqr_days (days) is a community of real people
  // who found each other (fans, activists), not personas an operation
  // registered: an operation's accounts come from a creation burst, or are
  // bought or hijacked and then renamed and re-imaged. For such a network
  // only what each member shows on its own (account scores: no audience,
  // bought followers, a reused image, a rename) proves inauthenticity;
  // relations between members (shared devices: households; a signal's
  // groups: fans engaging with an artist abroad) do not. A year each: a
  // creation burst spans weeks, a community's accounts years.
  double established_min_age_days = 365;
  double established_min_creation_iqr_days = 365;
  double established_min_known_share = 0.5;
  // Established accounts without creation dates (observed_tenure.h): when
  // fewer than established_min_known_share of the core members have a
  // creation date, the rule is judged on what the actions show instead: at
  // least half the members were acting at their own rate when the collection
  // began and the median member has been seen acting for a year. A missing
  // date is unknown, never suspicious, but also never proof of age. false
  // turns the fallback off (`detect --no-observed-tenure`).
  bool established_by_tenure = true;
  ObservedTenureOptions tenure;
  // Claimed location against the clock (posting_rhythm.h, ClaimContradiction;
  // 0..1): an account whose quietest night in the country it claims holds at
  // least 2x (+2) the events of its quietest night anywhere misrepresents
  // where it is, which is evidence about the persona itself (an account
  // score, so it also counts for established accounts). 0.5: people living
  // where they say score about 0, a day shift eight hours away above 0.8 (the
  // IRA's HashtagGamers, "United States" on St Petersburg office hours).
  // Above 1 turns the clock off as evidence against a claim. Used by
  // DefaultSignals(), which passes it to RhythmOptions::claim_contradiction_min.
  double claim_contradiction_min = 0.5;
  // Shared idle days (shared_idle_days.h): a group whose core members are all
  // silent on many of the same days, far beyond independent accounts that
  // keep their own activity and weekly rhythm, runs on one operator's
  // calendar (the IRA's office shifts and holidays). idle_days_proof (0..1)
  // is how far that alone proves inauthenticity: 0.6, less than shared
  // infrastructure (0.9), since a shared calendar shows one operator, not
  // yet fake personas. Like shared infrastructure it proves nothing for
  // managed Pages or established accounts. 0 turns the test off.
  double idle_days_proof = 0.6;
  SharedIdleDaysOptions idle_days;
  // One clock behind claimed time zones (claimed_zones_clock.h): a group
  // whose members claim countries at least 5 hours apart yet share one daily
  // cycle (their zones' UTC profiles line up at lag 0, not at the claimed
  // offset difference, against a seeded permutation null of the claims)
  // misrepresents where its members are: people living where they say keep
  // their place's day. claimed_clock_proof (0..1) is how far that alone
  // proves inauthenticity: 0.8, more than shared idle days (0.6), which show
  // one operator only, since this shows claims that are false, and less than
  // the posting rhythm's own contradicted claims (0.9), since an expatriate
  // naming home is a false claim without deceit. Relational, so like shared
  // idle days it proves nothing for managed Pages or established accounts.
  // 0 turns the test off. Its seed is `seed`.
  double claimed_clock_proof = 0.8;
  ClaimedZonesClockOptions claimed_clock;
  // Members registered together (creation_cohort.h): a group whose members'
  // creation dates crowd into one span far beyond what accounts drawn from
  // the population show (three in four of them within weeks or months,
  // where the data set's accounts were registered over years) were created
  // for the purpose, as an operation registers its personas before it
  // starts. creation_cohort_proof (0..1) is how far that alone proves
  // inauthenticity: 0.7, between shared idle days (0.6, one operator) and
  // one clock behind claimed zones (0.8, false claims), since it shows the
  // accounts were made together, not yet that they lie, and real people do
  // sometimes register together for one cause. Relational, so like shared
  // idle days it proves nothing for managed Pages or established accounts.
  // It needs creation dates, so it is the persona evidence left when an
  // export lacks infrastructure, not when it lacks creation dates. 0 turns
  // the test off.
  double creation_cohort_proof = 0.7;
  CreationCohortOptions creation_cohort;
  // The same test on the members' first actions in the data (of accounts
  // new to it, judged by `tenure` below), for a group whose creation dates
  // are missing (the creation-date test does not apply): an indicator
  // "first-action-cohort". Weaker than registration, since people also
  // start posting on a topic together: first_action_cohort_proof (0..1) is
  // how far it alone proves inauthenticity. 0 turns it off.
  double first_action_cohort_proof = 0.5;
  // Linked clusters (stage 5b). A group that falls below min_confidence on
  // its own but whose core members are linked by co-action to the core of a
  // network reported on its own evidence, at a density of at least
  // linked_min_density (share of the pairs between the two cores) and with
  // at least linked_min_links_per_member such links per member of the
  // group, is reported as part of that network: one operation's sub-teams
  // (an IRA Russian-language team in two clusters; a Fearmonger team
  // pushing the RightTroll team's hashtags), which Leiden splits because
  // each is denser inside. Clusters of established accounts, of managed
  // Pages and of declared automation are never joined, nor clusters without
  // coordination of their own. 0 turns it off.
  double linked_min_density = 0.01;
  double linked_min_links_per_member = 0.5;
  double leiden_resolution = 1.0;
  size_t min_network_size = 3;
  double min_confidence = 0.6;
  int threads = 2;
  uint64_t seed = 42;
  // Called at the start of each stage with its name.
  std::function<void(std::string_view)> progress;
};

class Detector {
 public:
  Detector(const Dataset& ds, DetectorOptions options);
  ~Detector();

  // A signal to fuse and to score networks with, by its Role(). Takes ownership.
  void AddSignal(std::unique_ptr<Signal> signal);

  Status Run();
  // Valid after a successful Run().
  const Detection& result() const { return result_; }

 private:
  struct Impl;  // the state passed between stages
  void MakeLayers(Impl& run);
  // The tests of groups that read the whole data set (idle days, claimed
  // clock, tenure, cohorts), made to run with the signals.
  void MakeGroupTests(Impl& run);
  // The layers, the group tests and the added signals, side by side;
  // `layers_done`: when the last layer was done.
  Status RunSignals(Impl& run, std::chrono::steady_clock::time_point* layers_done);
  Status Fuse(Impl& run);
  Status Cluster(Impl& run);
  void Assemble(Impl& run);
  void Score(Impl& run);
  void Link(Impl& run);
  // Whether a group's core members are established accounts (see
  // DetectorOptions::established_min_age_days), given each account's first action.
  // Without enough creation dates, from the observed tenure (by_tenure).
  struct EstablishedAccounts {
    bool holds = false;
    size_t known = 0;  // core members with a creation date
    double creation_iqr_days = 0, median_age_days = 0;
    bool by_tenure = false;
    TenureResult tenure;
  };
  EstablishedAccounts EstablishedAmong(const std::vector<AccountIndex>& core, const ObservedTenure& tenure) const;
  void Describe(Impl& run);

  const Dataset& ds_;
  DetectorOptions options_;
  std::vector<std::unique_ptr<Signal>> signals_;
  Detection result_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_DETECT_DETECTOR_H_
