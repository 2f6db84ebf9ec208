// Regression tests of issue 17 (hostile and careless input) for the
// readers, one per item: each input below once loaded silently, crashed a
// later stage, or gave a message that blamed the wrong thing.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "lockstep/ingest/byte_source.h"
#include "lockstep/ingest/coortweet_reader.h"
#include "lockstep/ingest/field_parsers.h"
#include "lockstep/ingest/load.h"
#include "lockstep/ingest/table_reader.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

const std::string kCli = LOCKSTEP_CLI;
const char kAccounts[] = "account_id,created_at\na1,2015-01-01\na2,\n";

struct Loaded {
  Result<Dataset> ds = Status::Internal("not loaded");
  std::unique_ptr<ErrorSink> sink;
  LoadReport report;
  std::string message() const { return ds.ok() ? std::string("loaded") : ds.status().message(); }
};

Loaded Load(const std::string& path, ErrorPolicy policy = ErrorPolicy::kFail, const std::string& format = "auto",
            LoadOptions options = {}) {
  Loaded l;
  l.sink = std::make_unique<ErrorSink>(policy);
  l.ds = LoadDataset(path, format, options, l.sink.get(), &l.report);
  return l;
}

// Items 1, 4, 5: times far outside any platform's life are bad_time errors
// naming file, line and field, in every reader; epoch milliseconds are named as such.
TEST(HostileInput, TimesOutsideThePlatformWindowAreInputErrors) {
  struct Case {
    std::string events, accounts, field, expect;
  };
  const std::vector<Case> cases = {
      {"a1,-9223372036854775808,post\n", kAccounts, "time", "outside the times"},
      {"a1,-9223372036854775807,post\n", kAccounts, "time", "outside the times"},
      {"a1,1599030000000,post\n", kAccounts, "time", "epoch milliseconds"},
      {"a1,99999999999999999999,post\n", kAccounts, "time", "out of range of epoch seconds"},
      {"a1,1999-12-31T23:59:59Z,post\n", kAccounts, "time", "outside the times"},
      {"a1,2020-01-01,post\n", "account_id,created_at\na1,9223372036854775807\n", "created_at", "outside the times"},
      {"a1,2020-01-01,post\n", "account_id,created_at\na1,100000000000000\n", "created_at", "outside the times"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    WriteFile(dir / "accounts.csv", c.accounts);
    WriteFile(dir / "events.csv", "account_id,time,type\n" + c.events);
    Loaded l = Load(dir.path());
    ASSERT_FALSE(l.ds.ok()) << "must be refused: " << c.events << c.accounts;
    EXPECT_EQ(l.ds.status().code(), StatusCode::kInputError);
    ASSERT_NE(l.sink->first(), nullptr);
    EXPECT_EQ(l.sink->first()->kind, InputErrorKind::kBadTime) << l.message();
    EXPECT_EQ(l.sink->first()->field, c.field) << l.message();
    EXPECT_EQ(l.sink->first()->line, 2u) << l.message();
    EXPECT_NE(l.message().find(c.expect), std::string::npos) << l.message();
  }
  // The other readers read their times through the same check.
  TempDir dir;
  WriteFile(dir / "posts.csv", "user,ts\nu1,1599030000000\n");
  LoadOptions mapped;
  mapped.column_map = {{"account_id", "user"}, {"time", "ts"}};
  Loaded m = Load(dir / "posts.csv", ErrorPolicy::kFail, "auto", mapped);
  EXPECT_NE(m.message().find("epoch milliseconds"), std::string::npos) << "--map: " << m.message();
  WriteFile(dir / "shares.csv", "object_id,account_id,content_id,timestamp_share\no1,a1,c1,1623881091\no1,a2,c2,-5\n");
  Loaded c = Load(dir / "shares.csv");
  EXPECT_NE(c.message().find("outside the times"), std::string::npos) << "coortweet: " << c.message();
  WriteFile(dir / "t.jsonl",
            R"({"created_at":"Wed Oct 10 20:19:24 +0000 1980","id_str":"1","text":"x","user":{"id_str":"2"}})" "\n");
  Loaded j = Load(dir / "t.jsonl");
  EXPECT_NE(j.message().find("outside the times"), std::string::npos) << "twitter_json: " << j.message();
}

// Items 9 and 21: a truncated or damaged .gz/.zst is a damaged_archive
// error naming the file and the byte, under either policy; never a short
// load with exit 0, nor an unterminated quote on the last line.
TEST(HostileInput, DamagedArchivesAreRefusedWithTheirByte) {
  std::string body = "account_id,time,type,text\n";
  for (int i = 0; i < 20000; ++i) body += "a1,2020-01-01T00:00:00Z,post,\"row " + std::to_string(i * 7919) + "\"\n";
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  testing::WriteGzip(dir / "whole.gz", body);
  const std::string gz = testing::ReadFile(dir / "whole.gz");
  testing::WriteZstd(dir / "whole.zst", body);
  const std::string zst = testing::ReadFile(dir / "whole.zst");
  struct Case {
    std::string name, bytes, ext, expect;
  };
  const std::vector<Case> cases = {
      {"gz without its 8-byte trailer", gz.substr(0, gz.size() - 8), ".gz", "truncated gzip archive"},
      {"gz cut in the middle", gz.substr(0, gz.size() / 2), ".gz", "truncated gzip archive"},
      {"gz with garbage after it", gz + "GARBAGE!", ".gz", "garbage follow"},
      {"zst cut in the middle", zst.substr(0, zst.size() / 2), ".zst", "truncated zstd archive"},
      {"zst with garbage after it", zst + "GARBAGE!", ".zst", "damaged zstd archive"},
  };
  for (const Case& c : cases) {
    for (ErrorPolicy policy : {ErrorPolicy::kFail, ErrorPolicy::kSkip}) {
      std::filesystem::remove(dir / "events.csv.gz");
      std::filesystem::remove(dir / "events.csv.zst");
      WriteFile(dir / ("events.csv" + c.ext), c.bytes);
      Loaded l = Load(dir.path(), policy);
      ASSERT_FALSE(l.ds.ok()) << c.name << ": must not load part of the file";
      ASSERT_NE(l.sink->first(), nullptr) << c.name;
      EXPECT_EQ(l.sink->first()->kind, InputErrorKind::kDamagedArchive) << c.name << ": " << l.message();
      EXPECT_NE(l.message().find(c.expect), std::string::npos) << c.name << ": " << l.message();
      EXPECT_NE(l.message().find("events.csv" + c.ext), std::string::npos) << "names the file: " << l.message();
      EXPECT_NE(l.message().find("at byte"), std::string::npos) << "names the byte: " << l.message();
      EXPECT_EQ(l.message().find("quote"), std::string::npos) << "not a CSV error: " << l.message();
    }
  }
  std::filesystem::remove(dir / "events.csv.zst");
  testing::WriteGzip(dir / "rows.gz", body.substr(body.find('\n') + 1));  // the rows without the header
  WriteFile(dir / "events.csv.gz", gz + testing::ReadFile(dir / "rows.gz"));  // two members, as `cat a.gz b.gz` makes
  Loaded two = Load(dir.path());
  ASSERT_TRUE(two.ds.ok()) << two.message() << (two.sink->first() ? two.sink->first()->ToString() : "");
  EXPECT_EQ(two.ds->events.size(), 40000u) << "both members are read";
}

// Item 10: CR-only line endings are read as lines.
TEST(HostileInput, CrOnlyLineEndingsAreLines) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", "account_id,created_at\ra1,2015-01-01\ra2,\r");
  WriteFile(dir / "events.csv", "account_id,time,type,text\ra1,2020-01-01,post,\"two\rlines\"\ra2,2020-01-02,post,x\r");
  Loaded l = Load(dir.path());
  ASSERT_TRUE(l.ds.ok()) << l.message();
  EXPECT_EQ(l.ds->accounts.size(), 2u);
  ASSERT_EQ(l.ds->events.size(), 2u) << "both rows, not 0";
  EXPECT_EQ(l.ds->events.Text(0), "two\nlines") << "a line break inside a quoted field is kept as one";
  ErrorSink sink(ErrorPolicy::kSkip);
  auto reader = TableReader::FromString("x.csv", "a,b\r\n1,\"x\ry\"\r\n", {"a", "b"}, &sink);
  Row row;
  ASSERT_TRUE(reader->Next(&row));
  EXPECT_EQ(row.values[1], "x\ry") << "CRLF files keep a lone CR inside a field as it is";
}

