// Builds small hand-made Datasets for tests: one event per call, every
// column filled, accounts created on first use, sorted by time on Build().
#ifndef LOCKSTEP_TESTS_DATASET_BUILDER_H_
#define LOCKSTEP_TESTS_DATASET_BUILDER_H_

#include <string>
#include <string_view>

#include "lockstep/model/dataset.h"

namespace lockstep::testing {

class DatasetBuilder {
 public:
  // An event of `type` by `account` at `time`; an empty `target` or `text` is missing.
  DatasetBuilder& Add(std::string_view account, int64_t time, EventType type, std::string_view target = {},
                      std::string_view text = {}) {
    StringId a = ds_.account_ids.Find(account);
    if (a == kNoString) {
      a = ds_.account_ids.Intern(account);
      ds_.accounts.push_back({});
    }
    Events& ev = ds_.events;
    ev.time.push_back(time);
    ev.account.push_back(a);
    ev.type.push_back(type);
    ev.event_id.push_back(kNoString);
    ev.target_id.push_back(target.empty() ? kNoString : ds_.objects.Intern(target));
    ev.target_account.push_back(kNoString);
    ev.text_arena += text;
    ev.text_offsets.push_back(ev.text_arena.size());
    for (ListColumn* l : {&ev.urls, &ev.hashtags, &ev.mentions}) l->offsets.push_back(static_cast<uint32_t>(l->items.size()));
    ev.language.push_back(kNoString);
    ev.client.push_back(kNoString);
    ev.target_country.push_back(kNoCountry);
    return *this;
  }

  // Adds hashtag `tag` (without '#') to the last event added.
  DatasetBuilder& Hashtag(std::string_view tag) {
    ListColumn& h = ds_.events.hashtags;
    h.items.push_back(ds_.hashtags.Intern(tag));
    h.offsets.back() = static_cast<uint32_t>(h.items.size());
    return *this;
  }

  // Adds `url` to the last event added.
  DatasetBuilder& Url(std::string_view url) {
    ListColumn& u = ds_.events.urls;
    u.items.push_back(ds_.InternUrl(url));
    u.offsets.back() = static_cast<uint32_t>(u.items.size());
    return *this;
  }

  // The profile of `account` (created if new, with no events), to fill in.
  Account& Profile(std::string_view account) {
    StringId a = ds_.account_ids.Find(account);
    if (a == kNoString) {
      a = ds_.account_ids.Intern(account);
      ds_.accounts.push_back({});
    }
    return ds_.accounts[a];
  }
  // Interns a profile string (platform, handle, display name, ...).
  StringId String(std::string_view s) { return ds_.strings.Intern(s); }

  // The data set, events sorted by time. The builder is left empty.
  Dataset Build() {
    ds_.SortEventsByTime();
    return std::move(ds_);
  }

 private:
  Dataset ds_;
};

}  // namespace lockstep::testing

#endif  // LOCKSTEP_TESTS_DATASET_BUILDER_H_
