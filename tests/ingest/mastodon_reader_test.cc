#include "lockstep/ingest/mastodon_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/cassette.h"

namespace lockstep {
namespace {

using testing_cassette::AccountById;
using testing_cassette::CountByType;
using testing_cassette::EventRow;
using testing_cassette::WriteTemp;

const std::string kCassette = std::string(LOCKSTEP_SHARED_DATA) + "/platform_samples/mastodon/get_account_statuses_limit.yml";

size_t N(const std::array<size_t, kEventTypes>& n, EventType t) { return n[static_cast<size_t>(t)]; }

TEST(MastodonReader, RealAccountStatusesFromAnRtootRecording) {
  if (!std::filesystem::exists(kCassette)) GTEST_SKIP() << kCassette << " is absent (a fresh clone has no ../shared/data)";
  const std::vector<std::string> bodies = testing_cassette::VcrBodies(kCassette);
  ASSERT_EQ(bodies.size(), 5u) << "the recording holds five pages";
  std::vector<std::string> files;
  for (size_t i = 0; i < bodies.size(); ++i) files.push_back(WriteTemp(fmt::format("statuses_{}.json", i), bodies[i]));
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadMastodon(files, {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  // Counted with python3 (yaml + json) over the five pages: 100 distinct
  // statuses of @schochastics; 1 has a reblog (of status 112525606646148711
  // by account 109375460974789362), 52 have in_reply_to_id, 47 neither.
  EXPECT_EQ(report.rows_read(), 100u) << "each status of a top-level array is a record";
  EXPECT_EQ(report.rows_loaded(), 100u) << "all load";
  const auto n = CountByType(ds);
  EXPECT_EQ(ds.events.size(), 100u) << "one event per status";
  EXPECT_EQ(N(n, EventType::kShare), 1u) << "the boost";
  EXPECT_EQ(N(n, EventType::kComment), 52u) << "the replies";
  EXPECT_EQ(N(n, EventType::kPost), 47u) << "the rest";
  EXPECT_EQ(ds.accounts.size(), 2u) << "the author and the boosted status's author";
  size_t share = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.type[i] == EventType::kShare) share = i;
  ASSERT_NE(share, SIZE_MAX);
  EXPECT_EQ(ds.objects.Get(ds.events.event_id[share]), "112526202686547299") << "the boost's own status id";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[share]), "112525606646148711") << "targets reblog.id";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[share]), "109375460974789362") << "by reblog.account.id";
  const Account* author = AccountById(ds, "109302436954721982");
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(ds.String(author->handle), "schochastics") << "acct is the handle";
  EXPECT_EQ(ds.String(author->display_name), "David Schoch") << "the folded YAML line reads back as one space";
  EXPECT_EQ(ds.String(author->platform), "mastodon") << "every account keeps its platform";
  const size_t first = EventRow(ds, "114739545367952761");
  ASSERT_NE(first, SIZE_MAX);
  EXPECT_EQ(ds.events.type[first], EventType::kPost)
      << "in_reply_to_id is null (only in_reply_to_account_id is set): not a reply";
  EXPECT_EQ(ds.events.Text(first).find('<'), std::string_view::npos) << "the content's HTML is removed";
  EXPECT_NE(ds.events.Text(first).find("\"domain law\""), std::string_view::npos) << "&quot; is decoded";
  EXPECT_EQ(ds.String(ds.events.client[first]), "Tusky") << "application.name is the client";
}

TEST(MastodonReader, LinksTagsAndQuotesFromTheDocumentedSchema) {
  const std::string line =
      R"({"id":"1","created_at":"2025-07-01T10:00:00.000Z","in_reply_to_id":null,"in_reply_to_account_id":null,"content":"<p>Read <a href=\"https://news.example/a\" rel=\"nofollow\">news.example/a</a> <a href=\"https://m.example/tags/x\" class=\"mention hashtag\">#<span>x</span></a> &amp; more<br>bye</p>","reblog":null,"account":{"id":"7","acct":"bot@m.example","display_name":"B","group":true},"tags":[{"name":"x"}],"mentions":[],"quote":{"state":"accepted","quoted_status":{"id":"0","account":{"id":"8","acct":"q"}}}})"
      "\n";
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadMastodon({WriteTemp("statuses.jsonl", line)}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  ASSERT_EQ(ds->events.size(), 1u);
  EXPECT_EQ(ds->events.Text(0), "Read news.example/a #x & more\nbye") << "tags dropped, <br> a newline, &amp; decoded";
  ASSERT_EQ(ds->events.urls.Row(0).size(), 1u) << "the hashtag link is not a url";
  EXPECT_EQ(ds->urls.Get(ds->events.urls.Row(0)[0]), "https://news.example/a") << "the link's href";
  EXPECT_EQ(ds->objects.Get(ds->events.target_id[0]), "0") << "a quote is a post targeting quote.quoted_status";
  EXPECT_EQ(ds->AccountId(ds->events.target_account[0]), "8") << "by its account";
  EXPECT_EQ(AccountById(*ds, "7")->kind, AccountKind::kGroup) << "group accounts are groups";
}

TEST(MastodonReader, MissingAccountIsAnErrorWithTheField) {
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadMastodon({WriteTemp("bad.json", R"([{"id":"1","created_at":"2025-07-01T10:00:00Z"}])")}, {}, &sink,
                         &report);
  ASSERT_FALSE(ds.ok()) << "a status without its account cannot be attributed";
  EXPECT_EQ(sink.first()->field, "[0].account") << "the element and the field";
}

}  // namespace
}  // namespace lockstep
