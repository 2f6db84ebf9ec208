#include "lockstep/ingest/meta_content_library_reader.h"

#include <gtest/gtest.h>

#include "ingest/cassette.h"
#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

using testing_cassette::AccountById;
using testing_cassette::CountByType;
using testing_cassette::EventExtra;
using testing_cassette::EventRow;
using testing_cassette::WriteTemp;

// Fixtures written from the Content Library API's data dictionary: a page of
// four Facebook posts (a Page's link post, two profiles sharing it into a
// group, a Page's post to an event), the same four as CSV, and two Instagram
// posts as JSON Lines.
const std::string kDir = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/ingest/meta_content_library";

void ExpectFacebookPosts(const Dataset& ds) {
  const size_t link = EventRow(ds, "1111111111111111");
  ASSERT_NE(link, SIZE_MAX);
  EXPECT_EQ(ds.AccountId(ds.events.account[link]), "100001") << "post_owner.id is the account";
  EXPECT_EQ(AccountById(ds, "100001")->kind, AccountKind::kPage) << "post_owner.type page";
  EXPECT_EQ(ds.String(AccountById(ds, "100001")->display_name), "Civic Page");
  EXPECT_EQ(ds.String(AccountById(ds, "100001")->platform), "facebook");
  ASSERT_EQ(ds.events.urls.Row(link).size(), 1u);
  EXPECT_EQ(ds.urls.Get(ds.events.urls.Row(link)[0]), "https://civic.example/vote") << "link_attachment.link";
  EXPECT_EQ(EventExtra(ds, link, "statistics.share_count"), "30");
  EXPECT_EQ(FormatTime(ds.events.time[link]), "2024-06-01T07:00:00Z") << "creation_time with a +0000 offset";
  EXPECT_EQ(EventExtra(ds, link, "surface_id"), "") << "posted on its own Page: no separate surface";

  const size_t share = EventRow(ds, "2222222222222222");
  ASSERT_NE(share, SIZE_MAX);
  EXPECT_EQ(ds.events.type[share], EventType::kShare) << "shared_post_id makes a share";
  EXPECT_EQ(ds.objects.Get(ds.events.target_id[share]), "1111111111111111");
  EXPECT_EQ(EventExtra(ds, share, "surface_id"), "300001") << "the group it was posted to";
  EXPECT_EQ(EventExtra(ds, share, "surface_type"), "group");
  EXPECT_EQ(AccountById(ds, "200001")->kind, AccountKind::kAccount) << "a profile";

  const size_t event_post = EventRow(ds, "4444444444444444");
  ASSERT_NE(event_post, SIZE_MAX);
  EXPECT_EQ(FormatTime(ds.events.time[event_post]), "2024-06-01T09:00:00Z") << "creation_time as epoch seconds";
}

TEST(MetaContentLibraryReader, FacebookAndInstagramJson) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(kDir + "/json", "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(report.format, "meta_content_library");
  EXPECT_EQ(report.rows_read(), 3u) << "one API page of 4 posts + 2 Instagram lines";
  const Dataset& ds = *loaded;
  const auto n = CountByType(ds);
  EXPECT_EQ(ds.events.size(), 6u);
  EXPECT_EQ(n[static_cast<size_t>(EventType::kPost)], 4u) << "2 Facebook posts + 2 Instagram posts";
  EXPECT_EQ(n[static_cast<size_t>(EventType::kShare)], 2u) << "the two shares of post 1111111111111111";
  EXPECT_EQ(ds.accounts.size(), 6u) << "2 Pages, 2 profiles, 2 Instagram accounts";
  size_t instagram = 0;
  for (const Account& a : ds.accounts) instagram += ds.String(a.platform) == "instagram";
  EXPECT_EQ(instagram, 2u) << "like counts without reaction counts: Instagram";
  EXPECT_EQ(ds.String(AccountById(ds, "500001")->handle), "civic.ig") << "post_owner.username";
  ExpectFacebookPosts(ds);
}

TEST(MetaContentLibraryReader, CsvExportReadsAsTheJson) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(kDir + "/csv", "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(report.format, "meta_content_library") << "recognised by post_owner.id and creation_time";
  EXPECT_EQ(report.rows_read(), 4u);
  const Dataset& ds = *loaded;
  const auto n = CountByType(ds);
  EXPECT_EQ(n[static_cast<size_t>(EventType::kPost)], 2u);
  EXPECT_EQ(n[static_cast<size_t>(EventType::kShare)], 2u);
  EXPECT_EQ(ds.accounts.size(), 4u);
  ExpectFacebookPosts(ds);
  EXPECT_EQ(EventExtra(ds, EventRow(ds, "1111111111111111"), "is_branded_content"), "false")
      << "columns the model has no field for are kept";
}

TEST(MetaContentLibraryReader, DefectsAndMixedForms) {
  ErrorSink fail;
  LoadReport report;
  auto bad = LoadMetaContentLibrary(
      {WriteTemp("mcl_bad.json", R"({"data":[{"id":"1","creation_time":"2024-06-01T07:00:00+0000","post_owner":{"name":"x"}}]})")},
      {}, &fail, &report);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(fail.first()->field, "data[0].post_owner.id") << "the post's path inside the page";
  EXPECT_FALSE(fail.first()->fix.empty());

  ErrorSink fail2;
  LoadReport r2;
  auto csv = LoadMetaContentLibrary(
      {WriteTemp("mcl_bad.csv", "id,creation_time,post_owner.id\n1,yesterday,9\n")}, {}, &fail2, &r2);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(fail2.first()->field, "creation_time");
  EXPECT_EQ(fail2.first()->line, 2u);
  EXPECT_EQ(fail2.first()->kind, InputErrorKind::kBadTime);

  ErrorSink sink3;
  LoadReport r3;
  auto mixed = LoadMetaContentLibrary({kDir + "/csv/facebook_posts.csv", kDir + "/json/instagram_posts.jsonl"}, {},
                                      &sink3, &r3);
  ASSERT_FALSE(mixed.ok()) << "CSV and JSON exports are loaded separately";
  EXPECT_NE(mixed.status().message().find("separately"), std::string::npos);
}

}  // namespace
}  // namespace lockstep
