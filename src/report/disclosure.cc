#include "lockstep/report/disclosure.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cctype>
#include <filesystem>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lockstep/ingest/twitter_io_reader.h"
#include "ingest/reader_support.h"
#include "lockstep/report/escape.h"

namespace lockstep {

namespace {

constexpr size_t kUserColumns = 10;

// A Python list literal as the releases write them: ['a', 'b'].
std::string PythonList(const std::vector<std::string_view>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    const char quote = items[i].find('\'') != std::string_view::npos && items[i].find('"') == std::string_view::npos ? '"' : '\'';
    out += quote;
    for (char c : items[i]) {
      if (c == '\\' || c == quote) out += '\\';
      out += c;
    }
    out += quote;
  }
  return out + "]";
}

// A file name part from a network id: letters, digits, '-' and '_'.
std::string FileSafe(std::string_view s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out.empty() ? "network" : out;
}

bool IsHandleByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `text` with every @mention whose account `hide` says to hide replaced by
// "@" + `hide`'s pseudonym. A mention is "@" (or the fullwidth "＠") not
// preceded by a handle character (so e-mail addresses are not mentions),
// then handle characters [A-Za-z0-9_], continued across single '.' or '-'
// between them (Bluesky and Mastodon handles such as @ana.bsky.social).
// `hide(handle)` returns the pseudonym, or nullopt to keep the mention.
template <typename Hide>
std::string PseudonymousMentions(std::string_view text, Hide&& hide) {
  static constexpr std::string_view kFullwidthAt = "\xEF\xBC\xA0";
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t at_size = 0;
    if (text[i] == '@')
      at_size = 1;
    else if (text.substr(i, kFullwidthAt.size()) == kFullwidthAt)
      at_size = kFullwidthAt.size();
    if (at_size == 0 || (i > 0 && IsHandleByte(text[i - 1]))) continue;
    size_t end = i + at_size;
    while (end < text.size() && IsHandleByte(text[end])) ++end;
    if (end == i + at_size) continue;
    while (end + 1 < text.size() && (text[end] == '.' || text[end] == '-') && IsHandleByte(text[end + 1]))
      for (++end; end < text.size() && IsHandleByte(text[end]);) ++end;
    const std::optional<std::string> pseudonym = hide(text.substr(i + at_size, end - i - at_size));
    if (pseudonym) {
      out.append(text.substr(copied, i - copied));
      out += '@';
      out += *pseudonym;
      copied = end;
    }
    i = end - 1;
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

std::string Extra(const Dataset& ds, AccountIndex a, std::string_view column) {
  const StringId col = ds.strings.Find(column);
  if (col == kNoString) return "";
  for (const ExtraAttribute& e : ds.account_extras)
    if (e.row == a && e.column == col) return std::string(ds.String(e.value));
  return "";
}

}  // namespace

std::string HashedId(std::string_view salt, std::string_view id) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), salt.data(), static_cast<int>(salt.size()), reinterpret_cast<const unsigned char*>(id.data()),
       id.size(), digest, &length);
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

