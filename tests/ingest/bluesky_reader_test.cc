#include "lockstep/ingest/bluesky_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/cassette.h"

namespace lockstep {
namespace {

using testing_cassette::AccountById;
using testing_cassette::CountByType;
using testing_cassette::EventRow;
using testing_cassette::WriteTemp;

const std::string kDir = std::string(LOCKSTEP_SHARED_DATA) + "/platform_samples/bluesky/";

size_t N(const std::array<size_t, kEventTypes>& n, EventType t) { return n[static_cast<size_t>(t)]; }

Dataset Load(const std::vector<std::string>& files, LoadReport* report, ErrorSink* sink) {
  auto ds = LoadBluesky(files, {}, sink, report);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  return ds.ok() ? std::move(ds).value() : Dataset();
}

TEST(BlueskyReader, RealAuthorFeedWithARepostAndAReply) {
  const std::string file = kDir + "app.bsky.feed.getAuthorFeed-d3a6a5.json";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  const Dataset ds = Load({file}, &report, &sink);
  // Counted with python3 over feed[]: 3 items; item 0 has reason reasonRepost
  // (chriskenny.bsky.social reposts a post of hansilowang.bsky.social), item 1
  // has record.reply, item 2 is a plain post.
  EXPECT_EQ(report.files.at(0).rows_read, 1u) << "a pretty-printed response is one record";
  const auto n = CountByType(ds);
  EXPECT_EQ(ds.events.size(), 3u) << "one event per feed item";
  EXPECT_EQ(N(n, EventType::kShare), 1u) << "the reasonRepost item is a share";
  EXPECT_EQ(N(n, EventType::kComment), 1u) << "the item with record.reply is a comment";
  EXPECT_EQ(N(n, EventType::kPost), 1u) << "the remaining item is a post";
  EXPECT_EQ(ds.accounts.size(), 2u) << "the feed's author and the reposted post's author both have profiles";
  const StringId target = ds.objects.Find("at://did:plc:eijqdygh72wuei7faamrclpc/app.bsky.feed.post/3kau6tviybe2w");
  size_t share = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.type[i] == EventType::kShare) share = i;
  ASSERT_NE(share, SIZE_MAX);
  EXPECT_EQ(ds.events.target_id[share], target) << "the repost targets the post's AT URI";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[share]), "did:plc:eijqdygh72wuei7faamrclpc")
      << "the target account is the DID of the post's URI";
  EXPECT_EQ(FormatTime(ds.events.time[share]), "2023-10-03T17:17:08Z") << "a repost's time is reason.indexedAt";
  const Account* reposter = AccountById(ds, ds.AccountId(ds.events.account[share]));
  ASSERT_NE(reposter, nullptr);
  EXPECT_EQ(ds.String(reposter->handle), "chriskenny.bsky.social") << "reason.by is the reposter's profile";
  EXPECT_EQ(ds.String(reposter->platform), "bluesky") << "every account keeps its platform";
}

TEST(BlueskyReader, RealSearchResultsWithQuotesRepliesAndFacets) {
  const std::string file = kDir + "app.bsky.feed.searchPosts-5d343d.json";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  const Dataset ds = Load({file}, &report, &sink);
  // Counted with python3 over posts[]: 23 posts by 20 distinct author DIDs;
  // 6 have record.reply, 3 embed app.bsky.embed.record (quotes).
  const auto n = CountByType(ds);
  EXPECT_EQ(ds.events.size(), 23u) << "every post of posts[] is an event";
  EXPECT_EQ(N(n, EventType::kComment), 6u) << "six replies";
  EXPECT_EQ(N(n, EventType::kPost), 17u) << "the others are posts";
  EXPECT_EQ(ds.accounts.size(), 20u) << "20 distinct authors";
  size_t quotes = 0;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.type[i] == EventType::kPost && ds.events.target_id[i] != kNoString) ++quotes;
  EXPECT_EQ(quotes, 3u) << "the three posts embedding a record are quotes: posts with a target";
  const size_t q = EventRow(ds, "at://did:plc:alqscsadplhx2iewtiyhoart/app.bsky.feed.post/3kgh2x4gxgv2j");
  ASSERT_NE(q, SIZE_MAX);
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[q]), "at://did:plc:tb6kdi6xp44xmafqow5wqqd7/app.bsky.feed.post/3kgfr3hhued2z")
      << "the quote's target is the embedded record's uri";
  EXPECT_FALSE(ds.hashtags.size() == 0) << "four #tag facets are hashtags";
  EXPECT_GE(ds.urls.size(), 9u) << "link facets and external embeds are urls (13 in all, some repeated)";
}

