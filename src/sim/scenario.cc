#include "lockstep/sim/scenario.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace lockstep {

namespace {

constexpr std::string_view kFamilyNames[kFamilies] = {"troll_farm", "automated", "hashtag_storm",
                                                      "like_farm",  "early_stage", "camouflaged"};

// Countries operations are run from, and countries they aim at.
constexpr const char* kOrigins[] = {"RU", "IR", "EG", "NG", "PK", "IN", "PH", "BD", "VN", "TR", "ID", "MX", "BR", "UA"};
constexpr const char* kTargets[] = {"US", "GB", "DE", "FR", "UA", "BR", "IN", "NG", "ES", "AU", "MX", "TR"};
constexpr const char* kFarmOrigins[] = {"BD", "VN", "PH", "EG", "PK", "ID", "NG"};
constexpr const char* kFarmTargets[] = {"US", "GB", "DE", "FR", "AU", "ES"};

int Draw(Rng& r, std::span<const char* const> codes) { return CountryIndex(codes[r.Below(codes.size())]); }

int DrawOther(Rng& r, std::span<const char* const> codes, int not_this) {
  for (;;) {
    const int c = Draw(r, codes);
    if (c != not_this) return c;
  }
}

// Log-uniform network size in [15, 400]: small networks are more common.
int DrawSize(Rng& r) { return static_cast<int>(std::round(std::exp(r.Between(std::log(15.0), std::log(400.0))))); }

std::vector<std::string> Domains(Rng& r, int n) {
  static constexpr const char* kA[] = {"truth", "voice", "free", "patriot", "daily", "insight", "independent",
                                       "observer", "frontier", "herald", "pulse", "echo", "citizen", "real"};
  static constexpr const char* kB[] = {"news", "report", "today", "times", "post", "wire", "journal", "view"};
  static constexpr const char* kTld[] = {".net", ".info", ".com", ".org", ".news", ".online"};
  std::vector<std::string> d;
  for (int i = 0; i < n; ++i)
    d.push_back(fmt::format("{}{}{}{}", kA[r.Below(std::size(kA))], kB[r.Below(std::size(kB))], r.Below(90) + 10,
                            kTld[r.Below(std::size(kTld))]));
  return d;
}

std::vector<std::string> Hashtags(Rng& r, int n) {
  static constexpr const char* kW[] = {"Stand", "With", "Wake", "Up", "Stop", "Truth", "Now", "Free", "Our",
                                       "Nation", "Save", "Real", "Voice", "Never", "Again", "Shame", "Out"};
  std::vector<std::string> t;
  for (int i = 0; i < n; ++i)
    t.push_back(fmt::format("{}{}{}", kW[r.Below(std::size(kW))], kW[r.Below(std::size(kW))], r.Below(100)));
  return t;
}

}  // namespace

std::string_view Name(Family f) { return kFamilyNames[static_cast<int>(f)]; }

bool Parse(std::string_view s, Family* out) {
  for (int i = 0; i < kFamilies; ++i)
    if (s == kFamilyNames[i]) {
      *out = static_cast<Family>(i);
      return true;
    }
  return false;
}

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (std::string_view f : kFamilyNames) names.emplace_back(f);
  names.emplace_back("authentic");
  names.emplace_back("mix");
  names.emplace_back("wide");
  return names;
}

