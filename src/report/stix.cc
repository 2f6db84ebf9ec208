#include "lockstep/report/stix.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "lockstep/indicators/published_indicators.h"
#include "lockstep/model/json_writer.h"
#include "lockstep/model/time.h"
#include "ingest/reader_support.h"
#include "lockstep/report/escape.h"

namespace lockstep {
namespace {

// lockstep's namespace for SDO and SRO ids (a fixed random UUID), and the
// namespace STIX 2.1 (section 2.9) prescribes for SCO ids.
constexpr std::string_view kLockstepNamespace = "6f1c2d3e-8a4b-4c5d-9e6f-7a8b9c0d1e2f";
constexpr std::string_view kStixScoNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3339 with milliseconds: "2017-03-14T08:15:00.000Z".
std::string StixTime(int64_t seconds) {
  const std::string t = FormatTime(seconds);  // "2017-03-14T08:15:00Z"
  return t.substr(0, t.size() - 1) + ".000Z";
}

// A string literal of STIX patterning: quotes and backslashes escaped.
std::string PatternString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// "0. Acquiring assets" -> "acquiring-assets" (phase names are lower case with hyphens).
std::string PhaseName(std::string_view tactic) {
  if (const size_t dot = tactic.find(". "); dot != std::string_view::npos) tactic.remove_prefix(dot + 2);
  std::string out;
  for (char c : internal::AsciiLower(tactic)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace

std::string UuidV5(std::string_view name_space, std::string_view name) {
  unsigned char bytes[16] = {};
  std::string hex;
  for (char c : name_space)
    if (HexValue(c) >= 0) hex += c;
  for (size_t i = 0; i < 16 && 2 * i + 1 < hex.size(); ++i)
    bytes[i] = static_cast<unsigned char>(HexValue(hex[2 * i]) * 16 + HexValue(hex[2 * i + 1]));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, bytes, sizeof bytes);
  EVP_DigestUpdate(ctx, name.data(), name.size());
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC variant
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02x}", digest[i]);
  }
  return out;
}

Result<std::string> BuildStixBundle(const Dataset& ds, const Network& network, const StixOptions& options,
                                    KillChainBuilder* kill_chain) {
  const DisclosureOptions& acc_options = options.accounts;
  if (acc_options.salt.empty())
    return Status::InvalidArgument("the salt is empty; pass a secret (--salt) so hashed account ids cannot be reversed");
  if (acc_options.public_follower_threshold < 0)
    return Status::InvalidArgument(fmt::format(
        "the public follower threshold is {}, expected >= 0 (a negative one would publish every account's id)",
        acc_options.public_follower_threshold));
  const std::string& nid = network.network_id;
  auto sdo_id = [&](std::string_view type, std::string_view value) {
    return fmt::format("{}--{}", type, UuidV5(kLockstepNamespace, fmt::format("{}|{}|{}", nid, type, value)));
  };
  const std::string identity_id = fmt::format("identity--{}", UuidV5(kLockstepNamespace, "lockstep"));
  const std::string set_id = sdo_id("intrusion-set", nid);
  const int64_t first = network.first_activity, last = network.last_activity;
  const std::string created = StixTime(last != kNoTime ? last : first != kNoTime ? first : 946684800);
  const std::string first_seen = StixTime(first != kNoTime ? first : last != kNoTime ? last : 946684800);
  const int confidence = static_cast<int>(std::lround(std::clamp(network.confidence, 0.0, 1.0) * 100));

  JsonWriter w(/*pretty=*/true);
  std::vector<std::string> refs;  // of the report: every SDO and SRO but itself and the identity
  auto begin = [&](std::string_view type, const std::string& id) {
    w.BeginObject().Field("type", type).Field("spec_version", "2.1").Field("id", id);
    if (type != "identity") refs.push_back(id);
    w.Field("created_by_ref", identity_id).Field("created", created).Field("modified", created);
  };
  auto relationship = [&](std::string_view kind, const std::string& source, const std::string& target) {
    begin("relationship", sdo_id("relationship", fmt::format("{}|{}|{}", source, kind, target)));
    w.Field("relationship_type", kind).Field("source_ref", source).Field("target_ref", target).EndObject();
  };

  w.BeginObject().Field("type", "bundle").Field("id", fmt::format("bundle--{}", UuidV5(kLockstepNamespace, "bundle|" + nid)));
  w.Key("objects").BeginArray();
  // The producer.
  w.BeginObject().Field("type", "identity").Field("spec_version", "2.1").Field("id", identity_id);
  w.Field("created", "2026-01-01T00:00:00.000Z").Field("modified", "2026-01-01T00:00:00.000Z");
  w.Field("name", "lockstep").Field("identity_class", "system");
  w.Field("description", "lockstep, an open-source engine that finds coordinated inauthentic behaviour").EndObject();

  // The network.
  if (kill_chain != nullptr && &kill_chain->dataset() != &ds)
    return Status::Internal("BuildStixBundle: the kill-chain builder is over another data set");
  std::vector<KillChainRow> rows =
      kill_chain != nullptr ? kill_chain->Build(network) : BuildKillChain(ds, network, options.evidence);
  begin("intrusion-set", set_id);
  w.Field("name", fmt::format("lockstep {}", CleanText(nid)));
  std::string description = fmt::format("Network {} found by lockstep: tier {}, confidence {:.2f}, {} member accounts.",
                                        CleanText(nid), CleanText(network.tier), network.confidence, network.members.size());
  if (!network.indicators.empty()) {
    description += " Evidence:";
    for (const Indicator& ind : network.indicators) description += fmt::format(" {};", CleanText(ind.signal));
    description.pop_back();
    description += '.';
  }
  w.Field("description", description).Field("confidence", confidence);
  w.Field("first_seen", first_seen).Field("last_seen", created);
  w.Key("labels").BeginArray().String(internal::AsciiLower(CleanText(network.tier))).EndArray();
  w.EndObject();

  // Procedures its evidence supports.
  std::map<std::string_view, std::vector<const KillChainRow*>> procedures;  // in kill-chain order by id
  std::vector<std::string_view> order;
  for (const KillChainRow& r : rows) {
    if (!procedures.contains(r.procedure->id)) order.push_back(r.procedure->id);
    procedures[r.procedure->id].push_back(&r);
  }
  std::vector<std::string> pattern_ids;
  for (std::string_view id : order) {
    const KillChainProcedure* p = FindKillChainProcedure(id);
    const std::string ap_id = sdo_id("attack-pattern", id);
    begin("attack-pattern", ap_id);
    w.Field("name", p->procedure);
    std::string evidence;
    for (const KillChainRow* r : procedures[id])
      evidence += fmt::format("{}{} ({})", evidence.empty() ? "" : "; ", CleanText(r->indicator), CleanText(r->evidence));
    w.Field("description", evidence);
    w.Key("kill_chain_phases").BeginArray().BeginObject();
    w.Field("kill_chain_name", "meta-online-operations-kill-chain").Field("phase_name", PhaseName(p->tactic));
    w.EndObject().EndArray();
    w.Key("external_references").BeginArray().BeginObject();
    w.Field("source_name", "meta-online-operations-kill-chain").Field("external_id", id);
    w.EndObject().EndArray().EndObject();
    pattern_ids.push_back(ap_id);
  }

  // Domains it pushes, and the URLs on them its members linked.
  const std::vector<PushedDomain> domains = PushedDomains(ds, network, options.evidence);
  std::unordered_map<StringId, const PushedDomain*> by_domain;
  for (const PushedDomain& d : domains) by_domain[d.domain] = &d;
  std::unordered_set<AccountIndex> members(network.members.begin(), network.members.end());
  std::unordered_map<uint32_t, uint64_t> url_links;
  const Events& ev = ds.events;
  for (size_t i = 0; i < ev.size(); ++i)
    if (members.contains(ev.account[i]))
      for (uint32_t u : ev.urls.Row(i))
        if (by_domain.contains(ds.url_domain[u])) ++url_links[u];
  std::vector<std::pair<uint32_t, uint64_t>> urls(url_links.begin(), url_links.end());
  std::sort(urls.begin(), urls.end(), [&](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : ds.urls.Get(x.first) < ds.urls.Get(y.first);
  });
  if (urls.size() > options.max_urls) urls.resize(options.max_urls);
  std::vector<std::string> indicator_ids;
  auto indicator = [&](std::string_view object, std::string_view value, const std::string& description) {
    const std::string clean = CleanText(value);
    const std::string id = sdo_id("indicator", fmt::format("{}|{}", object, clean));
    begin("indicator", id);
    w.Field("name", fmt::format("{} pushed by lockstep {}", clean, CleanText(nid)));
    w.Field("description", description);
    w.Key("indicator_types").BeginArray().String("malicious-activity").EndArray();
    w.Field("pattern", fmt::format("[{}:value = {}]", object, PatternString(clean)));
    w.Field("pattern_type", "stix").Field("pattern_version", "2.1").Field("valid_from", first_seen);
    w.Field("confidence", confidence).EndObject();
    indicator_ids.push_back(id);
  };
  for (const PushedDomain& d : domains) {
    // A domain-name's value is a domain name (STIX 2.1 section 6.4): a host
    // that is an IPv4 address is an ipv4-addr (6.8), and an IPv6 literal gets
    // no host indicator (the URLs on it still do).
    const std::string_view host = ds.domains.Get(d.domain);
    const bool ip = ClassifyIndicator(host) == IndicatorKind::kIp;
    if (!ip && host.find_first_of(":[]") != std::string_view::npos) continue;
    indicator(ip ? "ipv4-addr" : "domain-name", host,
              fmt::format("{} links from the network, {:.0f}% of all links to the {} in the data", d.network_links,
                          100.0 * double(d.network_links) / double(d.all_links), ip ? "address" : "domain"));
  }
  for (const auto& [u, n] : urls) indicator("url", ds.urls.Get(u), fmt::format("{} links from the network", n));

  // Member accounts: SCOs, pseudonymous under the threshold.
  std::vector<std::string> account_ids;
  std::vector<AccountIndex> sorted_members;
  for (AccountIndex a : network.members)
    if (ds.IsAccount(a)) sorted_members.push_back(a);
  for (AccountIndex a : sorted_members) {
    const Account& acc = ds.accounts[a];
    const bool is_public = acc.followers >= acc_options.public_follower_threshold;
    const std::string user_id = is_public ? CleanText(ds.AccountId(a)) : HashedId(acc_options.salt, ds.AccountId(a));
    const std::string login = is_public ? CleanText(ds.String(acc.handle)) : "";
    const std::string type = internal::AsciiLower(CleanText(ds.String(acc.platform)));
    // Id-contributing properties (account_login, account_type, user_id) in
    // the canonical form: keys sorted, no white space.
    JsonWriter key(/*pretty=*/false);
    key.BeginObject();
    if (!login.empty()) key.Field("account_login", login);
    if (!type.empty()) key.Field("account_type", type);
    key.Field("user_id", user_id).EndObject();
    const std::string id = fmt::format("user-account--{}", UuidV5(kStixScoNamespace, key.str()));
    w.BeginObject().Field("type", "user-account").Field("spec_version", "2.1").Field("id", id);
    w.Field("user_id", user_id);
    if (!login.empty()) w.Field("account_login", login);
    if (!type.empty()) w.Field("account_type", type);
    if (is_public) w.Field("display_name", CleanText(ds.String(acc.display_name)));
    if (acc.created_at != kNoTime) w.Field("account_created", StixTime(acc.created_at));
    w.EndObject();
    account_ids.push_back(id);
  }
  std::string observed_id;
  if (!account_ids.empty()) {
    observed_id = sdo_id("observed-data", "members");
    begin("observed-data", observed_id);
    w.Field("first_observed", first_seen).Field("last_observed", created);
    w.Field("number_observed", static_cast<int64_t>(1));
    w.Key("object_refs").BeginArray();
    for (const std::string& id : account_ids) w.String(id);
    w.EndArray().EndObject();
  }

  // Relationships.
  for (const std::string& id : indicator_ids) relationship("indicates", id, set_id);
  for (const std::string& id : pattern_ids) relationship("uses", set_id, id);
  if (!observed_id.empty()) relationship("related-to", observed_id, set_id);

  // The report.
  const std::vector<std::string> report_refs = refs;
  begin("report", sdo_id("report", nid));
  w.Field("name", fmt::format("lockstep network {}", CleanText(nid)));
  w.Field("description", description);
  w.Key("report_types").BeginArray().String("threat-actor").EndArray();
  w.Field("published", created);
  w.Key("object_refs").BeginArray();
  for (const std::string& id : report_refs) w.String(id);
  w.EndArray().EndObject();

  w.EndArray().EndObject();
  std::string out = w.Take();
  out += '\n';
  return out;
}

Status WriteStixBundle(const Dataset& ds, const Network& network, const StixOptions& options, const std::string& path,
                       KillChainBuilder* kill_chain) {
  auto text = BuildStixBundle(ds, network, options, kill_chain);
  if (!text.ok()) return text.status();
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const bool ok = std::fwrite(text->data(), 1, text->size(), f) == text->size();
  if (std::fclose(f) != 0 || !ok) return Status::IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

}  // namespace lockstep