// Item 12: a --map column must exist, and --map with another reader is refused.
TEST(HostileInput, MapMustNameExistingColumnsAndTheMapReader) {
  TempDir dir;
  WriteFile(dir / "posts.csv", "user,ts,body\nu1,2020-01-01,hi\n");
  LoadOptions o;
  o.column_map = {{"account_id", "user"}, {"time", "ts"}, {"text", "nosuchcol"}};
  Loaded l = Load(dir / "posts.csv", ErrorPolicy::kFail, "auto", o);
  ASSERT_FALSE(l.ds.ok()) << "a misspelt column is not silently empty";
  EXPECT_NE(l.message().find("nosuchcol"), std::string::npos) << l.message();
  EXPECT_NE(l.message().find("user, ts, body"), std::string::npos) << "lists the columns there are: " << l.message();
  WriteFile(dir / "shares.csv", "object_id,account_id,content_id,timestamp_share\no1,a1,c1,1623881091\n");
  Loaded c = Load(dir / "shares.csv", ErrorPolicy::kFail, "coortweet", o);
  ASSERT_FALSE(c.ds.ok()) << "--map is not ignored";
  EXPECT_EQ(c.ds.status().code(), StatusCode::kInvalidArgument) << "a usage error (exit 1)";
  EXPECT_NE(c.message().find("--map"), std::string::npos) << c.message();
  // JSON Lines have no header: a mapped key that no record holds is refused
  // after the file, naming the key; one that some records hold loads.
  WriteFile(dir / "posts.jsonl", R"({"user":"u1","ts":"2020-01-01","body":"hi"})" "\n"
                                 R"({"user":"u2","ts":"2020-01-02"})" "\n");
  for (ErrorPolicy policy : {ErrorPolicy::kFail, ErrorPolicy::kSkip}) {
    Loaded j = Load(dir / "posts.jsonl", policy, "auto", o);
    ASSERT_FALSE(j.ds.ok()) << "a misspelt JSON key is not silently empty";
    EXPECT_EQ(j.ds.status().code(), StatusCode::kInputError) << "bad input (exit 2), as for a CSV header";
    EXPECT_NE(j.message().find("text=nosuchcol"), std::string::npos) << j.message();
    EXPECT_NE(j.message().find("posts.jsonl"), std::string::npos) << j.message();
  }
  o.column_map.back().second = "body";
  Loaded ok = Load(dir / "posts.jsonl", ErrorPolicy::kFail, "auto", o);
  ASSERT_TRUE(ok.ds.ok()) << "a key present in one record of two: " << ok.message();
  EXPECT_EQ(ok.ds->events.size(), 2u);
}

