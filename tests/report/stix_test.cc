#include "lockstep/report/stix.h"

#include <functional>
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "report_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::ReadFile;
using testing::TempDir;

// What a STIX 2.1 consumer checks without a schema library, applied to a
// bundle; returns the objects by id. Failures are reported with ADD_FAILURE.
std::map<std::string, simdjson::dom::element> CheckBundle(simdjson::dom::parser& parser, const std::string& text,
                                                          std::vector<std::string>* all_strings) {
  std::map<std::string, simdjson::dom::element> by_id;
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc)) {
    ADD_FAILURE() << "the bundle is not JSON";
    return by_id;
  }
  static const std::string kUuid = "[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  static const std::regex id_re("^([a-z0-9-]+)--(" + kUuid + ")$");
  static const std::regex time_re(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
  static const std::regex pattern_re(R"(^\[(domain-name|url):value = '((?:[^'\\]|\\['\\])*)'\]$)");
  EXPECT_EQ(std::string_view(doc["type"].get_string().value()), "bundle");
  std::smatch m;
  const std::string bundle_id(doc["id"].get_string().value());
  EXPECT_TRUE(std::regex_match(bundle_id, m, id_re) && m[1] == "bundle") << bundle_id;
  simdjson::dom::array objects;
  if (doc["objects"].get_array().get(objects)) {
    ADD_FAILURE() << "no objects";
    return by_id;
  }
  const std::map<std::string, std::vector<std::string>> required = {
      {"identity", {"created", "modified", "name"}},
      {"intrusion-set", {"created", "modified", "name"}},
      {"attack-pattern", {"created", "modified", "name"}},
      {"indicator", {"created", "modified", "pattern", "pattern_type", "valid_from"}},
      {"observed-data", {"created", "modified", "first_observed", "last_observed", "number_observed", "object_refs"}},
      {"relationship", {"created", "modified", "relationship_type", "source_ref", "target_ref"}},
      {"report", {"created", "modified", "name", "published", "object_refs"}},
      {"user-account", {}},
  };
  std::vector<std::string> refs;
  std::function<void(simdjson::dom::element, const std::string&)> walk = [&](simdjson::dom::element e,
                                                                             const std::string& key) {
    if (e.is_string()) {
      all_strings->emplace_back(e.get_string().value());
      if (key.ends_with("_ref") || key.ends_with("_refs")) refs.push_back(all_strings->back());
    } else if (e.is_array()) {
      for (simdjson::dom::element x : e.get_array()) walk(x, key);
    } else if (e.is_object()) {
      for (auto field : e.get_object()) walk(field.value, std::string(field.key));
    }
  };
  for (simdjson::dom::element o : objects) {
    const std::string type(o["type"].get_string().value());
    const std::string id(o["id"].get_string().value());
    EXPECT_TRUE(std::regex_match(id, m, id_re) && m[1] == type) << id << " is not " << type << "--<uuid>";
    EXPECT_TRUE(by_id.emplace(id, o).second) << "duplicate id " << id;
    EXPECT_EQ(std::string_view(o["spec_version"].get_string().value()), "2.1") << id;
    auto req = required.find(type);
    if (req == required.end()) {
      ADD_FAILURE() << "unexpected type " << type;
      continue;
    }
    for (const std::string& key : req->second) EXPECT_FALSE(o[key].error()) << id << " lacks " << key;
    for (const char* key : {"created", "modified", "valid_from", "published", "first_observed", "last_observed",
                            "first_seen", "last_seen"})
      if (std::string_view t; !o[key].get_string().get(t)) {
        EXPECT_TRUE(std::regex_match(std::string(t), time_re)) << id << " " << key << " " << t;
      }
    if (type == "indicator") {
      const std::string pattern(o["pattern"].get_string().value());
      EXPECT_TRUE(std::regex_match(pattern, pattern_re)) << pattern;
      EXPECT_EQ(std::string_view(o["pattern_type"].get_string().value()), "stix");
    }
    walk(o, "");
  }
  for (const std::string& r : refs) EXPECT_TRUE(by_id.contains(r)) << r << " is not in the bundle";
  return by_id;
}

// The value of a pattern's string literal, unescaped.
std::string PatternValue(const std::string& pattern) {
  const size_t open = pattern.find('\'');
  std::string out;
  for (size_t i = open + 1; i + 2 < pattern.size(); ++i) {
    if (pattern[i] == '\\') ++i;
    out += pattern[i];
  }
  return out;
}

class StixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteReportDataset(data_.path());
    // Two more links to the pushed domain, one with a quote and a backslash in its path.
    std::string events = ReadFile(data_.path() + "/events.csv");
    events += "e20,fb1,2020-09-04T06:00:00Z,post,,,see,https://truth-news.example/it's\\here,,en\n";
    events += "e21,fb2,2020-09-04T06:01:00Z,post,,,see,https://truth-news.example/it's\\here,,en\n";
    testing::WriteFile(data_.path() + "/events.csv", events);
    ds_ = testing::LoadReportDataset(data_.path());
    network_ = testing::HandMadeDetection(ds_).networks[0];
    network_.first_activity = 1598940000;  // 2020-09-01T06:00:00Z
    network_.last_activity = 1604773860;
    options_.accounts.salt = "correct horse battery staple";
  }
  TempDir data_;
  Dataset ds_;
  Network network_;
  StixOptions options_;
};

TEST(UuidV5, MatchesTheRfcExample) {
  // RFC 9562 appendix A.4: "www.example.com" in the DNS namespace.
  EXPECT_EQ(UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST_F(StixTest, BundleFollowsStixRulesAndHidesSmallAccounts) {
  auto text = BuildStixBundle(ds_, network_, options_);
  ASSERT_TRUE(text.ok()) << text.status().message();
  simdjson::dom::parser parser;
  std::vector<std::string> strings;
  const auto objects = CheckBundle(parser, *text, &strings);
  std::map<std::string, int> types;
  std::string set_id;
  std::set<std::string> patterns;
  for (const auto& [id, o] : objects) {
    const std::string type(o["type"].get_string().value());
    ++types[type];
    if (type == "intrusion-set") set_id = id;
    if (type == "indicator") patterns.insert(std::string(o["pattern"].get_string().value()));
  }
  EXPECT_EQ(types["identity"], 1);
  EXPECT_EQ(types["intrusion-set"], 1);
  EXPECT_EQ(types["report"], 1);
  EXPECT_EQ(types["observed-data"], 1);
  EXPECT_EQ(types["user-account"], 8) << "every member";
  // The pushed domain and its URLs; other.example has one link only.
  EXPECT_TRUE(patterns.contains("[domain-name:value = 'truth-news.example']"));
  EXPECT_TRUE(patterns.contains("[url:value = 'https://truth-news.example/a']"));
  EXPECT_TRUE(patterns.contains(R"([url:value = 'https://truth-news.example/it\'s\\here'])"))
      << "quotes and backslashes escaped";
  for (const std::string& p : patterns) {
    EXPECT_EQ(p.find("other.example"), std::string::npos) << p;
    const std::string value = PatternValue(p);
    bool in_data = ds_.domains.Find(value) != kNoString || ds_.urls.Find(value) != kNoString;
    EXPECT_TRUE(in_data) << value << " is a domain or URL of the data";
  }
  // Every indicator indicates the intrusion-set; the report cites every SDO and SRO.
  std::set<std::string> indicated, reported;
  for (const auto& [id, o] : objects) {
    const std::string type(o["type"].get_string().value());
    if (type == "relationship" && std::string_view(o["relationship_type"].get_string().value()) == "indicates") {
      EXPECT_EQ(std::string_view(o["target_ref"].get_string().value()), set_id);
      indicated.emplace(o["source_ref"].get_string().value());
    }
    if (type == "relationship" && std::string_view(o["relationship_type"].get_string().value()) == "uses") {
      EXPECT_TRUE(objects.at(std::string(o["target_ref"].get_string().value()))["type"].get_string().value() ==
                  "attack-pattern");
    }
    if (type == "report")
      for (simdjson::dom::element r : o["object_refs"].get_array()) reported.emplace(r.get_string().value());
  }
  for (const auto& [id, o] : objects) {
    const std::string type(o["type"].get_string().value());
    if (type == "indicator") {
      EXPECT_TRUE(indicated.contains(id)) << id;
    }
    if (type != "identity" && type != "report" && type != "user-account") {
      EXPECT_TRUE(reported.contains(id)) << id;
    }
  }
  EXPECT_GT(types["attack-pattern"], 0) << "the kill-chain procedures the evidence supports";
  // Small accounts: only the salted hash; large ones keep id and handle.
  std::set<std::string> user_ids;
  for (const auto& [id, o] : objects)
    if (o["type"].get_string().value() == "user-account") user_ids.emplace(o["user_id"].get_string().value());
  for (AccountIndex a : network_.members) {
    const Account& acc = ds_.accounts[a];
    const std::string raw(ds_.AccountId(a)), handle(ds_.String(acc.handle)), name(ds_.String(acc.display_name));
    if (acc.followers >= 5000) {
      EXPECT_TRUE(user_ids.contains(raw)) << raw << " is public";
      continue;
    }
    EXPECT_TRUE(user_ids.contains(HashedId(options_.accounts.salt, raw))) << raw << " hashed as in the disclosure archive";
    for (const std::string& s : strings) {
      EXPECT_NE(s, raw) << "raw id of a small account";
      EXPECT_EQ(s.find(handle), std::string::npos) << "handle of a small account in: " << s;
      EXPECT_EQ(s.find(name), std::string::npos) << "name of a small account in: " << s;
    }
  }
}

TEST_F(StixTest, DeterministicAndSaltDependent) {
  auto a = BuildStixBundle(ds_, network_, options_);
  auto b = BuildStixBundle(ds_, network_, options_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b) << "reruns are byte-identical";
  StixOptions other = options_;
  other.accounts.salt = "another salt";
  auto c = BuildStixBundle(ds_, network_, other);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(*a, *c) << "the hashes depend on the salt";
  other.accounts.salt = "";
  EXPECT_EQ(BuildStixBundle(ds_, network_, other).status().code(), StatusCode::kInvalidArgument);
  other.accounts.salt = "x";
  other.accounts.public_follower_threshold = -1;
  EXPECT_EQ(BuildStixBundle(ds_, network_, other).status().code(), StatusCode::kInvalidArgument);
}

TEST(Stix, ExportWritesTheBundleThroughTheCli) {
  TempDir dir;
  const std::string cli = LOCKSTEP_CLI;
  auto r = testing::RunCommand(cli + " simulate --scenario troll_farm --seed 3 --scale 0.05 --out " + (dir / "data"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = testing::RunCommand(cli + " detect " + (dir / "data") + " --out " + (dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* out : {"s1", "s2"}) {
    r = testing::RunCommand(cli + " export " + (dir / "out") + " --network N1 --format stix --salt pepper --out " +
                            (dir / out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  const std::string text = ReadFile(dir / "s1/N1_stix.json");
  EXPECT_EQ(text, ReadFile(dir / "s2/N1_stix.json")) << "reruns are byte-identical";
  simdjson::dom::parser parser;
  std::vector<std::string> strings;
  const auto objects = CheckBundle(parser, text, &strings);
  int indicators = 0, accounts = 0;
  for (const auto& [id, o] : objects) {
    indicators += o["type"].get_string().value() == "indicator";
    accounts += o["type"].get_string().value() == "user-account";
  }
  EXPECT_GT(accounts, 0);
  std::printf("  N1: %zu objects, %d indicators, %d accounts\n", objects.size(), indicators, accounts);
  r = testing::RunCommand("env -u LOCKSTEP_DISCLOSURE_SALT " + cli + " export " + (dir / "out") +
                          " --network N1 --format stix --out " + (dir / "s3"));
  EXPECT_NE(r.exit_code, 0) << "no salt, no export: " << r.output;

  // Round trip: the bundle imported as known indicators, watch on the same
  // data flags the domains the bundle lists, and only those.
  std::set<std::string> exported;
  static const std::regex domain_pattern(R"(^\[domain-name:value = '(.*)'\]$)");
  for (const auto& [id, o] : objects) {
    std::string_view pattern;
    std::smatch m;
    if (o["type"].get_string().value() != "indicator" || o["pattern"].get_string().get(pattern)) continue;
    const std::string p(pattern);
    if (std::regex_match(p, m, domain_pattern)) exported.insert(m[1]);
  }
  ASSERT_FALSE(exported.empty()) << "the troll farm pushes domains";
  const std::string db = dir / "cases.db";
  r = testing::RunCommand(cli + " case import-indicators --store " + db + " " + (dir / "s1/N1_stix.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("(stix; "), std::string::npos) << "read as a STIX bundle: " << r.output;
  EXPECT_NE(r.output.find("network lockstep N1"), std::string::npos) << "the intrusion-set names it: " << r.output;
  EXPECT_NE(r.output.find("hashed user_id only"), std::string::npos)
      << "pseudonymous accounts are counted as skipped, not dropped silently: " << r.output;
  r = testing::RunCommand(cli + " watch --no-detect --store " + db + " " + (dir / "data"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::set<std::string> flagged;
  static const std::regex links_to(R"(links to ([^ ]+) \(\d+ links?\), listed in N1_stix\.json \(lockstep N1)");
  for (auto it = std::sregex_iterator(r.output.begin(), r.output.end(), links_to); it != std::sregex_iterator(); ++it) {
    // A link to a listed URL is named by the URL (watch prefers the URL to its domain).
    const std::string what = (*it)[1];
    flagged.insert(what.find('/') == std::string::npos ? what : UrlHost(what));
  }
  EXPECT_EQ(flagged, exported) << r.output.substr(0, 3000);
}

}  // namespace
}  // namespace lockstep
