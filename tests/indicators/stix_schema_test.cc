// The STIX 2.1 bundle of `lockstep export --format stix` validated against
// JSON Schemas transcribed from the STIX 2.1 specification
// (tests/data/stix21-schemas/, see its README) by python3-jsonschema,
// through tests/data/stix21-schemas/stix_validate.py. Without python3 or
// python3-jsonschema the tests are skipped and say so.
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "lockstep/report/stix.h"
#include "report/report_fixture.h"
#include "test_util.h"

namespace lockstep {
namespace {

using testing::CommandResult;
using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

const std::string kSchemas = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/stix21-schemas";

// Debian's python3 (the one with python3-jsonschema), unless LOCKSTEP_PYTHON
// names another, as the Python tests of python/ pick theirs.
std::string Python() {
  if (const char* p = std::getenv("LOCKSTEP_PYTHON"); p != nullptr && *p != '\0') return p;
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

// Runs the validator with lockstep's own promises checked too; exit 77 means
// python3-jsonschema is missing.
CommandResult Validate(const std::string& bundle) {
  return RunCommand(Python() + " " + kSchemas + "/stix_validate.py --lockstep '" + bundle + "'");
}

#define SKIP_WITHOUT_JSONSCHEMA(result)                                                                \
  if ((result).exit_code == 77 || (result).exit_code == 127)                                           \
  GTEST_SKIP() << "python3-jsonschema is not installed (Debian: apt-get install python3-jsonschema): " \
               << (result).output

TEST(StixSchema, ExportedTrollFarmBundleValidates) {
  TempDir dir;
  const std::string cli = LOCKSTEP_CLI;
  auto r = RunCommand(cli + " simulate --scenario troll_farm --seed 3 --scale 0.05 --out " + (dir / "data"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunCommand(cli + " detect " + (dir / "data") + " --out " + (dir / "out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunCommand(cli + " export " + (dir / "out") + " --network N1 --format stix --salt pepper --out " + (dir / "s"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string bundle = dir / "s/N1_stix.json";
  const std::string text = ReadFile(bundle);
  // Every type the schemas describe for lockstep, and both pattern forms, are
  // in this bundle, so that the validation below is not vacuous.
  for (const char* type : {"identity", "intrusion-set", "attack-pattern", "indicator", "observed-data", "relationship",
                           "report", "user-account"})
    EXPECT_NE(text.find(fmt::format("\"type\": \"{}\"", type)), std::string::npos)
        << "the troll farm's bundle has a " << type;
  EXPECT_NE(text.find("[domain-name:value = '"), std::string::npos) << "a domain indicator";
  EXPECT_NE(text.find("[url:value = '"), std::string::npos) << "a URL indicator";

  r = Validate(bundle);
  SKIP_WITHOUT_JSONSCHEMA(r);
  EXPECT_EQ(r.exit_code, 0) << "the exported bundle is valid STIX 2.1:\n" << r.output.substr(0, 4000);
  EXPECT_NE(r.output.find("valid STIX 2.1"), std::string::npos) << r.output.substr(0, 4000);
}

// The hand-made report data set: a URL with ' and \ in its path, hostile
// names and descriptions; then the same bundle broken in the ways a
// consumer rejects, each of which the validation must catch.
// The bundle of the hand-made network, its data set written into `dir`
// with `extra_events` (events.csv rows) added.
std::string HandMadeBundle(const std::string& dir, const std::string& extra_events) {
  testing::WriteReportDataset(dir);
  WriteFile(dir + "/events.csv", ReadFile(dir + "/events.csv") + extra_events);
  const Dataset ds = testing::LoadReportDataset(dir);
  Network network = testing::HandMadeDetection(ds).networks[0];
  network.first_activity = 1598940000;  // 2020-09-01T06:00:00Z
  network.last_activity = 1604773860;
  StixOptions options;
  options.accounts.salt = "correct horse battery staple";
  auto text = BuildStixBundle(ds, network, options);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : std::string();
}

class StixSchemaBrokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    good_ = HandMadeBundle(data_.path(),
                           "e20,fb1,2020-09-04T06:00:00Z,post,,,see,https://truth-news.example/it's\\here,,en\n"
                           "e21,fb2,2020-09-04T06:01:00Z,post,,,see,https://truth-news.example/it's\\here,,en\n");
    ASSERT_FALSE(good_.empty());
  }

  // Writes `text` and validates it.
  CommandResult Check(const std::string& name, const std::string& text) {
    const std::string path = out_ / (name + ".json");
    WriteFile(path, text);
    return Validate(path);
  }

  // `good_` with the first match of `re` (after `after`) replaced by `with`.
  std::string Broken(const std::string& after, const std::string& re, const std::string& with) {
    const size_t at = good_.find(after);
    EXPECT_NE(at, std::string::npos) << after;
    std::string head = good_.substr(0, at), tail = good_.substr(at);
    const std::string broken = std::regex_replace(tail, std::regex(re), with, std::regex_constants::format_first_only);
    EXPECT_NE(broken, tail) << re << " matched nothing after " << after;
    return head + broken;
  }

  TempDir data_, out_;
  std::string good_;
};

TEST_F(StixSchemaBrokenTest, GoodBundleValidatesAndBrokenOnesFail) {
  // The pattern [url:value = '...it\'s\\here'], as a JSON string.
  ASSERT_NE(good_.find(R"([url:value = 'https://truth-news.example/it\\'s\\\\here'])"), std::string::npos)
      << "the pattern escapes ' and \\";
  auto r = Check("good", good_);
  SKIP_WITHOUT_JSONSCHEMA(r);
  ASSERT_EQ(r.exit_code, 0) << "the hand-made network's bundle is valid:\n" << r.output.substr(0, 4000);

  struct Case {
    const char* name;
    std::string text;
    const char* expected;  // in the validator's message
  };
  const std::vector<Case> cases = {
      {"no_spec_version", Broken("\"type\": \"indicator\"", R"(\n *"spec_version": "2\.1",)", ""),
       "'spec_version' is a required property"},
      {"spec_version_2_0", Broken("\"type\": \"report\"", R"("spec_version": "2\.1")", R"("spec_version": "2.0")"),
       ".spec_version: '2.1' was expected"},
      {"id_not_a_uuid",
       Broken("\"type\": \"intrusion-set\"", R"("id": "intrusion-set--[0-9a-f-]+")", R"("id": "intrusion-set--1234")"),
       ".id: 'intrusion-set--1234' does not match"},
      {"id_of_another_type", Broken("\"type\": \"report\"", R"("id": "report--)", R"("id": "grouping--)"),
       "does not match '^report--'"},
      {"uuid_version_0",
       Broken("\"type\": \"identity\"", R"("id": "identity--([0-9a-f]{8}-[0-9a-f]{4}-)5)", R"("id": "identity--$010)"),
       ".id: 'identity--"},
      {"timestamp_without_t_and_z",
       Broken("\"type\": \"indicator\"", R"("valid_from": "[^"]+")", R"("valid_from": "2020-09-01 06:00:00")"),
       ".valid_from: '2020-09-01 06:00:00' does not match"},
      {"timestamp_with_offset",
       Broken("\"type\": \"intrusion-set\"", R"("created": "([^"]+)\.000Z")", R"("created": "$1.000+01:00")"),
       ".created: "},
      {"created_without_milliseconds",
       Broken("\"type\": \"relationship\"", R"("modified": "([^"]+)\.000Z")", R"("modified": "$1Z")"), ".modified: "},
      {"number_observed_0", Broken("\"type\": \"observed-data\"", R"("number_observed": 1)", R"("number_observed": 0)"),
       ".number_observed: 0 is less than the minimum of 1"},
      {"report_without_objects", Broken("\"type\": \"report\"", R"("object_refs": \[[^\]]*\])", R"("object_refs": [])"),
       ".object_refs: []"},
      {"pattern_unquoted", Broken("\"type\": \"indicator\"", R"(value = '([^']+)'\])", R"(value = $1])"), ".pattern: "},
      {"dangling_ref",
       Broken("\"type\": \"relationship\"", R"("target_ref": "intrusion-set--[0-9a-f]{8})",
              R"("target_ref": "intrusion-set--00000000)"),
       "is not in the bundle"},
  };
  for (const Case& c : cases) {
    r = Check(c.name, c.text);
    EXPECT_EQ(r.exit_code, 1) << c.name << " must fail validation:\n" << r.output.substr(0, 2000);
    EXPECT_NE(r.output.find(c.expected), std::string::npos)
        << c.name << ": the message names the defect (" << c.expected << "):\n"
        << r.output.substr(0, 2000);
  }
}

// Regression: a network that links to a bare IP address pushed it as
// [domain-name:value = '203.0.113.9'], which is no domain name (STIX 6.4) and
// which case import-indicators then rejects; it is an ipv4-addr.
TEST(StixSchema, AnIpAddressPushedIsAnIpv4AddrNotADomainName) {
  TempDir data, out;
  std::string events;
  for (int i = 0; i < 4; ++i)
    events += fmt::format("e3{},fb{},2020-09-05T06:0{}:00Z,post,,,see,http://203.0.113.9/landing{},,en\n", i, 1 + i % 2,
                          i, i);
  const std::string text = HandMadeBundle(data.path(), events);
  ASSERT_NE(text.find("http://203.0.113.9/landing"), std::string::npos)
      << "the links to the address are URL indicators: the address is pushed";
  EXPECT_EQ(text.find("[domain-name:value = '203.0.113.9']"), std::string::npos) << "an address is no domain name";
  EXPECT_NE(text.find("[ipv4-addr:value = '203.0.113.9']"), std::string::npos) << "it is an ipv4-addr";
  WriteFile(out / "ip.json", text);
  const std::string cli = LOCKSTEP_CLI;
  auto r = RunCommand(cli + " case import-indicators --store " + (out / "cases.db") + " " + (out / "ip.json"));
  EXPECT_EQ(r.exit_code, 0) << "lockstep reads its own bundle back, the address included: " << r.output;
  r = Validate(out / "ip.json");
  SKIP_WITHOUT_JSONSCHEMA(r);
  EXPECT_EQ(r.exit_code, 0) << r.output.substr(0, 4000);
}

TEST(StixSchema, ValidatorRejectsFilesThatAreNoJson) {
  TempDir dir;
  WriteFile(dir / "cut.json", "{\"type\": \"bundle\", \"id\": \"bundle--");
  auto r = Validate(dir / "cut.json");
  SKIP_WITHOUT_JSONSCHEMA(r);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cannot read"), std::string::npos) << r.output;
  WriteFile(dir / "twice.json", R"({"type": "bundle", "type": "bundle", "id": "bundle--x"})");
  r = Validate(dir / "twice.json");
  EXPECT_EQ(r.exit_code, 2) << "a key twice in one object is ambiguous JSON: " << r.output;
}

}  // namespace
}  // namespace lockstep
