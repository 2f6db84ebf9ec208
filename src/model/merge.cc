#include "lockstep/model/merge.h"

#include <string>

namespace lockstep {

namespace {

// Remaps one source's ids into the merged pools.
class Remap {
 public:
  Remap(const Dataset& from, Dataset* to, const std::string& ns) : from_(from), to_(to), ns_(ns) {}

  std::string Qualified(std::string_view id) const {
    return ns_.empty() ? std::string(id) : ns_ + ":" + std::string(id);
  }
  StringId Str(StringId s) const { return s == kNoString ? kNoString : to_->strings.Intern(from_.strings.Get(s)); }
  StringId Object(StringId o) const {
    return o == kNoString ? kNoString : to_->objects.Intern(Qualified(from_.objects.Get(o)));
  }
  AccountIndex Account(AccountIndex a) const { return a == kNoString ? kNoString : accounts_[a]; }

  std::vector<AccountIndex> accounts_;  // by the source's account index

 private:
  const Dataset& from_;
  Dataset* to_;
  const std::string& ns_;
};

void AppendList(const ListColumn& from, size_t row, ListColumn* to, const auto& map) {
  for (uint32_t item : from.Row(row)) to->items.push_back(map(item));
  to->offsets.push_back(static_cast<uint32_t>(to->items.size()));
}

}  // namespace

Dataset MergeDatasets(std::vector<MergeSource> sources) {
  Dataset out;
  std::vector<Remap> maps;
  maps.reserve(sources.size());
  for (MergeSource& s : sources) maps.emplace_back(s.dataset, &out, s.id_namespace);
  // Accounts first, so that every account index precedes every target-only one.
  for (size_t k = 0; k < sources.size(); ++k) {
    const Dataset& ds = sources[k].dataset;
    Remap& m = maps[k];
    m.accounts_.assign(ds.account_ids.size(), kNoString);
    for (size_t a = 0; a < ds.accounts.size(); ++a) {
      const std::string id = m.Qualified(ds.account_ids.Get(static_cast<StringId>(a)));
      StringId to = out.account_ids.Find(id);
      if (to == kNoString) {
        to = out.account_ids.Intern(id);
        Account acc = ds.accounts[a];
        acc.platform = m.Str(acc.platform);
        acc.handle = m.Str(acc.handle);
        acc.display_name = m.Str(acc.display_name);
        acc.claimed_location = m.Str(acc.claimed_location);
        acc.language = m.Str(acc.language);
        acc.description = m.Str(acc.description);
        out.accounts.push_back(acc);
      }
      m.accounts_[a] = to;
    }
  }
  for (size_t k = 0; k < sources.size(); ++k) {
    const Dataset& ds = sources[k].dataset;
    for (size_t a = ds.accounts.size(); a < ds.account_ids.size(); ++a)
      maps[k].accounts_[a] = out.account_ids.Intern(maps[k].Qualified(ds.account_ids.Get(static_cast<StringId>(a))));
  }
  for (size_t k = 0; k < sources.size(); ++k) {
    const Dataset& ds = sources[k].dataset;
    const Remap& m = maps[k];
    for (const ExtraAttribute& x : ds.account_extras)
      out.account_extras.push_back({m.Account(x.row), m.Str(x.column), m.Str(x.value)});
    const Events& from = ds.events;
    Events& to = out.events;
    const size_t base = to.size();
    for (size_t i = 0; i < from.size(); ++i) {
      to.time.push_back(from.time[i]);
      to.account.push_back(m.Account(from.account[i]));
      to.type.push_back(from.type[i]);
      to.event_id.push_back(m.Object(from.event_id[i]));
      to.target_id.push_back(m.Object(from.target_id[i]));
      to.target_account.push_back(m.Account(from.target_account[i]));
      if (!from.complete()) {  // loaded with action_columns_only: the other columns are empty
        to.text_offsets.push_back(to.text_arena.size());
        for (ListColumn* list : {&to.urls, &to.hashtags, &to.mentions})
          list->offsets.push_back(static_cast<uint32_t>(list->items.size()));
        to.language.push_back(kNoString);
        to.client.push_back(kNoString);
        to.target_country.push_back(kNoCountry);
        continue;
      }
      to.text_arena.append(from.Text(i));
      to.text_offsets.push_back(to.text_arena.size());
      AppendList(from.urls, i, &to.urls, [&](uint32_t u) {
        // The domain the source has for the url, not one read off it again.
        const StringId d = u < ds.url_domain.size() ? ds.url_domain[u] : kNoString;
        return out.InternUrlOfDomain(ds.urls.Get(u), d == kNoString ? std::string_view() : ds.domains.Get(d));
      });
      AppendList(from.hashtags, i, &to.hashtags, [&](uint32_t h) { return out.hashtags.Intern(ds.hashtags.Get(h)); });
      AppendList(from.mentions, i, &to.mentions, [&](uint32_t h) { return out.mentions.Intern(ds.mentions.Get(h)); });
      to.language.push_back(m.Str(from.language[i]));
      to.client.push_back(m.Str(from.client[i]));
      to.target_country.push_back(from.target_country[i]);
    }
    for (const ExtraAttribute& x : ds.event_extras)
      out.event_extras.push_back({static_cast<uint32_t>(base + x.row), m.Str(x.column), m.Str(x.value)});
    for (const InfraObservation& o : ds.infra)
      out.infra.push_back({m.Account(o.account), o.time, o.kind, out.infra_values.Intern(ds.infra_values.Get(o.value)),
                           o.country});
    for (const ProfileChange& c : ds.profile_changes)
      out.profile_changes.push_back({m.Account(c.account), c.time, c.field, m.Str(c.old_value), m.Str(c.new_value)});
    for (const FollowerCount& f : ds.follower_counts)
      out.follower_counts.push_back({m.Account(f.account), f.time, f.followers});
    for (const AdSpend& ad : ds.ads) out.ads.push_back({m.Account(ad.account), ad.time, ad.spend, m.Str(ad.currency)});
  }
  out.SortEventsByTime();
  return out;
}

}  // namespace lockstep
