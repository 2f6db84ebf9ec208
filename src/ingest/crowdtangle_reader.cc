#include "lockstep/ingest/crowdtangle_reader.h"

#include <algorithm>

#include "ingest/reader_support.h"

namespace lockstep {

namespace {

using internal::AccountFields;
using internal::DatasetBuilder;
using internal::EventFields;
using internal::FieldReader;

enum Column : size_t {
  kId, kIsOrig, kExpanded, kDate, kUrl, kName, kHandle, kSubscribers, kCtId, kPlatform, kPlatformId, kVerified
};

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> kNames = {
      "id",           "is_orig",    "expanded",         "date",      "account.url",        "account.name",
      "account.handle", "account.subscriberCount", "account.id", "account.platform", "account.platformId",
      "account.verified"};
  return kNames;
}


}  // namespace

bool IsCrowdTangleHeader(const std::vector<std::string>& header) {
  auto has = [&](std::string_view c) { return std::find(header.begin(), header.end(), c) != header.end(); };
  return has("expanded") && has("date") && (has("account.platformId") || has("account.id"));
}

Result<Dataset> LoadCrowdTangle(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                                LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "crowdtangle";
  Dataset ds;
  DatasetBuilder builder(&ds);
  internal::TableLoop loop(options, sink, report, files);
  loop.set_missing_spelling("NA");  // R writes missing values as NA
  EventFields e;
  std::string platform;
  for (const std::string& path : files) {
    auto handle = [&](FieldReader& p) {
      e.Clear();
      e.time = p.Time(kDate, true);
      std::string_view id = p.Get(kPlatformId);
      if (id.empty()) id = p.Required(kCtId);
      AccountFields a;
      a.followers = p.Count(kSubscribers, -1);
      p.Bool(kVerified, false);
      p.Bool(kIsOrig, false);
      if (!p.ok()) return false;
      platform = p.Get(kPlatform).empty() ? std::string("facebook") : internal::AsciiLower(p.Get(kPlatform));
      a.platform = platform;
      const std::string_view url = p.Get(kUrl);
      a.kind = url.find("/groups/") != std::string_view::npos ? AccountKind::kGroup
               : platform == "facebook"                       ? AccountKind::kPage
                                                              : AccountKind::kAccount;
      a.handle = p.Get(kHandle);
      a.display_name = p.Get(kName);
      a.extras = {{"account.url", url}, {"account.id", p.Get(kCtId)}, {"account.verified", p.Get(kVerified)}};
      for (const auto& extra : p.row().extras)
        if (extra.first.rfind("account.", 0) == 0) a.extras.push_back(extra);
      e.account = builder.Profile(id, a, e.time);
      e.type = EventType::kShare;
      e.event_id = p.Get(kId);
      const std::string_view link = p.Get(kExpanded);
      if (!link.empty()) e.urls.push_back(link);
      e.extras.emplace_back("is_orig", p.Get(kIsOrig));
      for (const auto& extra : p.row().extras)
        if (extra.first.rfind("account.", 0) != 0 && extra.second != "NA") e.extras.push_back(extra);
      builder.AddEvent(e);
      return true;
    };
    if (!loop.Run(path, Columns(), std::vector<size_t>{kDate}, "a CrowdTangle shares export", handle))
      return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start);
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace lockstep
