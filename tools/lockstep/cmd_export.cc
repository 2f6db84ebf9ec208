// lockstep export DIR --network N1 --salt SECRET --out ARCHIVE: one network of
// a detection as a Twitter information-operations archive (users and tweets
// CSVs, ids of accounts under 5,000 followers hashed with the salt).
// lockstep export DIR --network N1 --format killchain --out OUT: the
// network's indicators as Meta's Online Operations Kill Chain table.
// lockstep export DIR --network N1 --format stix --salt SECRET --out OUT: the
// network as a STIX 2.1 bundle (<network>_stix.json).
#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "command.h"
#include "lockstep/report/disclosure.h"
#include "lockstep/report/killchain.h"
#include "lockstep/report/report_input.h"
#include "lockstep/report/stix.h"

namespace lockstep::cli {
namespace {

struct ExportFlags {
  std::string dir;
  std::vector<std::string> networks;
  std::string salt, salt_file;
  std::string data;
  std::string data_format = "auto";
  std::string format = "disclosure";
  std::string out;
  int64_t threshold = DisclosureOptions{}.public_follower_threshold;
};

// The salt from --salt, --salt-file or $LOCKSTEP_DISCLOSURE_SALT, in that
// order; kExitOk, or the exit code after saying what is wrong.
int ResolveSalt(const ExportFlags& f, std::string* salt) {
  *salt = f.salt;
  if (salt->empty() && !f.salt_file.empty()) {
    std::ifstream in(f.salt_file);
    if (!in || !std::getline(in, *salt)) {
      std::fprintf(stderr, "lockstep: %s: cannot read the salt\n", f.salt_file.c_str());
      return kExitUsage;
    }
  }
  if (salt->empty())
    if (const char* env = std::getenv("LOCKSTEP_DISCLOSURE_SALT"); env != nullptr) *salt = env;
  if (salt->empty()) {
    std::fprintf(stderr, "lockstep: a secret salt is required (--salt, --salt-file or $LOCKSTEP_DISCLOSURE_SALT)\n");
    return kExitUsage;
  }
  return kExitOk;
}

// The networks --network names (all when none), or the exit code after
// naming one that is not in the detection.
int ChooseNetworks(const ExportFlags& f, const Detection& detection, std::vector<const Network*>* chosen) {
  for (const Network& n : detection.networks)
    if (f.networks.empty() || std::find(f.networks.begin(), f.networks.end(), n.network_id) != f.networks.end())
      chosen->push_back(&n);
  for (const std::string& id : f.networks)
    if (std::none_of(chosen->begin(), chosen->end(), [&](const Network* n) { return n->network_id == id; })) {
      std::fprintf(stderr, "lockstep: no network '%s' in %s/networks.json\n", id.c_str(), f.dir.c_str());
      return kExitUsage;
    }
  return kExitOk;
}

int ExportStix(ExportFlags& f) {
  StixOptions options;
  options.accounts.public_follower_threshold = f.threshold;
  if (int code = ResolveSalt(f, &options.accounts.salt); code != kExitOk) return code;
  if (f.out.empty()) f.out = "stix";
  if (int code = CheckOutputDir("--out", f.out); code != kExitOk) return code;
  auto run = LoadStoredRun(f.dir, f.data, f.data_format);
  if (!run.ok()) {
    std::fprintf(stderr, "lockstep: %s\n", run.status().message().c_str());
    return run.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
  }
  std::vector<const Network*> chosen;
  if (int code = ChooseNetworks(f, run->detection, &chosen); code != kExitOk) return code;
  KillChainBuilder kill_chain(run->dataset, options.evidence);  // its signals run once for all networks
  for (const Network* n : chosen) {
    const std::string path = f.out + "/" + n->network_id + "_stix.json";
    if (Status s = WriteStixBundle(run->dataset, *n, options, path, &kill_chain); !s.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
      return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
    }
    fmt::print("{}: STIX 2.1 bundle -> {}\n", n->network_id, path);
  }
  return kExitOk;
}

int ExportKillChain(ExportFlags& f) {
  if (f.out.empty()) f.out = "killchain";
  if (int code = CheckOutputDir("--out", f.out); code != kExitOk) return code;
  auto run = LoadStoredRun(f.dir, f.data, f.data_format);
  if (!run.ok()) {
    std::fprintf(stderr, "lockstep: %s\n", run.status().message().c_str());
    return run.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
  }
  std::vector<const Network*> chosen;
  if (int code = ChooseNetworks(f, run->detection, &chosen); code != kExitOk) return code;
  KillChainBuilder kill_chain(run->dataset);  // its signals run once for all networks
  for (const Network* n : chosen) {
    const std::vector<KillChainRow> rows = kill_chain.Build(*n);
    const std::string path = f.out + "/" + n->network_id + "_killchain.csv";
    if (Status s = WriteKillChainCsv(rows, path); !s.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", s.message().c_str());
      return kExitBadInput;
    }
    fmt::print("{}: {} kill-chain rows -> {}\n", n->network_id, rows.size(), path);
  }
  return kExitOk;
}

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<ExportFlags>();
  app.add_option("DIR", f->dir, "output directory of lockstep detect")->required();
  app.add_option("--network", f->networks, "network id(s) to export, e.g. N1 (default: all)");
  app.add_option("--salt", f->salt, "secret salt of the id hashes (or --salt-file, or $LOCKSTEP_DISCLOSURE_SALT)");
  app.add_option("--salt-file", f->salt_file, "file holding the secret salt (first line)");
  app.add_option("--public-followers", f->threshold,
                 "accounts with at least this many followers keep their ids and handles, 0 to 10^10")
      ->check(Within(0, 1e10))
      ->capture_default_str();
  app.add_option("--data", f->data, "the data set detect read (default: the one named in DIR/run.json)");
  app.add_option("--data-format", f->data_format, "format of --data")->capture_default_str();
  app.add_option("--format", f->format,
                 "disclosure: Twitter information-operations archive; killchain: Meta's Online Operations Kill Chain "
                 "table (<network>_killchain.csv); stix: STIX 2.1 bundle (<network>_stix.json, small accounts hashed "
                 "with the salt)")
      ->check(CLI::IsMember({"disclosure", "killchain", "stix"}))
      ->capture_default_str();
  app.add_option("--out", f->out,
                 "output directory (default: disclosure/, killchain/ or stix/); disclosure writes "
                 "<network>_users_csv_hashed.csv and <network>_tweets_csv_hashed.csv");
  return [f]() {
    if (f->format == "killchain") return ExportKillChain(*f);
    if (f->format == "stix") return ExportStix(*f);
    DisclosureOptions options;
    options.public_follower_threshold = f->threshold;
    if (int code = ResolveSalt(*f, &options.salt); code != kExitOk) return code;
    if (f->out.empty()) f->out = "disclosure";
    if (int code = CheckOutputDir("--out", f->out); code != kExitOk) return code;
    auto run = LoadStoredRun(f->dir, f->data, f->data_format);
    if (!run.ok()) {
      std::fprintf(stderr, "lockstep: %s\n", run.status().message().c_str());
      return run.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
    }
    std::vector<const Network*> chosen;
    if (int code = ChooseNetworks(*f, run->detection, &chosen); code != kExitOk) return code;
    for (const Network* n : chosen) {
      auto summary = WriteDisclosureArchive(run->dataset, *n, options, f->out);
      if (!summary.ok()) {
        std::fprintf(stderr, "lockstep: %s\n", summary.status().message().c_str());
        return summary.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
      }
      fmt::print("{}: {} users ({} hashed), {} tweets ({} likes/follows/joins not exported) -> {}, {}\n", n->network_id,
                 summary->users, summary->hashed_users, summary->tweets, summary->skipped_events, summary->users_file,
                 summary->tweets_file);
    }
    return kExitOk;
  };
}

const bool kRegistered =
    Register({"export",
              "Export networks as a Twitter information-operations archive with hashed ids, a kill-chain table or a "
              "STIX 2.1 bundle",
              Setup});

}  // namespace
}  // namespace lockstep::cli
