#include "lockstep/ingest/manifest.h"

#include <gtest/gtest.h>

#include "lockstep/ingest/load.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::TempDir;
using testing::WriteFile;

const std::string kSamples = std::string(LOCKSTEP_SHARED_DATA) + "/platform_samples/";
const std::string kData = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/ingest/";

// A Facebook export with columns of its own, for the manifest's map.
constexpr const char* kPostsCsv =
    "owner,created,body\n"
    "page1,2024-03-01T10:00:00Z,hello\n"
    "page1,2024-03-01T11:00:00Z,again\n"
    "page2,2024-03-02T09:30:00Z,other\n";

TEST(Manifest, RecognisedByItsFirstKeyOnly) {
  TempDir dir;
  WriteFile(dir / "case.json", "\xEF\xBB\xBF \n {\n  \"lockstep_manifest\": 1, \"sources\": []}");
  WriteFile(dir / "data.json", "{\"sources\": [], \"lockstep_manifest\": 1}");
  EXPECT_TRUE(IsManifestFile(dir / "case.json")) << "byte order mark and white space before the first key";
  EXPECT_FALSE(IsManifestFile(dir / "data.json")) << "the key must come first: a data file may mention it";
  EXPECT_FALSE(IsManifestFile(dir.path())) << "a directory is not a manifest";
  EXPECT_FALSE(IsManifestFile(dir / "missing.json"));
}