TEST(BlueskyReader, JetstreamBothFormsAllCollections) {
  // Written from Jetstream's README (v1 events) and the form with the
  // commit's fields at the top level.
  const std::string lines =
      R"({"did":"did:plc:a","time_us":1725911162329308,"kind":"commit","commit":{"rev":"r","operation":"create","collection":"app.bsky.feed.post","rkey":"p1","record":{"$type":"app.bsky.feed.post","createdAt":"2024-09-09T19:46:02.102Z","langs":["en"],"text":"see https://x.example #news","facets":[{"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://x.example"}]},{"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"news"}]}]},"cid":"c1"}})"
      "\n"
      R"({"did":"did:plc:b","time_us":1725911163000000,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.repost","rkey":"r1","record":{"createdAt":"2024-09-09T19:46:03Z","subject":{"uri":"at://did:plc:a/app.bsky.feed.post/p1","cid":"c1"}}}})"
      "\n"
      R"({"did":"did:plc:c","time_us":1725911164000000,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.like","rkey":"l1","record":{"createdAt":"2024-09-09T19:46:04Z","subject":{"uri":"at://did:plc:a/app.bsky.feed.post/p1"}}}})"
      "\n"
      R"({"repo":"did:plc:c","time_us":1725911165000000,"operation":"create","collection":"app.bsky.graph.follow","rkey":"f1","record":{"createdAt":"2024-09-09T19:46:05Z","subject":"did:plc:a"}})"
      "\n"
      R"({"did":"did:plc:b","time_us":1725911166000000,"operation":"create","collection":"app.bsky.feed.post","rkey":"p2","record":{"createdAt":"2024-09-09T19:46:06Z","text":"reply","reply":{"root":{"uri":"at://did:plc:a/app.bsky.feed.post/p1"},"parent":{"uri":"at://did:plc:a/app.bsky.feed.post/p1"}}}})"
      "\n"
      R"({"did":"did:plc:a","time_us":1725911167000000,"kind":"identity","identity":{"did":"did:plc:a","handle":"a.example"}})"
      "\n"
      R"({"did":"did:plc:a","time_us":1725911168000000,"kind":"commit","commit":{"operation":"delete","collection":"app.bsky.feed.post","rkey":"p9"}})"
      "\n";
  ErrorSink sink;
  LoadReport report;
  const Dataset ds = Load({WriteTemp("jetstream.jsonl", lines)}, &report, &sink);
  EXPECT_EQ(report.files.at(0).rows_read, 7u) << "seven lines";
  EXPECT_EQ(report.files.at(0).rows_loaded, 7u) << "identity and delete lines are loaded and add nothing";
  const auto n = CountByType(ds);
  EXPECT_EQ(N(n, EventType::kPost), 1u) << "one post";
  EXPECT_EQ(N(n, EventType::kShare), 1u) << "one repost";
  EXPECT_EQ(N(n, EventType::kLike), 1u) << "one like";
  EXPECT_EQ(N(n, EventType::kFollow), 1u) << "one follow, in the top-level form";
  EXPECT_EQ(N(n, EventType::kComment), 1u) << "one reply, in the top-level form";
  const size_t rt = EventRow(ds, "at://did:plc:b/app.bsky.feed.repost/r1");
  ASSERT_NE(rt, SIZE_MAX) << "event ids are at://did/collection/rkey";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[rt]), "at://did:plc:a/app.bsky.feed.post/p1") << "subject.uri";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[rt]), "did:plc:a") << "the DID of the subject";
  const size_t post = EventRow(ds, "at://did:plc:a/app.bsky.feed.post/p1");
  ASSERT_NE(post, SIZE_MAX);
  EXPECT_EQ(FormatTime(ds.events.time[post]), "2024-09-09T19:46:02Z") << "record.createdAt is the time";
  EXPECT_EQ(ds.events.urls.Row(post).size(), 1u) << "the link facet";
  EXPECT_EQ(ds.events.hashtags.Row(post).size(), 1u) << "the tag facet";
  const size_t follow = EventRow(ds, "at://did:plc:c/app.bsky.graph.follow/f1");
  ASSERT_NE(follow, SIZE_MAX) << "repo names the account in the top-level form";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[follow]), "did:plc:a") << "a follow targets its subject";
}

TEST(BlueskyReader, DefectsNameLineAndField) {
  const std::string lines =
      R"({"did":"did:plc:a","time_us":1,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"p1","record":{"createdAt":"yesterday","text":"x"}}})"
      "\n";
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadBluesky({WriteTemp("bad_jetstream.jsonl", lines)}, {}, &sink, &report);
  ASSERT_FALSE(ds.ok()) << "a bad createdAt stops the load under the fail policy";
  ASSERT_NE(sink.first(), nullptr);
  EXPECT_EQ(sink.first()->line, 1u) << "the line of the record";
  EXPECT_EQ(sink.first()->field, "commit.record.createdAt") << "the field's path in the record";
  EXPECT_EQ(sink.first()->kind, InputErrorKind::kBadTime) << "a time defect";

  ErrorSink skip(ErrorPolicy::kSkip);
  LoadReport r2;
  auto cut = LoadBluesky({WriteTemp("cut.json", "{\"feed\": [{\"post\": {\"uri\": \"at://x")}, {}, &skip, &r2);
  ASSERT_TRUE(cut.ok()) << "skip mode goes on";
  EXPECT_EQ(r2.files.at(0).rows_rejected, 1u) << "a document cut off is one rejected record";
  EXPECT_EQ(skip.count(InputErrorKind::kBadJson), 1u) << "reported as bad JSON";
}

}  // namespace
}  // namespace lockstep