namespace {

OperationParams DrawSized(Family family, Rng& r, int days, int size) {
  switch (family) {
    case Family::kTrollFarm: {
      TrollFarmParams p;
      p.accounts = size;
      p.operators = std::max(3, static_cast<int>(size * r.Between(0.15, 0.5)));
      p.pages = 1 + size / 30;
      p.groups = 1 + size / 60;
      p.real_members = static_cast<int>(r.Range(2, 5));
      p.origin = Draw(r, kOrigins);
      p.target = DrawOther(r, kTargets, p.origin);
      p.domains = Domains(r, static_cast<int>(r.Range(3, 6)));
      p.start_day = static_cast<int>(r.Range(20, std::max(21, days / 5)));
      p.created_burst_days = static_cast<int>(r.Range(7, 30));
      p.peak_days = static_cast<int>(r.Range(250, 400));
      p.lull_days = static_cast<int>(r.Range(90, 240));
      p.lull_level = r.Between(0.05, 0.15);
      p.resurgence_level = r.Between(0.4, 0.8);
      p.push_spread_minutes = r.Between(2, 8);
      p.max_renames = static_cast<int>(r.Range(3, 8));
      p.devices = std::max(3, static_cast<int>(p.operators * r.Between(1.0, 1.6)));
      p.ips = static_cast<int>(r.Range(2, 6));
      const double effective = p.peak_days + p.lull_days * p.lull_level +
                               std::max(0, days - p.start_day - p.peak_days - p.lull_days) * p.resurgence_level;
      p.events_per_account_day = std::min(r.Between(1.0, 3.0), 120000.0 / (size * effective));
      return p;
    }
    case Family::kAutomated: {
      AutomatedParams p;
      p.accounts = size;
      p.origin = Draw(r, kOrigins);
      p.target = DrawOther(r, kTargets, p.origin);
      p.events_per_account_day = r.Between(72, 250);
      p.active_days = std::clamp(static_cast<int>(120000.0 / (size * p.events_per_account_day)), 5, 120);
      p.start_day = static_cast<int>(r.Range(60, std::max(61, days - p.active_days - 10)));
      p.created_window_days = static_cast<int>(r.Range(7, 35));
      p.retweeters_min = static_cast<int>(std::min<int64_t>(r.Range(2, 5), size - 1));
      p.retweeters_max = static_cast<int>(std::min<int64_t>(r.Range(10, 30), size - 1));
      p.retweet_delay_seconds = r.Between(3, 20);
      p.images = static_cast<int>(r.Range(2, 5));
      p.domains = Domains(r, static_cast<int>(r.Range(2, 3)));
      p.hashtags = Hashtags(r, static_cast<int>(r.Range(2, 4)));
      return p;
    }
    case Family::kHashtagStorm: {
      HashtagStormParams p;
      p.accounts = size;
      p.origin = Draw(r, kOrigins);
      p.target = DrawOther(r, kTargets, p.origin);
      p.span_days = static_cast<int>(r.Range(30, 150));
      p.first_day = static_cast<int>(r.Range(120, std::max(121, days - p.span_days - 40)));
      p.storms = static_cast<int>(r.Range(3, 8));
      p.seed_window_seconds = r.Between(60, 300);
      p.pickup_fraction = r.Between(0.003, 0.015);
      p.hashtags = Hashtags(r, p.storms);
      return p;
    }
    case Family::kLikeFarm: {
      LikeFarmParams p;
      p.accounts = size;
      p.origin = Draw(r, kFarmOrigins);
      p.target = DrawOther(r, kFarmTargets, p.origin);
      p.days = static_cast<int>(r.Range(60, 180));
      p.start_day = static_cast<int>(r.Range(220, std::max(221, days - p.days - 30)));
      p.like_fraction = r.Between(0.3, 0.9);
      p.like_delay_minutes = r.Between(5, 60);
      p.accounts_per_device = static_cast<int>(r.Range(5, 20));
      return p;
    }
    case Family::kEarlyStage: {
      EarlyStageParams p;
      p.accounts = size;
      p.origin = Draw(r, kOrigins);
      p.target = DrawOther(r, kTargets, p.origin);
      p.election_day = static_cast<int>(r.Range(std::max(20, days - 150), days - 3));
      p.age_days = static_cast<int>(r.Range(2, 6));
      p.live_days = static_cast<int>(r.Range(3, 6));
      p.events_per_account_day = r.Between(4, 10);
      p.ad_spend_per_day = r.Between(100, 2000);
      p.advertisers = static_cast<int>(r.Range(1, 4));
      p.domains = Domains(r, static_cast<int>(r.Range(1, 2)));
      p.hashtags = Hashtags(r, static_cast<int>(r.Range(1, 3)));
      return p;
    }
    case Family::kCamouflaged: {
      CamouflagedParams p;
      p.accounts = size;
      p.origin = Draw(r, kOrigins);
      p.target = DrawOther(r, kTargets, p.origin);
      p.days = static_cast<int>(r.Range(200, 600));
      p.start_day = static_cast<int>(r.Range(130, std::max(131, days - p.days)));
      p.events_per_account_day = std::min(r.Between(0.8, 2.0), 150000.0 / (size * p.days));
      p.organic_fraction = r.Between(0.5, 0.7);
      p.jitter_minutes = r.Between(10, 40);
      p.paraphrase = r.Between(0.25, 0.45);
      p.operator_utc_offset_hours = Countries()[p.origin].utc_offset_hours;
      p.domains = Domains(r, static_cast<int>(r.Range(2, 4)));
      return p;
    }
  }
  return TrollFarmParams{};
}

double LogUniform(Rng& r, double lo, double hi) { return std::exp(r.Between(std::log(lo), std::log(hi))); }

// Scenario wide: the family's parameters at a size from 10 to 500, then the
// coordination drawn over its whole realistic range (issue 16, item 5) and
// written into the family's own parameters.
OperationSpec DrawWide(Family family, Rng& r, int days) {
  OperationSpec op;
  op.family = family;
  const int size = family == Family::kEarlyStage ? static_cast<int>(r.Range(10, 60))
                                                 : static_cast<int>(std::lround(LogUniform(r, 10, 500)));
  op.params = DrawSized(family, r, days, size);
  CoordinationParams& c = op.coordination;
  c.drawn = true;
  const bool camo = family == Family::kCamouflaged;
  c.lag_seconds = camo ? LogUniform(r, 600, 43200) : LogUniform(r, 2, 43200);
  c.organic_share = camo ? r.Between(0.5, 0.85) : r.Between(0, 0.85);
  c.paraphrase_share = camo ? r.Between(0.5, 1) : r.Uniform();
  const double u = r.Uniform();
  c.infra = camo ? (u < 0.7 ? InfraMode::kSubnet : u < 0.85 ? InfraMode::kNone : InfraMode::kExact)
                 : (u < 0.4 ? InfraMode::kExact : u < 0.7 ? InfraMode::kSubnet : InfraMode::kNone);
  const double keep = 1 - c.organic_share;  // the coordinated part of an account's activity
  std::visit(
      [&](auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, TrollFarmParams>) {
          p.push_spread_minutes = c.lag_seconds / 60;
          p.events_per_account_day *= keep;
        } else if constexpr (std::is_same_v<T, AutomatedParams>) {
          p.retweet_delay_seconds = c.lag_seconds;
          p.events_per_account_day =
              std::min(p.events_per_account_day * keep, 150000.0 / (size * std::max(1, p.active_days)));
        } else if constexpr (std::is_same_v<T, HashtagStormParams>) {
          // One tag, storms weeks apart, real users picking it up after each.
          p.seed_window_seconds = c.lag_seconds;
          p.hashtags.resize(1);
          p.gap_days = static_cast<int>(r.Range(7, 35));
          p.span_days = p.storms * p.gap_days;
          p.first_day = static_cast<int>(r.Range(60, std::max(61, days - p.span_days - 10)));
        } else if constexpr (std::is_same_v<T, LikeFarmParams>) {
          p.like_delay_minutes = c.lag_seconds / 60;
        } else if constexpr (std::is_same_v<T, EarlyStageParams>) {
          // Created days before an election, live 2 to 6 days, election
          // hashtags, comments on local outlets, 1 to 3 advertising Pages.
          p.spread_seconds = c.lag_seconds;
          p.age_days = static_cast<int>(r.Range(2, 10));
          p.live_days = static_cast<int>(r.Range(2, 6));
          p.advertisers = static_cast<int>(std::min<int64_t>(r.Range(1, 3), size - 1));
          p.outlet_comment_share = r.Between(0.2, 0.5);
          p.events_per_account_day *= keep;
        } else if constexpr (std::is_same_v<T, CamouflagedParams>) {
          p.jitter_minutes = c.lag_seconds / 60;
          p.organic_fraction = c.organic_share;
          p.paraphrase = r.Between(0.25, 0.45);
        }
      },
      op.params);
  return op;
}

}  // namespace

