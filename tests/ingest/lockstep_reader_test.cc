#include "lockstep/ingest/lockstep_reader.h"

#include <gtest/gtest.h>

#include <random>

#include <fmt/format.h>

#include "lockstep/ingest/load.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::TempDir;
using testing::WriteFile;

const char kAccounts[] =
    "account_id,platform,kind,handle,display_name,created_at,claimed_location,country,language,followers,following,"
    "profile_image_hash,description\n"
    "a1,facebook,page,pg,\"Page, One\",2016-05-02,\"Kyiv\",ua,uk,1200,3,8f3a0c1d2e4b5a69,\"says \"\"hi\"\"\"\n"
    "a2,twitter,account,tw,Two,2016-05-02T10:00:00+02:00,,,,,,,\n";

struct Loaded {
  Result<Dataset> ds = Status::Internal("not loaded");
  std::unique_ptr<ErrorSink> sink;
  LoadReport report;
};

Loaded Load(const std::string& dir, ErrorPolicy policy = ErrorPolicy::kFail, const std::string& rejects = "") {
  Loaded l;
  l.sink = std::make_unique<ErrorSink>(policy, rejects);
  l.ds = LoadLockstepDirectory(dir, {}, l.sink.get(), &l.report);
  return l;
}

// Writes accounts plus an events file with `events_body` under the standard header.
void WriteSet(const TempDir& dir, const std::string& events_body, const std::string& accounts = kAccounts) {
  WriteFile(dir / "accounts.csv", accounts);
  WriteFile(dir / "events.csv", "event_id,account_id,time,type,target_id,text,urls,hashtags\n" + events_body);
}