TEST(Manifest, LoadsRealSamplesAndAMappedTableAsOneDataSet) {
  if (!testing::HaveSharedData()) GTEST_SKIP() << "../shared/data is not beside the checkout";
  TempDir dir;
  std::filesystem::create_directories(dir / "meta");
  WriteFile(dir / "meta/posts.csv", kPostsCsv);
  WriteFile(dir / "case.json",
            "{\n"
            "  \"lockstep_manifest\": 1,\n"
            "  \"sources\": [\n"
            "    {\"path\": \"" +
                kSamples +
                "youtube\"},\n"
                "    {\"path\": \"" +
                kSamples +
                "bluesky/app.bsky.feed.searchPosts-5d343d.json\", \"format\": \"bluesky\"},\n"
                "    {\"path\": \"meta/posts.csv\", \"format\": \"map\", \"platform\": \"facebook\",\n"
                "     \"map\": {\"account_id\": \"owner\", \"time\": \"created\", \"text\": \"body\"}}\n"
                "  ]\n"
                "}\n");
  ErrorSink sink;
  auto manifest = ReadManifest(dir / "case.json", &sink);
  ASSERT_TRUE(manifest.ok()) << manifest.status().message();
  ASSERT_EQ(manifest->sources.size(), 3u);
  EXPECT_EQ(manifest->sources[2].path, dir / "meta/posts.csv") << "relative to the manifest's directory";
  EXPECT_EQ(manifest->sources[2].line, 6u) << "where the entry starts";
  EXPECT_EQ(manifest->sources[0].format, "auto") << "the default format";

  LoadReport report;
  auto loaded = LoadSources({dir / "case.json"}, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Dataset& ds = *loaded;
  ASSERT_EQ(report.sources.size(), 3u) << "one entry per source of the manifest";
  EXPECT_EQ(report.format, "youtube+bluesky+map");
  EXPECT_EQ(report.sources[0].id_namespace, "youtube");
  EXPECT_EQ(report.sources[1].id_namespace, "bluesky");
  EXPECT_EQ(report.sources[2].id_namespace, "facebook") << "the manifest's platform names the source";
  // The readers' own tests count the samples: 8 YouTube events, 23 Bluesky posts by 20 authors.
  EXPECT_EQ(report.sources[0].events, 8u);
  EXPECT_EQ(report.sources[1].events, 23u);
  EXPECT_EQ(report.sources[1].accounts, 20u);
  EXPECT_EQ(report.sources[2].rows_read, 3u);
  EXPECT_EQ(ds.events.size(), 8u + 23u + 3u) << "every source's events in one data set";
  const AccountIndex page = ds.account_ids.Find("facebook:page1");
  ASSERT_NE(page, kNoString) << "the mapped table's ids are namespaced by its platform";
  EXPECT_EQ(ds.String(ds.accounts[page].platform), "facebook") << "accounts without a platform get the manifest's";
  for (const Account& a : ds.accounts) EXPECT_NE(a.platform, kNoString) << "every account keeps its platform";
}

TEST(Manifest, OneSourceWithAPlatformIsThatSource) {
  TempDir dir;
  WriteFile(dir / "posts.csv", kPostsCsv);
  WriteFile(dir / "case.json",
            "{\"lockstep_manifest\": 1, \"sources\": [{\"path\": \"posts.csv\", \"platform\": \"instagram\", "
            "\"map\": {\"account_id\": \"owner\", \"time\": \"created\"}}]}");
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadSources({dir / "case.json"}, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->events.size(), 3u);
  const AccountIndex page = loaded->account_ids.Find("page2");
  ASSERT_NE(page, kNoString) << "one source: ids as they are";
  EXPECT_EQ(loaded->String(loaded->accounts[page].platform), "instagram");
}

TEST(Manifest, ManifestBesideAnotherSourceAndFormatFlagsConflict) {
  TempDir dir;
  WriteFile(dir / "posts.csv", kPostsCsv);
  WriteFile(dir / "case.json",
            "{\"lockstep_manifest\": 1, \"sources\": [{\"path\": \"posts.csv\", \"platform\": \"facebook\", "
            "\"map\": {\"account_id\": \"owner\", \"time\": \"created\"}}]}");
  ErrorSink sink;
  LoadReport report;
  auto both = LoadSources({dir / "case.json", kData + "telegram"}, "auto", {}, &sink, &report);
  ASSERT_TRUE(both.ok()) << both.status().message();
  EXPECT_EQ(report.sources.size(), 2u) << "a manifest's sources and a DATA argument load together";
  EXPECT_NE(both->account_ids.Find("facebook:page1"), kNoString);
  LoadReport again;
  auto flagged = LoadSources({dir / "case.json"}, "telegram", {}, &sink, &again);
  ASSERT_FALSE(flagged.ok());
  EXPECT_EQ(flagged.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(flagged.status().message().find("drop --format"), std::string::npos) << flagged.status().message();
}

struct BadManifest {
  const char* name;
  std::string text;
  uint64_t line;
  std::string field;
  std::string problem;  // a part of the problem's words
};

TEST(Manifest, EveryDefectNamesLineFieldProblemAndFix) {
  TempDir dir;
  WriteFile(dir / "posts.csv", kPostsCsv);
  WriteFile(dir / "inner.json", "{\"lockstep_manifest\": 1, \"sources\": [{\"path\": \"posts.csv\"}]}");
  const std::string head = "{\"lockstep_manifest\": 1,\n\"sources\": [\n";
  const std::vector<BadManifest> cases = {
      {"not JSON", "{\"lockstep_manifest\": 1,\n\"sources\": [\n{\"path\": \"posts.csv\"}\n", 4, "sources[1]",
       "not well-formed"},
      {"missing comma", head + "{\"path\": \"posts.csv\"}\n{\"path\": \"posts.csv\"}]}", 4, "sources[1]",
       "not well-formed"},
      {"version", "{\"lockstep_manifest\": 2,\n\"sources\": [{\"path\": \"posts.csv\"}]}", 1, "lockstep_manifest",
       "version 2"},
      {"version type", "{\"lockstep_manifest\": \"one\",\n\"sources\": []}", 1, "lockstep_manifest",
       "expected the version number 1"},
      {"no sources key", "{\"lockstep_manifest\": 1\n}", 1, "sources", "no sources"},
      {"empty sources", "{\"lockstep_manifest\": 1,\n\"sources\": []}", 2, "sources", "no sources"},
      {"sources not array", "{\"lockstep_manifest\": 1,\n\"sources\": {\"path\": \"x\"}}", 2, "sources",
       "expected an array"},
      {"unknown top key", "{\"lockstep_manifest\": 1,\n\"soruces\": []}", 2, "soruces", "unknown key 'soruces'"},
      {"source not object", head + "\"posts.csv\"]}", 3, "sources[0]", "expected an object"},
      {"no path", head + "{\"path\": \"posts.csv\"},\n{\"format\": \"auto\"}]}", 4, "sources[1].path", "no path"},
      {"path type", head + "{\"path\": 7}]}", 3, "sources[0].path", "expected a string"},
      {"missing file", head + "{\"format\": \"map\",\n\"path\": \"nope.csv\"}]}", 4, "sources[0].path", "no such file"},
      {"unknown format", head + "{\"path\": \"posts.csv\",\n \"format\": \"facebook\"}]}", 4, "sources[0].format",
       "unknown format 'facebook'"},
      {"map with a reader", head + "{\"path\": \"posts.csv\", \"format\": \"telegram\",\n\"map\": {\"time\": \"t\"}}]}",
       4, "sources[0].map", "map reader only"},
      {"map value", head + "{\"path\": \"posts.csv\", \"map\": {\n\"time\": 5}}]}", 4, "sources[0].map.time",
       "expected a string"},
      {"unknown source key", head + "{\"path\": \"posts.csv\",\n\"fromat\": \"map\"}]}", 4, "sources[0].fromat",
       "unknown key 'fromat'"},
      {"platform case", head + "{\"path\": \"posts.csv\", \"platform\": \"Facebook\"}]}", 3, "sources[0].platform",
       "not a lower-case name"},
      {"nested", head + "{\"path\": \"inner.json\"}]}", 3, "sources[0].path", "is a manifest itself"},
      {"trailing text", "{\"lockstep_manifest\": 1, \"sources\": [{\"path\": \"posts.csv\"}]}\n{}", 2, "", "more text"},
  };
  for (const BadManifest& c : cases) {
    SCOPED_TRACE(c.name);
    WriteFile(dir / "case.json", c.text);
    ErrorSink sink;
    LoadReport report;
    auto loaded = LoadSources({dir / "case.json"}, "auto", {}, &sink, &report);
    ASSERT_FALSE(loaded.ok()) << "a bad manifest never loads";
    EXPECT_EQ(loaded.status().code(), StatusCode::kInputError) << loaded.status().message();
    ASSERT_NE(sink.first(), nullptr) << "the error goes to the sink too";
    const InputError& e = *sink.first();
    EXPECT_EQ(e.file, dir / "case.json") << e.ToString();
    EXPECT_EQ(e.line, c.line) << e.ToString();
    EXPECT_EQ(e.field, c.field) << e.ToString();
    EXPECT_NE(e.problem.find(c.problem), std::string::npos) << e.ToString();
    EXPECT_FALSE(e.fix.empty()) << "every error says how to fix it: " << e.ToString();
    EXPECT_EQ(loaded.status().message(), e.ToString()) << "the status carries the same message";
  }
}

}  // namespace
}  // namespace lockstep