OperationParams DrawOperation(Family family, Rng& r, int days) { return DrawSized(family, r, days, DrawSize(r)); }

std::string_view Name(InfraMode m) {
  switch (m) {
    case InfraMode::kExact: return "exact";
    case InfraMode::kSubnet: return "subnet";
    case InfraMode::kNone: return "none";
  }
  return "exact";
}

double CoordinationLagSeconds(const OperationSpec& op) {
  return std::visit(
      [](const auto& p) -> double {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, TrollFarmParams>) return p.push_spread_minutes * 60;
        if constexpr (std::is_same_v<T, AutomatedParams>) return p.retweet_delay_seconds;
        if constexpr (std::is_same_v<T, HashtagStormParams>) return p.seed_window_seconds / 2;
        if constexpr (std::is_same_v<T, LikeFarmParams>) return p.like_delay_minutes * 60;
        if constexpr (std::is_same_v<T, EarlyStageParams>) return p.spread_seconds;
        if constexpr (std::is_same_v<T, CamouflagedParams>) return p.jitter_minutes * 60;
        return 0.0;
      },
      op.params);
}

Result<ScenarioSpec> DrawScenario(std::string_view name, uint64_t seed, double scale) {
  if (!(scale > 0 && scale <= 1000))
    return Status::InvalidArgument(fmt::format("scale {} is out of range; expected a number in (0, 1000]", scale));
  ScenarioSpec spec;
  spec.name = std::string(name);
  spec.seed = seed;
  spec.scale = scale;
  spec.start = DaysFromCivil(2019, 1, 1) * 86400;
  spec.days = 1096;
  AuthenticParams& a = spec.authentic;
  auto scaled = [&](double base, int min) { return std::max(min, static_cast<int>(std::lround(base * scale))); };
  a.accounts = scaled(20000, 50);
  a.events_per_day = 700 * scale;
  a.journalists = scaled(6, 1);
  a.newsrooms = scaled(3, 1);
  a.activist_campaigns = scaled(2, 1);
  a.universities = scaled(3, 1);
  a.offices = scaled(12, 2);
  if (name == "wide") {
    // Every family once or twice, the look-alikes, fields missing as in real exports.
    Rng rng = Rng(seed).Fork(0x71de5ce7);
    a.activist_campaigns = scaled(3, 1);
    spec.lookalikes.agencies = scaled(2, 1);
    spec.lookalikes.volunteer_teams = scaled(2, 1);
    spec.lookalikes.fan_communities = scaled(2, 1);
    spec.lookalikes.bot_services = scaled(2, 1);
    Rng ex = rng.Fork(0xe0);
    spec.export_fields.share_target_ids = !ex.Chance(0.25);
    spec.export_fields.infrastructure = !ex.Chance(0.2);
    spec.export_fields.creation_dates = !ex.Chance(0.2);
    spec.export_fields.seconds = !ex.Chance(0.25);
    for (int i = 0; i < kFamilies; ++i) {
      const auto fam = static_cast<Family>(i);
      const int n = 1 + static_cast<int>(rng.Fork(0xc0 + static_cast<uint64_t>(i)).Below(2));
      for (int k = 1; k <= n; ++k) {
        Rng r = rng.Fork(static_cast<uint64_t>(i) * 7919 + static_cast<uint64_t>(k));
        OperationSpec op = DrawWide(fam, r, spec.days);
        op.network_id = fmt::format("{}_{}", Name(fam), k);
        spec.operations.push_back(std::move(op));
      }
    }
    return spec;
  }
  std::vector<Family> families;
  Family f;
  if (name == "mix") {
    for (int i = 0; i < kFamilies; ++i) families.push_back(static_cast<Family>(i));
  } else if (Parse(name, &f)) {
    families.push_back(f);
  } else if (name != "authentic") {
    return Status::InvalidArgument(fmt::format("unknown scenario '{}'; expected one of: {}", name,
                                               fmt::join(ScenarioNames(), ", ")));
  }
  Rng rng = Rng(seed).Fork(0x5ce7a610);
  int counts[kFamilies] = {};
  for (Family fam : families) {
    OperationSpec op;
    op.family = fam;
    op.network_id = fmt::format("{}_{}", Name(fam), ++counts[static_cast<int>(fam)]);
    Rng r = rng.Fork(static_cast<uint64_t>(fam) * 7919 + static_cast<uint64_t>(counts[static_cast<int>(fam)]));
    op.params = DrawOperation(fam, r, spec.days);
    op.coordination.lag_seconds = CoordinationLagSeconds(op);
    if (const auto* c = std::get_if<CamouflagedParams>(&op.params)) {
      op.coordination.organic_share = c->organic_fraction;  // recorded; the family draws it itself
      op.coordination.paraphrase_share = 1;
    }
    spec.operations.push_back(std::move(op));
  }
  return spec;
}

std::vector<std::unique_ptr<Component>> BuildComponents(const ScenarioSpec& spec) {
  std::vector<std::unique_ptr<Component>> out;
  out.push_back(MakeAuthenticPopulation(spec.authentic));
  const LookAlikeParams& l = spec.lookalikes;
  if (l.agencies + l.volunteer_teams + l.fan_communities + l.bot_services > 0) out.push_back(MakeLookAlikes(l));
  for (const OperationSpec& op : spec.operations) out.push_back(MakeOperation(op));
  return out;
}

}  // namespace lockstep
