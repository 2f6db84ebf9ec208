#include "lockstep/ingest/crowdtangle_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace lockstep {
namespace {

const std::string kSample = std::string(LOCKSTEP_SHARED_DATA) + "/crowdtangle_sample/ct_shares.csv";

std::string Extra(const Dataset& ds, const std::vector<ExtraAttribute>& extras, uint32_t row, std::string_view column) {
  for (const ExtraAttribute& x : extras)
    if (x.row == row && ds.strings.Get(x.column) == column) return std::string(ds.strings.Get(x.value));
  return "";
}

TEST(CrowdTangleReader, LoadsTheCooRnetSample) {
  if (!std::filesystem::exists(kSample)) GTEST_SKIP() << kSample << " is absent (a fresh clone has no ../shared/data)";
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadCrowdTangle({kSample}, {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  EXPECT_EQ(ds.events.size(), 1684u) << "1,684 link shares";
  EXPECT_EQ(ds.accounts.size(), 407u) << "by 407 Pages and Groups";
  EXPECT_EQ(report.files.at(0).rows_loaded, 1684u) << "every row loads";
  size_t groups = 0;
  for (const Account& a : ds.accounts) groups += a.kind == AccountKind::kGroup;
  EXPECT_EQ(groups, 169u) << "accounts whose account.url holds /groups/ are groups";
  for (EventType t : ds.events.type) ASSERT_EQ(t, EventType::kShare) << "every row is a share of a link";

  const StringId group = ds.account_ids.Find("300176403665207");
  ASSERT_TRUE(group != kNoString && ds.IsAccount(group)) << "account_id is account.platformId";
  const Account& g = ds.accounts[group];
  EXPECT_EQ(g.kind, AccountKind::kGroup) << "facebook.com/groups/... is a group";
  EXPECT_EQ(ds.String(g.platform), "facebook") << "account.platform lower-cased";
  EXPECT_EQ(ds.String(g.display_name), "Periódico ¡ahora!") << "account.name, UTF-8 intact";
  EXPECT_EQ(g.handle, kNoString) << "NA is a missing handle, not the text NA";
  EXPECT_EQ(g.followers, 3183) << "account.subscriberCount";
  EXPECT_EQ(Extra(ds, ds.account_extras, group, "account.id"), "10189262") << "CrowdTangle's id is kept";

  const StringId page = ds.account_ids.Find("286603368359862");
  ASSERT_TRUE(page != kNoString && ds.IsAccount(page)) << "the busiest Page";
  EXPECT_EQ(ds.accounts[page].kind, AccountKind::kPage) << "a facebook.com/<id> url is a page";
  EXPECT_EQ(ds.String(ds.accounts[page].handle), "UPMEDIA.MG") << "account.handle";

  size_t row = SIZE_MAX;
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (ds.events.account[i] == group) row = i;
  ASSERT_NE(row, SIZE_MAX) << "the group's share";
  EXPECT_EQ(FormatTime(ds.events.time[row]), "2017-01-13T21:41:10Z") << "date";
  EXPECT_EQ(ds.objects.Get(ds.events.event_id[row]), "82580949333") << "id is the event id";
  ASSERT_EQ(ds.events.urls.Row(row).size(), 1u) << "one link per row";
  EXPECT_EQ(ds.urls.Get(ds.events.urls.Row(row)[0]),
            "http://www.cubadebate.cu/noticias/2017/01/12/fuentes-no-oficiales-barack-obama-pone-fin-a-la-politica-pies-"
            "secos-pies-mojados")
      << "expanded is the url";
  EXPECT_EQ(Extra(ds, ds.event_extras, static_cast<uint32_t>(row), "is_orig"), "TRUE") << "is_orig kept";
}

TEST(CrowdTangleReader, BadDateIsRejectedWithItsField) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_ct_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "ct.csv").string();
  std::ofstream(path) << "id,is_orig,expanded,date,account.url,account.name,account.handle,account.subscriberCount,"
                         "account.id,account.platform,account.platformId,account.verified\n"
                         "1,TRUE,https://a.example/x,2019-01-01 10:00:00,https://www.facebook.com/1,A,NA,10,7,Facebook,1,FALSE\n"
                         "2,TRUE,https://a.example/y,NA,https://www.facebook.com/1,A,NA,10,7,Facebook,1,FALSE\n";
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadCrowdTangle({path}, {}, &sink, &report);
  ASSERT_FALSE(ds.ok()) << "a share without a date fails under the default policy";
  ASSERT_NE(sink.first(), nullptr) << "the error is recorded";
  EXPECT_EQ(sink.first()->kind, InputErrorKind::kMissingValue) << "NA is a missing date";
  EXPECT_EQ(sink.first()->field, "date") << "named by its column";
  EXPECT_EQ(sink.first()->line, 3u) << "on the third line";
}

}  // namespace
}  // namespace lockstep