TEST(LockstepReader, RoundTripsEveryFieldType) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  WriteFile(dir / "events.jsonl",
            R"({"event_id":"e1","account_id":"a1","time":"2017-03-14T09:15:00+01:00","type":"post","text":"multi\nline \"q\" é","urls":["https://www.Example.com/a?x=1"],"hashtags":["#one","two"],"mentions":["a2"],"language":"en","client":"web","target_country":"de","colour":"red"})"
            "\n"
            R"({"event_id":"e2","account_id":"a2","time":1489479000,"type":"share","target_id":"e1","target_account_id":"a1","urls":[]})"
            "\n");
  WriteFile(dir / "infra.csv", "account_id,time,kind,value,country\na1,2017-03-14,device,d-1,UA\na2,,ip,10.0.0.1,\n");
  WriteFile(dir / "profile_changes.csv", "account_id,time,field,old,new\na1,2017-01-01,handle,old_pg,pg\n");
  WriteFile(dir / "follower_counts.csv", "account_id,time,followers\na1,2017-01-01,10\na1,2017-01-02,1200\n");
  WriteFile(dir / "ads.csv", "account_id,time,spend,currency\na1,2017-02-01,99.95,USD\n");
  WriteFile(dir / "labels.csv", "account_id,network_id\nthis file,is never read\n");
  Loaded l = Load(dir.path());
  ASSERT_TRUE(l.ds.ok()) << l.ds.status().message();
  const Dataset& ds = *l.ds;
  ASSERT_EQ(ds.accounts.size(), 2u) << "two account rows";
  const Account& a1 = ds.accounts[0];
  EXPECT_EQ(ds.AccountId(0), "a1") << "account rows keep file order";
  EXPECT_EQ(ds.String(a1.platform), "facebook");
  EXPECT_EQ(a1.kind, AccountKind::kPage);
  EXPECT_EQ(ds.String(a1.display_name), "Page, One") << "quoted comma stays in the field";
  EXPECT_EQ(ds.String(a1.description), "says \"hi\"") << "doubled quotes are undone";
  EXPECT_EQ(a1.created_at, DaysFromCivil(2016, 5, 2) * 86400) << "a date alone is midnight UTC";
  EXPECT_EQ(CountryName(a1.country), "UA") << "country codes are upper-cased";
  EXPECT_EQ(a1.followers, 1200);
  EXPECT_EQ(a1.following, 3);
  EXPECT_TRUE(a1.has_profile_image_hash);
  EXPECT_EQ(a1.profile_image_hash, 0x8f3a0c1d2e4b5a69u);
  const Account& a2 = ds.accounts[1];
  EXPECT_EQ(a2.created_at, DaysFromCivil(2016, 5, 2) * 86400 + 8 * 3600) << "offset +02:00 is applied";
  EXPECT_EQ(a2.followers, -1) << "an empty cell is missing, not zero";
  EXPECT_EQ(a2.country, kNoCountry);
  EXPECT_FALSE(a2.has_profile_image_hash);

  const Events& ev = ds.events;
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev.time[0], 1489479000) << "events are sorted by time: the share (epoch) comes first";
  EXPECT_EQ(ev.type[0], EventType::kShare);
  EXPECT_EQ(ds.objects.Get(ev.target_id[0]), "e1");
  EXPECT_EQ(ds.AccountId(ev.target_account[0]), "a1");
  EXPECT_EQ(ev.time[1], 1489479300) << "09:15+01:00 is 08:15Z";
  EXPECT_EQ(ev.Text(1), "multi\nline \"q\" é") << "JSON escapes and UTF-8 survive";
  ASSERT_EQ(ev.urls.Row(1).size(), 1u);
  EXPECT_EQ(ds.urls.Get(ev.urls.Row(1)[0]), "https://www.Example.com/a?x=1") << "urls are kept as posted";
  EXPECT_EQ(ds.domains.Get(ds.url_domain[ev.urls.Row(1)[0]]), "example.com") << "domain: lower-case, no www";
  ASSERT_EQ(ev.hashtags.Row(1).size(), 2u);
  EXPECT_EQ(ds.hashtags.Get(ev.hashtags.Row(1)[0]), "one") << "a stray '#' is stripped";
  EXPECT_EQ(ds.mentions.Get(ev.mentions.Row(1)[0]), "a2");
  EXPECT_EQ(ds.String(ev.language[1]), "en");
  EXPECT_EQ(ds.String(ev.client[1]), "web");
  EXPECT_EQ(CountryName(ev.target_country[1]), "DE");
  ASSERT_EQ(ds.event_extras.size(), 1u) << "unknown columns are kept";
  EXPECT_EQ(ds.event_extras[0].row, 1u) << "extras follow their event through the sort";
  EXPECT_EQ(ds.String(ds.event_extras[0].column), "colour");
  EXPECT_EQ(ds.String(ds.event_extras[0].value), "red");

  ASSERT_EQ(ds.infra.size(), 2u);
  EXPECT_EQ(ds.infra[0].kind, InfraKind::kDevice);
  EXPECT_EQ(ds.infra_values.Get(ds.infra[0].value), "d-1");
  EXPECT_EQ(ds.infra[1].time, kNoTime) << "infra time is optional";
  ASSERT_EQ(ds.profile_changes.size(), 1u);
  EXPECT_EQ(ds.profile_changes[0].field, ProfileField::kHandle);
  EXPECT_EQ(ds.String(ds.profile_changes[0].old_value), "old_pg");
  ASSERT_EQ(ds.follower_counts.size(), 2u);
  EXPECT_EQ(ds.follower_counts[1].followers, 1200);
  ASSERT_EQ(ds.ads.size(), 1u);
  EXPECT_DOUBLE_EQ(ds.ads[0].spend, 99.95);
  EXPECT_EQ(ds.String(ds.ads[0].currency), "USD");
  EXPECT_EQ(l.report.rows_read(), l.report.rows_loaded()) << "nothing rejected";
  EXPECT_EQ(l.report.files.size(), 6u) << "labels.csv is ground truth and never read";
}

TEST(LockstepReader, ListsAsJsonArraysOrSpaceSeparatedInCsv) {
  TempDir dir;
  WriteSet(dir,
           "e1,a1,2017-01-01,post,,hi,\"[\"\"https://a.example/x\"\", \"\"https://b.example/y\"\"]\",tag1 tag2\n"
           "e2,a1,2017-01-02,post,,hi,https://c.example/z,\"[\"\"t3\"\"]\"\n");
  Loaded l = Load(dir.path());
  ASSERT_TRUE(l.ds.ok()) << l.ds.status().message();
  const Events& ev = l.ds->events;
  EXPECT_EQ(ev.urls.Row(0).size(), 2u) << "JSON array string in CSV";
  EXPECT_EQ(ev.hashtags.Row(0).size(), 2u) << "space-separated string in CSV";
  EXPECT_EQ(ev.urls.Row(1).size(), 1u);
  EXPECT_EQ(l.ds->hashtags.Get(ev.hashtags.Row(1)[0]), "t3");
}