// Item 13: duplicate or empty header names, lists holding arrays, objects,
// null or booleans, and NUL bytes are refused with a word.
TEST(HostileInput, HeadersListsAndNulBytesAreChecked) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"account_id,time,type,time\na1,2020-01-01,post,2020-01-02\n", "twice"},
      {"account_id,time,type,\na1,2020-01-01,post,x\n", "no name"},
  };
  for (const auto& [events, expect] : headers) {
    TempDir dir;
    WriteFile(dir / "accounts.csv", kAccounts);
    WriteFile(dir / "events.csv", events);
    Loaded l = Load(dir.path());
    ASSERT_FALSE(l.ds.ok()) << events;
    EXPECT_NE(l.message().find(expect), std::string::npos) << l.message();
    EXPECT_NE(l.message().find("events.csv:1"), std::string::npos) << "names the header line: " << l.message();
  }
  std::string scratch;
  std::vector<std::string_view> items;
  for (const char* bad : {"[[\"a\"]]", "[{\"a\":1}]", "[\"a\", null]", "[None]", "[true]", "[\"a\", [1, 2]]"}) {
    scratch.clear();
    items.clear();
    EXPECT_FALSE(ParseList(bad, &scratch, &items)) << bad;
  }
  scratch.clear();
  items.clear();
  EXPECT_TRUE(ParseList("[123, 456]", &scratch, &items)) << "ids as numbers (IO archive user_mentions) stay";
  EXPECT_EQ(items.size(), 2u);
  TempDir dir;
  WriteFile(dir / "accounts.csv", std::string("account_id\na1\na\0b\n", 17));
  WriteFile(dir / "events.csv", "account_id,time,type\na1,2020-01-01,post\n");
  Loaded l = Load(dir.path());
  ASSERT_FALSE(l.ds.ok()) << "a NUL in an id";
  EXPECT_NE(l.message().find("NUL"), std::string::npos) << l.message();
  EXPECT_NE(l.message().find("accounts.csv:3"), std::string::npos) << l.message();
  WriteFile(dir / "accounts.csv", kAccounts);
  std::filesystem::remove(dir / "events.csv");
  WriteFile(dir / "events.jsonl", R"({"account_id":"a1\u0000x","time":"2020-01-01","type":"post"})" "\n");
  Loaded j = Load(dir.path());
  EXPECT_NE(j.message().find("NUL"), std::string::npos) << "an escaped NUL in JSON: " << j.message();
}

