// Test recordings (vcr YAML cassettes, Betamax JSON cassettes) hold real API
// responses as strings; these helpers take the response bodies out so that
// the readers can be tested on them without copying the data into the repo.
#ifndef LOCKSTEP_TESTS_INGEST_CASSETTE_H_
#define LOCKSTEP_TESTS_INGEST_CASSETTE_H_

#include <gtest/gtest.h>
#include <simdjson.h>

#include "lockstep/model/dataset.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lockstep::testing_cassette {

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The bodies of a vcr cassette: every `string: "..."` scalar (YAML
// double-quoted, folded over lines: a line break and the next line's
// indentation read as one space, an escaped line break as nothing).
inline std::vector<std::string> VcrBodies(const std::string& path) {
  const std::string yaml = ReadAll(path);
  std::vector<std::string> bodies;
  const std::string key = "string: \"";
  for (size_t at = yaml.find(key); at != std::string::npos; at = yaml.find(key, at)) {
    size_t i = at + key.size();
    std::string out;
    bool closed = false;
    while (i < yaml.size() && !closed) {
      const char c = yaml[i];
      if (c == '"') {
        closed = true;
        ++i;
      } else if (c == '\n') {
        while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
        size_t j = i + 1;
        int blank_lines = 0;
        for (;;) {
          while (j < yaml.size() && (yaml[j] == ' ' || yaml[j] == '\t')) ++j;
          if (j < yaml.size() && yaml[j] == '\n') {
            ++blank_lines;
            ++j;
            continue;
          }
          break;
        }
        out.append(blank_lines > 0 ? std::string(blank_lines, '\n') : std::string(" "));
        i = j;
      } else if (c == '\\' && i + 1 < yaml.size()) {
        const char e = yaml[i + 1];
        i += 2;
        switch (e) {
          case 'n': out.push_back('\n'); break;
          case 't': out.push_back('\t'); break;
          case 'r': out.push_back('\r'); break;
          case '0': out.push_back('\0'); break;
          case '/': out.push_back('/'); break;
          case ' ': out.push_back(' '); break;
          case '\n':  // escaped line break: the next line's indentation is dropped
            while (i < yaml.size() && (yaml[i] == ' ' || yaml[i] == '\t')) ++i;
            break;
          case 'x':
          case 'u':
          case 'U': {
            const size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            AppendUtf8(static_cast<uint32_t>(std::stoul(yaml.substr(i, n), nullptr, 16)), &out);
            i += n;
            break;
          }
          default: out.push_back(e);
        }
      } else {
        out.push_back(c);
        ++i;
      }
    }
    bodies.push_back(std::move(out));
    at = i;
  }
  return bodies;
}

// The bodies of a Betamax cassette: interactions[].response.body.string.
inline std::vector<std::string> BetamaxBodies(const std::string& path) {
  simdjson::dom::parser parser;
  std::vector<std::string> bodies;
  simdjson::dom::element doc;
  if (parser.load(path).get(doc) != simdjson::SUCCESS) return bodies;
  simdjson::dom::array interactions;
  if (doc["interactions"].get(interactions) != simdjson::SUCCESS) return bodies;
  for (simdjson::dom::element i : interactions) {
    std::string_view body;
    if (i["response"]["body"]["string"].get(body) == simdjson::SUCCESS) bodies.emplace_back(body);
  }
  return bodies;
}

// Writes `data` to a fresh file under the test's temporary directory.
inline std::string WriteTemp(const std::string& name, const std::string& data) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

// Events of each type, indexed by EventType.
inline std::array<size_t, kEventTypes> CountByType(const Dataset& ds) {
  std::array<size_t, kEventTypes> n{};
  for (EventType t : ds.events.type) ++n[static_cast<size_t>(t)];
  return n;
}

// The row of the event with id `id`; SIZE_MAX if none.
inline size_t EventRow(const Dataset& ds, std::string_view id) {
  const StringId o = ds.objects.Find(id);
  for (size_t i = 0; i < ds.events.size(); ++i)
    if (o != kNoString && ds.events.event_id[i] == o) return i;
  return SIZE_MAX;
}

inline const Account* AccountById(const Dataset& ds, std::string_view id) {
  const StringId a = ds.account_ids.Find(id);
  return a != kNoString && ds.IsAccount(a) ? &ds.accounts[a] : nullptr;
}

// The value of event row `row`'s extra attribute `column`; "" if none.
inline std::string EventExtra(const Dataset& ds, size_t row, std::string_view column) {
  for (const ExtraAttribute& x : ds.event_extras)
    if (x.row == row && ds.strings.Get(x.column) == column) return std::string(ds.strings.Get(x.value));
  return "";
}

}  // namespace lockstep::testing_cassette

#endif  // LOCKSTEP_TESTS_INGEST_CASSETTE_H_