struct ErrorCase {
  const char* name;
  std::string accounts;
  std::string events;
  InputErrorKind kind;
  const char* file;
  uint64_t line;
  const char* field;
  const char* message_part;
};

class LockstepReaderErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LockstepReaderErrors, FailPolicyStopsWithFileLineAndField) {
  const ErrorCase& c = GetParam();
  TempDir dir;
  WriteFile(dir / "accounts.csv", c.accounts);
  WriteFile(dir / "events.csv", c.events);
  Loaded l = Load(dir.path());
  ASSERT_FALSE(l.ds.ok()) << c.name << ": the load must fail";
  EXPECT_EQ(l.ds.status().code(), StatusCode::kInputError) << c.name;
  ASSERT_NE(l.sink->first(), nullptr) << c.name;
  const InputError& e = *l.sink->first();
  EXPECT_EQ(e.kind, c.kind) << c.name << ": " << e.ToString();
  EXPECT_EQ(std::filesystem::path(e.file).filename(), c.file) << c.name << ": names the file";
  EXPECT_EQ(e.line, c.line) << c.name << ": names the line; " << e.ToString();
  EXPECT_EQ(e.field, c.field) << c.name << ": names the field; " << e.ToString();
  EXPECT_NE(e.ToString().find(c.message_part), std::string::npos) << c.name << ": says what was wrong: " << e.ToString();
  EXPECT_FALSE(e.fix.empty()) << c.name << ": says how to fix it";
  EXPECT_NE(l.ds.status().message().find(c.file), std::string::npos) << "the status message names the file";
}

const std::string kEventsHeader = "event_id,account_id,time,type,target_id,text,urls,hashtags\n";
const std::string kGoodEvent = "e1,a1,2017-01-01T00:00:00Z,post,,hello,,\n";

INSTANTIATE_TEST_SUITE_P(
    EveryDefect, LockstepReaderErrors,
    ::testing::Values(
        ErrorCase{"too_few_columns", kAccounts, kEventsHeader + kGoodEvent + "e2,a1,2017-01-01,post\n",
                  InputErrorKind::kColumnCount, "events.csv", 3, "", "4 columns, the header has 8"},
        ErrorCase{"too_many_columns", kAccounts, kEventsHeader + "e2,a1,2017-01-01,post,,x,,,extra\n",
                  InputErrorKind::kColumnCount, "events.csv", 2, "", "9 columns, the header has 8"},
        ErrorCase{"bad_time", kAccounts, kEventsHeader + kGoodEvent + "e2,a1,last tuesday,post,,,,\n",
                  InputErrorKind::kBadTime, "events.csv", 3, "time", "'last tuesday' is not a time"},
        ErrorCase{"invalid_utf8", kAccounts, kEventsHeader + "e2,a1,2017-01-01,post,,caf\xe9,,\n",
                  InputErrorKind::kInvalidUtf8, "events.csv", 2, "text", "not valid UTF-8"},
        ErrorCase{"duplicate_account", std::string(kAccounts) + "a1,twitter,account,x,,,,,,,,,\n",
                  kEventsHeader + kGoodEvent, InputErrorKind::kDuplicateId, "accounts.csv", 4, "account_id",
                  "'a1' appears twice"},
        ErrorCase{"unknown_account", kAccounts, kEventsHeader + kGoodEvent + "e2,zz9,2017-01-01,post,,,,\n",
                  InputErrorKind::kUnknownAccount, "events.csv", 3, "account_id", "'zz9' is not in the accounts file"},
        ErrorCase{"unterminated_quote", kAccounts, kEventsHeader + kGoodEvent + "e2,a1,2017-01-01,post,,\"cut off\nhere",
                  InputErrorKind::kUnterminatedQuote, "events.csv", 3, "", "never closed"},
        ErrorCase{"negative_followers",
                  "account_id,followers\na1,10\na2,-5\n", kEventsHeader + kGoodEvent,
                  InputErrorKind::kNegativeValue, "accounts.csv", 3, "followers", "-5 is negative"},
        ErrorCase{"empty_file", kAccounts, "", InputErrorKind::kEmptyFile, "events.csv", 0, "", "empty"},
        ErrorCase{"missing_required_column", kAccounts, "event_id,account_id,type\ne1,a1,post\n",
                  InputErrorKind::kMissingColumn, "events.csv", 1, "time", "no column 'time'"},
        ErrorCase{"missing_required_value", kAccounts, kEventsHeader + "e1,a1,,post,,,,\n",
                  InputErrorKind::kMissingValue, "events.csv", 2, "time", "required"},
        ErrorCase{"bad_event_type", kAccounts, kEventsHeader + "e1,a1,2017-01-01,retweet,,,,\n",
                  InputErrorKind::kBadValue, "events.csv", 2, "type", "'retweet' is not one of"},
        ErrorCase{"duplicate_event", kAccounts, kEventsHeader + kGoodEvent + kGoodEvent,
                  InputErrorKind::kDuplicateId, "events.csv", 3, "event_id", "'e1' appears twice"},
        ErrorCase{"bad_image_hash", "account_id,profile_image_hash\na1,xyz\n", kEventsHeader + kGoodEvent,
                  InputErrorKind::kBadValue, "accounts.csv", 2, "profile_image_hash", "not 16 hex digits"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.name); });