// Item 17: a broken events file is named with what is wrong with it.
TEST(HostileInput, BrokenEventsFilesAreNamed) {
  struct Case {
    std::string name, expect;
    std::function<void(const std::string&)> make;  // makes dir/events.csv
  };
  const std::vector<Case> cases = {
      {"symlink loop", "loop of symbolic links",
       [](const std::string& p) { ASSERT_EQ(::symlink(p.c_str(), p.c_str()), 0); }},
      {"dangling link", "dangling", [](const std::string& p) { ASSERT_EQ(::symlink("/nonexistent/x", p.c_str()), 0); }},
      {"directory", "a directory", [](const std::string& p) { std::filesystem::create_directory(p); }},
      {"FIFO", "FIFO", [](const std::string& p) { ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0); }},
      {"/dev/zero", "a device", [](const std::string& p) { ASSERT_EQ(::symlink("/dev/zero", p.c_str()), 0); }},
      {"two events files", "two events files",
       [](const std::string& p) {
         WriteFile(p, "account_id,time,type\n");
         testing::WriteGzip(p + ".gz", "account_id,time,type\n");
       }},
  };
  for (const Case& c : cases) {
    TempDir dir;
    WriteFile(dir / "accounts.csv", kAccounts);
    c.make(dir / "events.csv");
    Loaded l = Load(dir.path());
    ASSERT_FALSE(l.ds.ok()) << c.name;
    EXPECT_NE(l.message().find(c.expect), std::string::npos) << c.name << ": " << l.message();
    EXPECT_NE(l.message().find("events.csv"), std::string::npos) << c.name << ": names the file: " << l.message();
    EXPECT_EQ(l.message().find("cannot tell the format"), std::string::npos) << c.name << ": " << l.message();
    EXPECT_EQ(l.ds.status().code(), StatusCode::kInputError) << c.name << ": bad input, exit 2";
  }
}

// Item 18: a CooRTweet share table without object_id says so.
TEST(HostileInput, CoorTweetWithoutObjectIdNamesObjectId) {
  TempDir dir;
  WriteFile(dir / "shares.csv", "account_id,content_id,timestamp_share\na1,c1,1623881091\n");
  Loaded l = Load(dir / "shares.csv", ErrorPolicy::kFail, "coortweet");
  ASSERT_FALSE(l.ds.ok());
  ASSERT_NE(l.sink->first(), nullptr);
  EXPECT_EQ(l.sink->first()->field, "object_id") << l.message();
  EXPECT_EQ(l.message().find("'timestamp'"), std::string::npos) << l.message();
}

// Item 21: a UTF-8 byte order mark before JSON Lines is skipped, as in CSV.
TEST(HostileInput, ByteOrderMarkBeforeJsonLines) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  WriteFile(dir / "events.jsonl", "\xEF\xBB\xBF" R"({"account_id":"a1","time":"2020-01-01","type":"post"})" "\n");
  Loaded l = Load(dir.path());
  ASSERT_TRUE(l.ds.ok()) << l.message();
  EXPECT_EQ(l.ds->events.size(), 1u);
  WriteFile(dir / "t.jsonl",
            "\xEF\xBB\xBF" R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"1","text":"x","user":{"id_str":"2"}})"
            "\n");
  Loaded t = Load(dir / "t.jsonl");
  ASSERT_TRUE(t.ds.ok()) << "detected as twitter_json despite the mark: " << t.message();
}

