#include "lockstep/ingest/coortweet_reader.h"

#include <algorithm>

#include "ingest/reader_support.h"

namespace lockstep {

namespace {

using internal::DatasetBuilder;
using internal::EventFields;
using internal::FieldReader;

// Both forms' columns; a file has one form's.
enum Column : size_t {
  kObject, kAccount, kContent, kTimestampShare, kPost, kUrl, kHashtag, kDomain, kPhash, kTimestamp
};

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> kNames = {"object_id", "account_id", "content_id", "timestamp_share",
                                                  "post_id",   "url_id",     "hashtag_id", "domain_id",
                                                  "phash_id",  "timestamp"};
  return kNames;
}

std::string_view PlatformOf(std::string_view account_id) {
  if (account_id.rfind("fb_", 0) == 0) return "facebook";
  if (account_id.rfind("tw_", 0) == 0) return "twitter";
  return {};
}

}  // namespace

bool IsCoorTweetHeader(const std::vector<std::string>& header) {
  auto has = [&](std::string_view c) { return std::find(header.begin(), header.end(), c) != header.end(); };
  return has("account_id") && ((has("object_id") && has("timestamp_share")) ||
                               (has("post_id") && has("timestamp") && (has("url_id") || has("hashtag_id"))));
}

Result<Dataset> LoadCoorTweet(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                              LoadReport* report) {
  const auto start = std::chrono::steady_clock::now();
  report->format = "coortweet";
  Dataset ds;
  DatasetBuilder builder(&ds);
  internal::TableLoop loop(options, sink, report, files);
  EventFields e;
  std::string url, hashtag, domain;
  for (const std::string& path : files) {
    int form = 0;  // 0: one object per row, 1: several objects per post; set from the header
    auto handle = [&](FieldReader& p) {
      e.Clear();
      const std::string_view account = p.Required(kAccount);
      if (form == 0) {
        e.time = p.Time(kTimestampShare, true);
        if (!p.ok()) return false;
        e.account = builder.Actor(account, "twitter");
        e.type = EventType::kShare;
        e.event_id = p.Get(kContent);
        e.target_id = p.Get(kObject);
      } else {
        e.time = p.Time(kTimestamp, true);
        if (!p.ok()) return false;
        e.account = builder.Actor(account, PlatformOf(account));
        e.type = EventType::kPost;
        e.event_id = p.Get(kPost);
        if (!p.Get(kUrl).empty()) {
          url = fmt::format("url:{}", p.Get(kUrl));
          e.urls.push_back(url);
          if (!p.Get(kDomain).empty()) {
            domain = fmt::format("domain:{}", p.Get(kDomain));
            e.url_domain = domain;
          }
        }
        if (!p.Get(kHashtag).empty()) {
          hashtag = fmt::format("hashtag:{}", p.Get(kHashtag));
          e.hashtags.push_back(hashtag);
        }
        e.extras.emplace_back("domain_id", p.Get(kDomain));
        e.extras.emplace_back("phash_id", p.Get(kPhash));
      }
      for (const auto& extra : p.row().extras) e.extras.push_back(extra);
      builder.AddEvent(e);
      return true;
    };
    // The header tells the form, and so the required columns.
    auto required = [&](const TableReader& reader) {
      form = reader.HasField(kObject) ? 0 : 1;
      return std::vector<size_t>{kAccount, form == 0 ? kTimestampShare : kTimestamp};
    };
    if (!loop.Run(path, Columns(), required, "a CooRTweet table", handle))
      return internal::FinishLoad(Status::InputError("stopped"), Dataset(), sink, report, start);
  }
  builder.Finish();
  return internal::FinishLoad(Status::Ok(), std::move(ds), sink, report, start);
}

}  // namespace lockstep