Result<DisclosureSummary> WriteDisclosureArchive(const Dataset& ds, const Network& network,
                                                 const DisclosureOptions& options, const std::string& out_dir) {
  if (options.salt.empty())
    return Status::InvalidArgument("the disclosure salt is empty; pass a secret (--salt) so hashed ids cannot be reversed");
  if (options.public_follower_threshold < 0)
    return Status::InvalidArgument(fmt::format(
        "the public follower threshold is {}, expected >= 0 (a negative one would publish every account's id)",
        options.public_follower_threshold));
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Status::IoError(fmt::format("{}: cannot create: {}", out_dir, ec.message()));
  DisclosureSummary summary;
  const std::string base = out_dir + "/" + FileSafe(network.network_id);
  summary.users_file = base + "_users_csv_hashed.csv";
  summary.tweets_file = base + "_tweets_csv_hashed.csv";

  auto is_public = [&](AccountIndex a) {
    return ds.IsAccount(a) && ds.accounts[a].followers >= options.public_follower_threshold;
  };
  auto user_id = [&](AccountIndex a) {
    return is_public(a) ? std::string(ds.AccountId(a)) : HashedId(options.salt, ds.AccountId(a));
  };
  // Mentions name accounts by handle (in text, and in the mentions list of
  // some sources) or by id: both case-folded, handles first. An account
  // that is not in the data is treated as small: its mention is hashed too
  // (the case-folded handle or the id as written, with the salt).
  std::unordered_map<std::string, AccountIndex> by_name;
  for (AccountIndex a = 0; a < ds.num_accounts(); ++a)
    if (const std::string_view h = ds.String(ds.accounts[a].handle); !h.empty()) by_name.emplace(internal::AsciiLower(h), a);
  for (AccountIndex a = 0; a < ds.num_accounts(); ++a) by_name.emplace(internal::AsciiLower(ds.AccountId(a)), a);
  auto mention_pseudonym = [&](std::string_view name) -> std::optional<std::string> {
    const std::string folded = internal::AsciiLower(name);
    if (auto it = by_name.find(folded); it != by_name.end()) {
      if (is_public(it->second)) return std::nullopt;
      return HashedId(options.salt, ds.AccountId(it->second));
    }
    return HashedId(options.salt, folded);
  };
  // The first 10 columns of a member.
  auto profile = [&](AccountIndex a) {
    const Account& acc = ds.accounts[a];
    const bool hashed = !is_public(a);
    const std::string id = user_id(a);
    const std::string created = acc.created_at == kNoTime ? "" : FormatTime(acc.created_at).substr(0, 10);
    return fmt::format("{},{},{},{},{},{},{},{},{},{}", CsvField(id),
                       CsvField(hashed ? id : CleanText(ds.String(acc.display_name))),
                       CsvField(hashed ? id : CleanText(ds.String(acc.handle))), CsvField(CleanText(ds.String(acc.claimed_location))),
                       CsvField(CleanText(PseudonymousMentions(ds.String(acc.description), mention_pseudonym))),
                       CsvField(CleanText(Extra(ds, a, "user_profile_url"))),
                       acc.followers >= 0 ? fmt::format("{}", acc.followers) : "",
                       acc.following >= 0 ? fmt::format("{}", acc.following) : "", created,
                       CsvField(ds.String(acc.language)));
  };

  // The users file: the 10 profile columns that follow tweetid.
  const std::vector<std::string>& columns = TwitterIoTweetColumns();
  std::string users = fmt::format("{}\n", fmt::join(columns.begin() + 1, columns.begin() + 1 + kUserColumns, ","));
  for (AccountIndex a : network.members) {
    users += profile(a) + "\n";
    summary.users++;
    summary.hashed_users += !is_public(a);
  }

  std::unordered_set<AccountIndex> members(network.members.begin(), network.members.end());
  std::vector<std::string> profiles(ds.num_accounts());
  std::string tweets = fmt::format("{}\n", fmt::join(columns, ","));
  const Events& ev = ds.events;
  for (size_t i = 0; i < ev.size(); ++i) {
    const AccountIndex a = ev.account[i];
    if (!members.contains(a)) continue;
    const EventType type = ev.type[i];
    if (type != EventType::kPost && type != EventType::kShare && type != EventType::kComment) {
      summary.skipped_events++;
      continue;
    }
    if (profiles[a].empty()) profiles[a] = profile(a);
    const std::string tweet_id =
        ev.event_id[i] != kNoString ? std::string(ds.objects.Get(ev.event_id[i])) : fmt::format("lockstep-{}", i);
    const std::string target = ev.target_id[i] != kNoString ? std::string(ds.objects.Get(ev.target_id[i])) : "";
    const AccountIndex ta = ev.target_account[i];
    const std::string target_user = ta != kNoString && ta < ds.account_ids.size() ? user_id(ta) : "";
    const bool retweet = type == EventType::kShare, reply = type == EventType::kComment;
    std::vector<std::string_view> hashtags, urls, mentions;
    std::vector<std::string> mention_storage;
    for (uint32_t h : ev.hashtags.Row(i)) hashtags.push_back(ds.hashtags.Get(h));
    for (uint32_t u : ev.urls.Row(i)) urls.push_back(ds.urls.Get(u));
    mention_storage.reserve(ev.mentions.Row(i).size());
    for (uint32_t m : ev.mentions.Row(i)) {
      const std::string_view name = ds.mentions.Get(m);
      const StringId acc = ds.account_ids.Find(name);
      if (acc != kNoString) {
        mention_storage.push_back(user_id(acc));
      } else if (auto it = by_name.find(internal::AsciiLower(name)); it != by_name.end()) {
        mention_storage.push_back(is_public(it->second) ? std::string(name) : user_id(it->second));
      } else {
        mention_storage.push_back(HashedId(options.salt, name));  // an unknown id, hashed as retweet targets are
      }
    }
    for (const std::string& m : mention_storage) mentions.push_back(m);
    const std::string time = FormatTime(ev.time[i]);
    fmt::format_to(std::back_inserter(tweets), "{},{},{},{},{},{},{},{},{},{},{},{},{},{},,,,,{},{},{},\n",
                   CsvField(tweet_id), profiles[a], CsvField(ds.String(ev.language[i])),
                   CsvField(CleanText(PseudonymousMentions(ev.Text(i), mention_pseudonym))), time.substr(0, 10) + " " + time.substr(11, 5),
                   CsvField(CleanText(ds.String(ev.client[i]))), reply ? CsvField(target_user) : "",
                   reply ? CsvField(target) : "", type == EventType::kPost ? CsvField(target) : "",
                   retweet ? "True" : "False", retweet ? CsvField(target_user) : "", retweet ? CsvField(target) : "",
                   "absent", "absent", CsvField(PythonList(hashtags)), CsvField(PythonList(urls)),
                   CsvField(PythonList(mentions)));
    summary.tweets++;
  }
  for (auto [path, text] : {std::pair{&summary.users_file, &users}, std::pair{&summary.tweets_file, &tweets}}) {
    std::FILE* f = std::fopen(path->c_str(), "w");
    if (f == nullptr) return Status::IoError(fmt::format("{}: cannot write: {}", *path, std::strerror(errno)));
    const bool ok = std::fwrite(text->data(), 1, text->size(), f) == text->size();
    if (std::fclose(f) != 0 || !ok) return Status::IoError(fmt::format("{}: write failed", *path));
  }
  return summary;
}

}  // namespace lockstep