// Item 22: a field over 16 MiB is refused, and a compressed bomb of one
// huge field stops at the row cap instead of growing without bound.
TEST(HostileInput, FieldsAndRowsAreCapped) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  std::string big = "account_id,time,type,text\na1,2020-01-01,post,";
  big.append(kMaxFieldBytes + 1, 'x');
  big += "\na1,2020-01-02,post,fine\n";
  testing::WriteZstd(dir / "events.csv.zst", big);
  Loaded l = Load(dir.path(), ErrorPolicy::kSkip);
  ASSERT_TRUE(l.ds.ok()) << l.message();
  EXPECT_EQ(l.sink->count(InputErrorKind::kTooLarge), 1u) << "the big field is refused";
  EXPECT_EQ(l.ds->events.size(), 1u) << "the row after it loads";
  EXPECT_EQ(l.sink->samples().front().field, "text") << "names the field";
  std::string bomb = "account_id,time,type,text\na1,2020-01-01,post,";
  bomb.append(kMaxRowBytes + 1024, 'x');
  testing::WriteZstd(dir / "events.csv.zst", bomb);
  Loaded b = Load(dir.path(), ErrorPolicy::kSkip);
  ASSERT_FALSE(b.ds.ok()) << "a row past the cap stops the file";
  EXPECT_EQ(b.sink->first()->kind, InputErrorKind::kTooLarge) << b.message();
  EXPECT_NE(b.message().find("64 MiB"), std::string::npos) << b.message();
}

// The CLI side: exit codes and messages as a user meets them.
TEST(HostileInputCli, ExitCodesAndMessages) {
  TempDir dir;
  WriteFile(dir / "accounts.csv", kAccounts);
  WriteFile(dir / "events.csv", "account_id,time,type\na1,-9223372036854775808,post\n");
  auto r = RunCommand(kCli + " ingest " + dir.path());
  EXPECT_EQ(r.exit_code, 2) << "item 1: bad input, not a time span with no start:\n" << r.output;
  EXPECT_EQ(r.output.find("time span"), std::string::npos) << r.output;

  // Item 11: --rejects into a directory that does not exist says so before loading.
  WriteFile(dir / "events.csv", "account_id,time,type\na1,2020-01-01,post\nghost,2020-01-01,post\n");
  r = RunCommand(kCli + " ingest " + dir.path() + " --on-error=skip --rejects " + dir.path() + "/no/such/dir/r.csv");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--rejects"), std::string::npos) << "names the flag: " << r.output;
  EXPECT_NE(r.output.find("no/such/dir/r.csv"), std::string::npos) << "names the path: " << r.output;

  // ... and --rejects without --on-error=skip is a usage error, not ignored.
  r = RunCommand(kCli + " ingest " + dir.path() + " --rejects " + dir.path() + "/r.csv");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--on-error=skip"), std::string::npos) << "says what it needs: " << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "r.csv"));

  // Item 14: --save '' is a usage error, not a silent no-op; a device or a
  // missing directory is refused before loading, naming the flag.
  WriteFile(dir / "events.csv", "account_id,time,type\na1,2020-01-01,post\n");
  r = RunCommand(kCli + " ingest " + dir.path() + " --save ''");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--save"), std::string::npos) << r.output;
  for (const std::string& target : {std::string("/dev/full"), dir.path() + "/no/such/dir/x.snapshot"}) {
    r = RunCommand(kCli + " ingest " + dir.path() + " --save " + target);
    EXPECT_EQ(r.exit_code, 2) << target << ":\n" << r.output;
    EXPECT_NE(r.output.find("--save: " + target), std::string::npos) << "names the flag and the path: " << r.output;
    EXPECT_EQ(r.output.find("events: 1"), std::string::npos) << "refused before loading: " << r.output;
  }
  struct stat st {};
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/full is still a device";

  // Item 16: an id with a terminal escape and a NUL comes out escaped.
  WriteFile(dir / "events.csv", "account_id,time,type\n\"\x1b[2Jghost\",2020-01-01,post\n");
  r = RunCommand(kCli + " ingest " + dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << "no raw escape reaches the terminal";
  EXPECT_NE(r.output.find("\\x1b[2Jghost"), std::string::npos) << r.output;

  // Item 21: a snapshot cut to 0 or 4 bytes is a truncated snapshot, exit 2.
  const std::string snap = dir / "cut.snapshot";
  for (const std::string& bytes : {std::string(), std::string("LKST")}) {
    WriteFile(snap, bytes);
    r = RunCommand(kCli + " ingest " + snap);
    EXPECT_EQ(r.exit_code, 2) << bytes.size() << " bytes:\n" << r.output;
    EXPECT_NE(r.output.find("truncated snapshot"), std::string::npos) << r.output;
  }
}

}  // namespace
}  // namespace lockstep
