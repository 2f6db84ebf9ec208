// Scenarios: an authentic population plus planted operations, each family
// with a small parameter struct drawn per seed. Modelled on public takedown
// reports (Meta's monthly CIB reports, e.g. March 2021; Twitter's
// information-operations releases).
//
// Day numbers count from the scenario's start (UTC midnight); every "per
// day" rate is per account per active day unless said otherwise.
#ifndef LOCKSTEP_SIM_SCENARIO_H_
#define LOCKSTEP_SIM_SCENARIO_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lockstep/model/status.h"
#include "lockstep/sim/world.h"

namespace lockstep {

enum class Family : uint8_t { kTrollFarm = 0, kAutomated, kHashtagStorm, kLikeFarm, kEarlyStage, kCamouflaged };
inline constexpr int kFamilies = 6;
std::string_view Name(Family f);  // "troll_farm", "automated", ...
bool Parse(std::string_view s, Family* out);

// The authentic population, including its hard negatives.
struct AuthenticParams {
  int accounts = 20000;              // people, pages and groups (scale 1)
  double events_per_day = 820;       // ordinary activity, all accounts together
  double activity_sigma = 1.7;       // log-normal spread of per-account activity
  int journalists = 6;               // post up to ~100 times on busy news days
  int newsrooms = 3;                 // outlets whose staff share the outlet's links in office hours
  int activist_campaigns = 2;        // real campaigns tweeting a hashtag at an agreed time
  int viral_cascades = 14;           // posts shared by thousands within minutes
  double cascade_fraction_min = 0.07, cascade_fraction_max = 0.14;  // of people, per cascade
  int trending_hashtags = 40;        // hashtags picked up by many unrelated users for a day or two
  int universities = 3;              // campus NATs shared by hundreds of students
  int offices = 12;                  // office NATs shared by tens of employees
  double mobile_fraction = 0.4;      // people behind a carrier's CGNAT pool
  int users_per_cgnat_ip = 1500;     // CGNAT pool size = mobile users / this
  double family_fraction = 0.04;     // people sharing a family device (families of 2 to 4)
  double default_avatar_fraction = 0.05;  // people keeping the platform's default picture
  double rename_fraction = 0.03;     // people who change their display name once
};

// Authentic look-alikes of coordinated operations (issue 16, item 4): real
// organisations and communities that act together. They are labelled
// authentic; truth.json and lookalikes.csv name each group and its kind so an
// evaluation can attribute a false network to the kind it came from.
// Counts are per data set; 0 leaves the kind out (scenario mix does).
struct LookAlikeParams {
  int agencies = 0;            // marketing agencies running real clients' Pages from one office
  int volunteer_teams = 0;     // campaign volunteers sharing the campaign's posts
  int fan_communities = 0;     // fans streaming and retweeting an artist at agreed times
  int bot_services = 0;        // openly declared bots (alerts, feeds) run from one server
};

// How a planted network coordinates, drawn the same way for every family in
// scenario wide (issue 16, item 5). When `drawn` is false each family keeps
// its own defaults (scenario mix) and only lag_seconds is filled in, from
// the family's parameters, for the evaluation.
enum class InfraMode : uint8_t { kExact = 0, kSubnet, kNone };
std::string_view Name(InfraMode m);  // "exact", "subnet", "none"
struct CoordinationParams {
  bool drawn = false;
  double lag_seconds = 0;        // mean delay between coordinated copies of one item
  double organic_share = 0;      // of each account's events that are ordinary activity, [0, 0.85]
  double paraphrase_share = 0;   // of coordinated texts paraphrased rather than copied, [0, 1]
  // exact: the family's shared devices and IPs; subnet: each account its own
  // device and IP, the IPs in a few /24s of one hosting provider; none: each
  // account its own residential IP and device.
  InfraMode infra = InfraMode::kExact;
};

// Which fields the export keeps, as in real releases (FiveThirtyEight's IRA
// tweets have no retweeted-post id, no IPs, minute-resolution times). Per
// data set.
struct ExportParams {
  bool share_target_ids = true;  // false: shares lose target_id and target_account_id; text "RT @handle: ..." kept
  bool infrastructure = true;    // false: infra.csv has a header and no rows
  bool creation_dates = true;    // false: accounts.csv created_at empty
  bool seconds = true;           // false: event times truncated to the minute
};

// A troll farm: operators in one time zone working shifts (morning spike,
// lunch dip, evening spike, night pause, 7 days a week) run more accounts
// than there are operators, on shared devices and IPs.
struct TrollFarmParams {
  int accounts = 100;                // including pages, groups and real members
  int operators = 30;
  int pages = 5, groups = 3;
  int real_members = 3;              // real employees' accounts on the farm's infrastructure
  int origin = 0, target = 1;        // Countries() indices: where operators sit, whom they claim to be
  std::vector<std::string> domains;  // affiliated: the first overt, the rest posing as independent
  int start_day = 30;                // first active day; created in a burst just before
  int created_burst_days = 20;
  int peak_days = 330, lull_days = 180;
  double lull_level = 0.08, resurgence_level = 0.6;  // activity relative to the peak year
  double events_per_account_day = 1.5;
  int push_accounts_min = 3, push_accounts_max = 12;  // accounts posting one copied text
  double push_spread_minutes = 6;    // mean delay between copies
  int max_renames = 6;
  int devices = 40, ips = 6;         // shared infrastructure pool
};

// A bot network: superhuman posting around the clock, near-simultaneous
// retweets, accounts created within weeks, few profile images, follower spikes.
struct AutomatedParams {
  int accounts = 100;
  int start_day = 200, active_days = 60;
  int created_window_days = 21;
  double events_per_account_day = 100;   // around the clock
  int retweeters_min = 3, retweeters_max = 25;
  double retweet_delay_seconds = 12;     // mean delay of a retweet after the post
  int images = 3;                         // distinct profile images
  int origin = 0, target = 0;
  std::vector<std::string> domains;
  std::vector<std::string> hashtags;
};

// Fake accounts seed a hashtag at a scheduled time; real users pick it up.
struct HashtagStormParams {
  int accounts = 100;
  int first_day = 100, span_days = 120;
  int storms = 5;
  double seed_window_seconds = 180;      // fakes post within this of the scheduled time
  double pickup_fraction = 0.01;         // of authentic people picking each hashtag up
  int gap_days = 0;                      // > 0: storms exactly this many days apart (else random days)
  int origin = 0, target = 0;
  std::vector<std::string> hashtags;     // one per storm
};

// Engagement sold from another country to one customer Page.
struct LikeFarmParams {
  int accounts = 100;
  int origin = 0, target = 1;
  int start_day = 300, days = 120;
  double like_fraction = 0.6;            // of the farm liking each customer post
  double like_delay_minutes = 20;
  int accounts_per_device = 10;
};

// A network a few days old, with ad spend before an election.
struct EarlyStageParams {
  int accounts = 40;
  int election_day = 1000;
  int age_days = 6;                      // created this many days before going live
  int live_days = 5;                     // active days up to the election
  double events_per_account_day = 6;
  double spread_seconds = 240;           // mean delay between copies in a push
  double outlet_comment_share = 0;       // of pushes that are comments on local outlets' posts
  double ad_spend_per_day = 300;         // per advertising page, in the target's currency
  int advertisers = 4;
  int origin = 0, target = 0;
  std::vector<std::string> domains;
  std::vector<std::string> hashtags;
};

// A network that mixes organic-looking activity into its coordination and
// jitters its timing by minutes.
struct CamouflagedParams {
  int accounts = 100;
  int start_day = 100, days = 500;
  double events_per_account_day = 1.2;
  double organic_fraction = 0.6;         // of its events that look organic
  double jitter_minutes = 25;            // spread of coordinated posts around the push time
  int push_accounts_min = 3, push_accounts_max = 8;
  double paraphrase = 0.35;              // fraction of words changed between copies
  int origin = 0, target = 1;
  double operator_utc_offset_hours = 0;
  std::vector<std::string> domains;
};

using OperationParams = std::variant<TrollFarmParams, AutomatedParams, HashtagStormParams, LikeFarmParams,
                                     EarlyStageParams, CamouflagedParams>;

struct OperationSpec {
  Family family = Family::kTrollFarm;
  std::string network_id;  // e.g. "troll_farm_1"
  OperationParams params;
  CoordinationParams coordination;
};

// The mean coordination lag of an operation in seconds, from its family's
// parameters (the delay between copies, retweets, likes or storm posts).
double CoordinationLagSeconds(const OperationSpec& op);

struct ScenarioSpec {
  std::string name;
  uint64_t seed = 0;
  double scale = 1;
  int64_t start = 0;   // UTC midnight of day 0
  int days = 1096;     // about three years
  AuthenticParams authentic;
  LookAlikeParams lookalikes;
  ExportParams export_fields;
  std::vector<OperationSpec> operations;
};

// The scenario names DrawScenario accepts: troll_farm, automated,
// hashtag_storm, like_farm, early_stage, camouflaged (each one operation of
// that family), authentic (none), mix (all six), wide (every family one to
// three times with sizes 10 to 500, lags from seconds to 12 hours, organic
// share 0 to 85%, paraphrase, infrastructure exact/subnet/none and fields
// missing as in real exports, plus every kind of authentic look-alike; the
// drawn parameters are in truth.json and truth_networks.csv).
std::vector<std::string> ScenarioNames();

// Draws the scenario's parameters from `seed`: sizes from 15 to 400, time
// zones, countries, rates. `scale` > 0 multiplies the authentic population
// and its activity (planted networks do not scale). kInvalidArgument for an
// unknown name or a scale outside (0, 1000].
Result<ScenarioSpec> DrawScenario(std::string_view name, uint64_t seed, double scale);

// The parameters of one family drawn from `rng`, for a run of `days` days.
OperationParams DrawOperation(Family family, Rng& rng, int days);

// The components that realise the spec: the authentic population first, then
// each operation in order.
std::vector<std::unique_ptr<Component>> BuildComponents(const ScenarioSpec& spec);
std::unique_ptr<Component> MakeAuthenticPopulation(const AuthenticParams& params);
std::unique_ptr<Component> MakeOperation(const OperationSpec& spec);
std::unique_ptr<Component> MakeLookAlikes(const LookAlikeParams& params);

}  // namespace lockstep

#endif  // LOCKSTEP_SIM_SCENARIO_H_
