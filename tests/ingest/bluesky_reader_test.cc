#include "lockstep/ingest/bluesky_reader.h"

#include <fmt/format.h>
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

// getPostThread and getTimeline as their lexicons give them (written from
// app.bsky.feed.getPostThread and app.bsky.feed.defs: threadViewPost with
// parent and replies, notFoundPost and blockedPost nodes; feedViewPost with
// reasonRepost). No real recording of either is in the samples.
TEST(BlueskyReader, PostThreadAndTimelineFromTheirLexicons) {
  auto post_view = [](std::string_view did, std::string_view handle, std::string_view rkey, std::string_view time,
                      std::string_view text, std::string_view parent) {
    const std::string reply =
        parent.empty() ? std::string()
                       : fmt::format(R"(,"reply":{{"root":{{"uri":"{0}","cid":"c"}},"parent":{{"uri":"{0}","cid":"c"}}}})",
                                     parent);
    return fmt::format(
        R"({{"uri":"at://{0}/app.bsky.feed.post/{2}","cid":"c{2}","author":{{"did":"{0}","handle":"{1}"}},)"
        R"("record":{{"$type":"app.bsky.feed.post","createdAt":"{3}","text":"{4}"{5}}},"indexedAt":"{3}"}})",
        did, handle, rkey, time, text, reply);
  };
  const std::string root = "at://did:plc:a/app.bsky.feed.post/r1";
  const std::string focus = "at://did:plc:b/app.bsky.feed.post/b1";
  const std::string thread = fmt::format(
      R"({{"thread":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{},)"
      R"("parent":{{"$type":"app.bsky.feed.defs#threadViewPost","post":{}}},)"
      R"("replies":[{{"$type":"app.bsky.feed.defs#threadViewPost","post":{},"replies":[]}},)"
      R"({{"$type":"app.bsky.feed.defs#notFoundPost","uri":"at://did:plc:x/app.bsky.feed.post/gone","notFound":true}},)"
      R"({{"$type":"app.bsky.feed.defs#blockedPost","uri":"at://did:plc:y/app.bsky.feed.post/hid","blocked":true,)"
      R"("author":{{"did":"did:plc:y","viewer":{{"blockedBy":true}}}}}}]}}}})",
      post_view("did:plc:b", "b.example", "b1", "2024-09-09T10:05:00Z", "a reply", root),
      post_view("did:plc:a", "a.example", "r1", "2024-09-09T10:00:00Z", "the root", ""),
      post_view("did:plc:c", "c.example", "c1", "2024-09-09T10:09:00Z", "a reply to the reply", focus));
  const std::string timeline = fmt::format(
      R"({{"feed":[{{"post":{}}},{{"post":{},"reason":{{"$type":"app.bsky.feed.defs#reasonRepost",)"
      R"("by":{{"did":"did:plc:e","handle":"e.example"}},"indexedAt":"2024-09-10T08:30:00Z"}}}}],"cursor":"x"}})",
      post_view("did:plc:d", "d.example", "d1", "2024-09-10T08:00:00Z", "news", ""),
      post_view("did:plc:d", "d.example", "d2", "2024-09-10T08:10:00Z", "more news", ""));
  ErrorSink sink;
  LoadReport report;
  const Dataset ds =
      Load({WriteTemp("getPostThread.json", thread), WriteTemp("getTimeline.json", timeline)}, &report, &sink);
  ASSERT_EQ(report.files.size(), 2u);
  EXPECT_EQ(report.files[0].rows_read, 1u) << "one response, one record";
  const auto n = CountByType(ds);
  EXPECT_EQ(N(n, EventType::kPost), 2u) << "the thread's root and the timeline's own post (a repost item is a share only)";
  EXPECT_EQ(N(n, EventType::kComment), 2u) << "the focus reply and the reply to it; not-found and blocked nodes add nothing";
  EXPECT_EQ(N(n, EventType::kShare), 1u) << "the reasonRepost item";
  const size_t reply = EventRow(ds, "at://did:plc:c/app.bsky.feed.post/c1");
  ASSERT_NE(reply, SIZE_MAX) << "a reply among the replies is read";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[reply]), focus) << "a comment on its parent";
  EXPECT_NE(EventRow(ds, root), SIZE_MAX) << "the parent node is walked";
  EXPECT_EQ(AccountById(ds, "did:plc:y"), nullptr) << "a blocked node's author acted on nothing here";
  size_t share = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.type[i] == EventType::kShare) share = i;
  ASSERT_NE(share, SIZE_MAX);
  EXPECT_EQ(ds.AccountId(ds.events.account[share]), "did:plc:e") << "reason.by reposts";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[share]), "at://did:plc:d/app.bsky.feed.post/d2");
  EXPECT_EQ(FormatTime(ds.events.time[share]), "2024-09-10T08:30:00Z") << "at reason.indexedAt";
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

  // Without createdAt the time is Jetstream's time_us, held to the same
  // window as every time (it once went through unchecked).
  ErrorSink window;
  LoadReport r3;
  auto late = LoadBluesky(
      {WriteTemp("late.jsonl",
                 R"({"did":"did:plc:a","time_us":9000000000000000000,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.like","rkey":"l1","record":{"subject":{"uri":"at://did:plc:b/app.bsky.feed.post/p1"}}}})"
                 "\n")},
      {}, &window, &r3);
  ASSERT_FALSE(late.ok()) << "a time in the year 287,000 is refused";
  ASSERT_NE(window.first(), nullptr);
  EXPECT_EQ(window.first()->field, "time_us");
  EXPECT_EQ(window.first()->kind, InputErrorKind::kBadTime);
}

}  // namespace
}  // namespace lockstep