TEST(LockstepReader, ErrorCarriesByteOffsetOfTheRow) {
  TempDir dir;
  WriteSet(dir, kGoodEvent + "e2,a1,never,post,,,,\n");
  Loaded l = Load(dir.path());
  ASSERT_NE(l.sink->first(), nullptr);
  EXPECT_EQ(l.sink->first()->byte_offset, kEventsHeader.size() + kGoodEvent.size())
      << "offset of the bad row's first byte";
}

TEST(LockstepReader, LineNumbersCountNewlinesInsideQuotes) {
  TempDir dir;
  WriteSet(dir, "e1,a1,2017-01-01,post,,\"two\nlines\",,\ne2,a1,bad time,post,,,,\n");
  Loaded l = Load(dir.path());
  ASSERT_NE(l.sink->first(), nullptr);
  EXPECT_EQ(l.sink->first()->line, 4u) << "the bad row starts on physical line 4";
}

TEST(LockstepReader, SkipPolicyLoadsTheRestCountsAndWritesRejects) {
  TempDir dir;
  WriteSet(dir, kGoodEvent + "e2,a1,never,post,,,,\n" + "e3,nobody,2017-01-01,post,,,,\n" +
                    "e4,a2,2017-01-02,share,e1,,,\n" + "e5,a1,2017-01-01,post\n");
  const std::string rejects = dir / "rejects.csv";
  Loaded l = Load(dir.path(), ErrorPolicy::kSkip, rejects);
  ASSERT_TRUE(l.ds.ok()) << l.ds.status().message();
  EXPECT_EQ(l.ds->events.size(), 2u) << "e1 and e4 load";
  const FileStats& events = l.report.files[1];
  EXPECT_EQ(events.rows_read, 5u);
  EXPECT_EQ(events.rows_loaded, 2u);
  EXPECT_EQ(events.rows_rejected, 3u);
  EXPECT_EQ(events.rows_read, events.rows_loaded + events.rows_rejected) << "read = loaded + rejected";
  EXPECT_EQ(l.sink->count(InputErrorKind::kBadTime), 1u);
  EXPECT_EQ(l.sink->count(InputErrorKind::kUnknownAccount), 1u);
  EXPECT_EQ(l.sink->count(InputErrorKind::kColumnCount), 1u);
  const std::string summary = l.sink->Summary();
  EXPECT_NE(summary.find("bad_time"), std::string::npos) << "summary counts each kind: " << summary;
  EXPECT_NE(summary.find("e.g."), std::string::npos) << "summary shows examples";
  l.sink.reset();  // flush the rejects file
  const std::string written = testing::ReadFile(rejects);
  EXPECT_NE(written.find("e2,a1,never"), std::string::npos) << "every skipped row is in the rejects file";
  EXPECT_NE(written.find("nobody"), std::string::npos);
  EXPECT_NE(written.find("unknown_account"), std::string::npos);
}

TEST(LockstepReader, MissingColumnUnderSkipRejectsEveryRowOfThatFile) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  WriteFile(dir / "events.csv", kEventsHeader + kGoodEvent);
  WriteFile(dir / "infra.csv", "account_id,value\na1,x\na2,y\n");
  Loaded l = Load(dir.path(), ErrorPolicy::kSkip);
  ASSERT_TRUE(l.ds.ok());
  EXPECT_TRUE(l.ds->infra.empty());
  EXPECT_EQ(l.report.files[2].rows_read, 2u);
  EXPECT_EQ(l.report.files[2].rows_rejected, 2u) << "nothing is dropped silently";
  EXPECT_EQ(l.sink->count(InputErrorKind::kMissingColumn), 1u) << "one error for the header";
}

TEST(LockstepReader, ReadsGzipAndZstd) {
  for (const char* ext : {".gz", ".zst"}) {
    TempDir dir;
    const std::string events = kEventsHeader + kGoodEvent + "e2,a2,2017-01-02,share,e1,,,\n";
    if (std::string(ext) == ".gz") {
      testing::WriteGzip(dir / "accounts.csv.gz", kAccounts);
      testing::WriteGzip(dir / "events.csv.gz", events);
    } else {
      testing::WriteZstd(dir / "accounts.csv.zst", kAccounts);
      testing::WriteZstd(dir / "events.csv.zst", events);
    }
    Loaded l = Load(dir.path());
    ASSERT_TRUE(l.ds.ok()) << ext << ": " << l.ds.status().message();
    EXPECT_EQ(l.ds->events.size(), 2u) << ext;
    EXPECT_EQ(l.ds->accounts.size(), 2u) << ext;
    EXPECT_EQ(l.report.bytes, std::string(kAccounts).size() + events.size()) << ext << ": decompressed bytes counted";
  }
}

TEST(LockstepReader, CorruptCompressedFileIsAnError) {
  TempDir dir;
  testing::WriteFile(dir / "accounts.csv.gz", "this is not gzip at all but is long enough to look like data\n");
  testing::WriteZstd(dir / "events.csv.zst", kEventsHeader + kGoodEvent);
  std::string zst = testing::ReadFile(dir / "events.csv.zst");
  testing::WriteFile(dir / "events.csv.zst", zst.substr(0, zst.size() / 2));
  Loaded l = Load(dir.path(), ErrorPolicy::kSkip);
  // A .gz that is not gzip is a damaged archive (issue 17: no transparent
  // plain-text reading that would hide a damaged file); it stops the load.
  EXPECT_FALSE(l.ds.ok()) << "a damaged archive stops the load under skip too";
  EXPECT_GE(l.sink->count(InputErrorKind::kDamagedArchive), 1u) << "the file that is not gzip is reported";
}

TEST(LockstepReader, TwoFilesForOneTableIsAnError) {
  TempDir dir;
  WriteSet(dir, kGoodEvent);
  WriteFile(dir / "events.jsonl", "{}\n");
  Loaded l = Load(dir.path());
  ASSERT_FALSE(l.ds.ok());
  EXPECT_NE(l.ds.status().message().find("keep one"), std::string::npos) << l.ds.status().message();
}

TEST(LockstepReader, MissingRequiredFileIsAnIoError) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  Loaded l = Load(dir.path());
  ASSERT_FALSE(l.ds.ok());
  EXPECT_EQ(l.ds.status().code(), StatusCode::kIoError);
  EXPECT_NE(l.ds.status().message().find("events"), std::string::npos) << l.ds.status().message();
}

TEST(LockstepReader, JsonLinesDefectsAreReported) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  WriteFile(dir / "events.jsonl",
            "{\"event_id\":\"e1\",\"account_id\":\"a1\",\"time\":\"2017-01-01\",\"type\":\"post\"}\n"
            "{\"event_id\":\"e2\",\"account_id\":\"a1\",\"time\":\"2017-01-01\"\n"
            "[1,2]\n"
            "\n"
            "{\"event_id\":\"e3\",\"account_id\":\"a1\",\"type\":\"post\"}\n"
            "{\"event_id\":\"e4\",\"account_id\":\"a1\",\"time\":\"2017-01-01\",\"type\":\"post\",\"text\":\"caf\xe9\"}\n");
  Loaded l = Load(dir.path(), ErrorPolicy::kSkip);
  ASSERT_TRUE(l.ds.ok());
  EXPECT_EQ(l.ds->events.size(), 1u);
  EXPECT_EQ(l.sink->count(InputErrorKind::kBadJson), 2u) << "unclosed object and a non-object line";
  EXPECT_EQ(l.sink->count(InputErrorKind::kMissingValue), 1u) << "e3 has no time";
  EXPECT_EQ(l.sink->count(InputErrorKind::kInvalidUtf8), 1u) << "e4 is not UTF-8";
  EXPECT_EQ(l.report.files[1].rows_read, 5u) << "the blank line is not a row";
  EXPECT_EQ(l.report.files[1].rows_rejected, 4u);
  bool saw_line_6 = false;
  for (const InputError& e : l.sink->samples()) saw_line_6 |= e.kind == InputErrorKind::kInvalidUtf8 && e.line == 6;
  EXPECT_TRUE(saw_line_6) << "line numbers count the blank line";
}

TEST(LockstepReader, CrlfLineEndingsAndByteOrderMark) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", "\xEF\xBB\xBF" "account_id,followers\r\na1,5\r\n");
  WriteFile(dir / "events.csv", "account_id,time,type,text\r\na1,2017-01-01,post,\"x\r\ny\"\r\na1,2017-01-02,post,z\r\n");
  Loaded l = Load(dir.path());
  ASSERT_TRUE(l.ds.ok()) << l.ds.status().message();
  EXPECT_EQ(l.ds->accounts[0].followers, 5) << "BOM does not corrupt the first column name; CR is not in the value";
  EXPECT_EQ(l.ds->events.Text(1), "z");
}

// A generated file of 1M events with defects sprinkled in: every row is
// accounted for as loaded or rejected.
TEST(LockstepReader, MillionEventsAccountedFor) {
  TempDir dir;
  std::mt19937_64 rng(7);
  std::string accounts = "account_id,followers\n";
  for (int i = 0; i < 1000; ++i) accounts += fmt::format("acc{},{}\n", i, i);
  std::string events = "event_id,account_id,time,type,target_id,text\n";
  events.reserve(50u << 20);
  uint64_t bad = 0;
  for (int i = 0; i < 1000000; ++i) {
    const uint64_t r = rng() % 1000;
    if (r == 0) {
      events += fmt::format("x{},acc{},not-a-time,post,,t\n", i, rng() % 1000);
      ++bad;
    } else if (r == 1) {
      events += fmt::format("x{},ghost,{},post,,t\n", i, 1500000000 + i);
      ++bad;
    } else if (r == 2) {
      events += fmt::format("x{},acc1\n", i);
      ++bad;
    } else {
      events += fmt::format("x{},acc{},{},share,p{},\"text, {}\"\n", i, rng() % 1000, 1500000000 + rng() % 100000000,
                            rng() % 50000, i);
    }
  }
  WriteFile(dir / "accounts.csv", accounts);
  testing::WriteZstd(dir / "events.csv.zst", events);
  Loaded l = Load(dir.path(), ErrorPolicy::kSkip);
  ASSERT_TRUE(l.ds.ok());
  const FileStats& f = l.report.files[1];
  EXPECT_EQ(f.rows_read, 1000000u);
  EXPECT_EQ(f.rows_rejected, bad);
  EXPECT_EQ(f.rows_loaded + f.rows_rejected, f.rows_read) << "loaded + rejected = read";
  EXPECT_EQ(l.ds->events.size(), f.rows_loaded);
  EXPECT_TRUE(std::is_sorted(l.ds->events.time.begin(), l.ds->events.time.end())) << "events sorted by time";
  const double per_event = static_cast<double>(l.ds->EventBytesWithoutText()) / l.ds->events.size();
  EXPECT_LE(per_event, 80.0) << "memory target: at most 80 bytes per event without text";
}

}  // namespace
}  // namespace lockstep
