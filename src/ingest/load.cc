#include "lockstep/ingest/load.h"

#include <sys/stat.h>

#include <algorithm>
#include <iterator>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "ingest/json_records.h"
#include "lockstep/ingest/bluesky_reader.h"
#include "lockstep/ingest/byte_source.h"
#include "lockstep/ingest/coortweet_reader.h"
#include "lockstep/ingest/crowdtangle_reader.h"
#include "lockstep/ingest/ira_reader.h"
#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/ingest/manifest.h"
#include "lockstep/ingest/mapped_reader.h"
#include "lockstep/ingest/mastodon_reader.h"
#include "lockstep/ingest/meta_content_library_reader.h"
#include "lockstep/ingest/reddit_reader.h"
#include "lockstep/ingest/table_reader.h"
#include "lockstep/ingest/telegram_reader.h"
#include "lockstep/ingest/tiktok_reader.h"
#include "lockstep/ingest/twitter_io_reader.h"
#include "lockstep/ingest/twitter_json_reader.h"
#include "lockstep/ingest/youtube_reader.h"
#include "lockstep/model/merge.h"
#include "lockstep/model/snapshot.h"

namespace lockstep {

namespace {

// What a data file holds, judged from its name and its CSV header or first JSON line.
enum class FileKind {
  kUnknown, kTwitterIoTweets, kTwitterIoUsers, kTwitterJson, kCrowdTangle, kCoorTweet, kIraTweets, kIraAuthors,
  kMetaContentLibrary, kFields
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsDataFileName(const std::string& path) {
  const std::string name = StripCompressionSuffix(path);
  return EndsWith(name, ".csv") || EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson") || EndsWith(name, ".json") ||
         IsRedditDumpName(path);  // a directory of RC_YYYY-MM.zst dumps
}

// The first non-blank line of a file, at most 1 MiB of it.
std::string FirstLine(const std::string& path) {
  auto source = OpenByteSource(path);
  if (!source.ok()) return "";
  std::string out;
  char buf[65536];
  while (out.size() < (1u << 20)) {
    auto n = (*source)->Read(buf, sizeof buf);
    if (!n.ok() || *n == 0) break;
    out.append(buf, *n);
    if (out.starts_with("\xEF\xBB\xBF")) out.erase(0, 3);  // a UTF-8 byte order mark, as the readers skip it
    const size_t start = out.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) continue;
    const size_t nl = out.find('\n', start);
    if (nl != std::string::npos) return out.substr(start, nl - start);
  }
  const size_t start = out.find_first_not_of(" \t\r\n");
  return start == std::string::npos ? "" : out.substr(start, 1u << 20);
}

// The reader of a platform's API JSON that a file's name or first 64 KiB match; "" for none.
std::string_view PlatformReaderOf(const std::string& path) {
  const std::string prefix = internal::FilePrefix(path, 1u << 16);
  if (IsRedditJson(path, prefix)) return "reddit";
  if (IsBlueskyJson(prefix)) return "bluesky";
  if (IsMastodonJson(prefix)) return "mastodon";
  if (IsYouTubeJson(prefix)) return "youtube";
  if (IsTelegramJson(prefix)) return "telegram";
  if (IsTikTokJson(prefix)) return "tiktok";
  if (IsMetaContentLibraryJson(prefix)) return "meta_content_library";
  return "";
}

FileKind Sniff(const std::string& path) {
  if (TableFormatFromName(path) == TableFormat::kJsonLines) {
    const std::string line = FirstLine(path);
    if (IsTwitterJsonLine(line)) return FileKind::kTwitterJson;
    const bool fields = line.find("\"account_id\"") != std::string::npos && line.find("\"time\"") != std::string::npos;
    return fields ? FileKind::kFields : FileKind::kUnknown;
  }
  ErrorSink quiet(ErrorPolicy::kSkip);
  auto reader = TableReader::Open(path, {}, &quiet);
  if (!reader.ok()) return FileKind::kUnknown;
  const std::vector<std::string>& header = (*reader)->header();
  if (IsTwitterIoTweetsHeader(header)) return FileKind::kTwitterIoTweets;
  if (IsTwitterIoUsersHeader(header)) return FileKind::kTwitterIoUsers;
  if (IsCrowdTangleHeader(header)) return FileKind::kCrowdTangle;
  if (IsCoorTweetHeader(header)) return FileKind::kCoorTweet;
  if (IsIraTweetsHeader(header)) return FileKind::kIraTweets;
  if (IsIraAuthorsHeader(header)) return FileKind::kIraAuthors;
  if (IsMetaContentLibraryHeader(header)) return FileKind::kMetaContentLibrary;
  auto has = [&](std::string_view c) { return std::find(header.begin(), header.end(), c) != header.end(); };
  if (has("account_id") && has("time")) return FileKind::kFields;
  return FileKind::kUnknown;
}

std::string_view ReaderOf(FileKind kind) {
  switch (kind) {
    case FileKind::kTwitterIoTweets:
    case FileKind::kTwitterIoUsers: return "twitter_io";
    case FileKind::kTwitterJson: return "twitter_json";
    case FileKind::kCrowdTangle: return "crowdtangle";
    case FileKind::kCoorTweet: return "coortweet";
    case FileKind::kIraTweets:
    case FileKind::kIraAuthors: return "ira";
    case FileKind::kMetaContentLibrary: return "meta_content_library";
    case FileKind::kFields: return "map";
    case FileKind::kUnknown: break;
  }
  return "";
}

// The data files of a directory (not recursive), sorted by name.
std::vector<std::string> DataFiles(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && IsDataFileName(entry.path().string())) out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Runs reader `name` on `files`.
Result<Dataset> RunReader(const std::string& name, const std::vector<std::string>& files, const LoadOptions& options,
                          ErrorSink* sink, LoadReport* report) {
  if (name == "twitter_io") {
    std::vector<std::string> tweets;
    std::string users;
    for (const std::string& f : files) {
      if (files.size() > 1 && Sniff(f) == FileKind::kTwitterIoUsers) {
        if (!users.empty())
          return Status::InvalidArgument(fmt::format("two IO-archive users files, {} and {}; keep one", users, f));
        users = f;
      } else {
        tweets.push_back(f);
      }
    }
    if (tweets.empty())
      return Status::InvalidArgument(fmt::format("{}: a users file but no tweets file; the archive's tweets are required",
                                                 users));
    return LoadTwitterIoArchive(tweets, users, options, sink, report);
  }
  if (name == "ira") {
    std::vector<std::string> tweets;
    std::string authors;
    for (const std::string& f : files) {
      if (Sniff(f) == FileKind::kIraAuthors) {
        if (!authors.empty())
          return Status::InvalidArgument(fmt::format("two IRA authors files, {} and {}; keep one", authors, f));
        authors = f;
      } else {
        tweets.push_back(f);
      }
    }
    if (tweets.empty())
      return Status::InvalidArgument(fmt::format("{}: an authors file but no tweets file; the tweets are required",
                                                 authors));
    return LoadIraTweets(tweets, authors, options, sink, report);
  }
  if (name == "twitter_json") return LoadTwitterJson(files, options, sink, report);
  if (name == "crowdtangle") return LoadCrowdTangle(files, options, sink, report);
  if (name == "coortweet") return LoadCoorTweet(files, options, sink, report);
  if (name == "map") return LoadMapped(files, options, sink, report);
  if (name == "bluesky") return LoadBluesky(files, options, sink, report);
  if (name == "mastodon") return LoadMastodon(files, options, sink, report);
  if (name == "reddit") return LoadReddit(files, options, sink, report);
  if (name == "youtube") return LoadYouTube(files, options, sink, report);
  if (name == "telegram") return LoadTelegram(files, options, sink, report);
  if (name == "tiktok") return LoadTikTok(files, options, sink, report);
  if (name == "meta_content_library") return LoadMetaContentLibrary(files, options, sink, report);
  return Status::Internal(fmt::format("no reader '{}'", name));
}

}  // namespace

uint64_t LoadReport::rows_read() const {
  uint64_t n = 0;
  for (const FileStats& f : files) n += f.rows_read;
  return n;
}
uint64_t LoadReport::rows_loaded() const {
  uint64_t n = 0;
  for (const FileStats& f : files) n += f.rows_loaded;
  return n;
}
uint64_t LoadReport::rows_rejected() const {
  uint64_t n = 0;
  for (const FileStats& f : files) n += f.rows_rejected;
  return n;
}

std::vector<std::string> ReaderNames() {
  return {"lockstep", "snapshot", "twitter_io", "twitter_json", "crowdtangle", "coortweet", "ira", "map",
          "bluesky",  "mastodon", "reddit",      "youtube",     "telegram", "tiktok", "meta_content_library"};
}

Result<Dataset> LoadDataset(const std::string& path, const std::string& format, const LoadOptions& options,
                            ErrorSink* sink, LoadReport* report) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Status::IoError(fmt::format("{}: no such file or directory", path));
  const auto names = ReaderNames();
  if (format != "auto" && std::find(names.begin(), names.end(), format) == names.end())
    return Status::InvalidArgument(
        fmt::format("unknown format '{}'; expected auto or one of: {}", format, fmt::join(names, ", ")));
  const bool is_dir = S_ISDIR(st.st_mode);
  if (!is_dir && !S_ISREG(st.st_mode))
    return Status::IoError(fmt::format("{}: not a regular file or directory (a FIFO, device or socket)", path));
  if (!options.column_map.empty() && format != "auto" && format != "map")
    return Status::InvalidArgument(fmt::format(
        "--map applies to the map reader only, not to --format {}; drop --format, or use --format map", format));
  std::string chosen = format;
  std::vector<std::string> files;  // the inputs of a reader of other formats
  if (chosen == "auto") {
    if (!is_dir && (IsSnapshotFile(path) || (!IsDataFileName(path) && IsTruncatedSnapshotHeader(path)))) {
      chosen = "snapshot";
    } else if (!options.column_map.empty()) {
      chosen = "map";  // --map names the reader
    } else if (is_dir && IsLockstepDirectory(path)) {
      chosen = "lockstep";
    } else {
      const std::vector<std::string> candidates = is_dir ? DataFiles(path) : std::vector<std::string>{path};
      std::vector<std::string> seen;  // "file: reader"
      for (const std::string& f : candidates) {
        std::string_view reader = PlatformReaderOf(f);
        if (reader.empty()) reader = ReaderOf(Sniff(f));
        seen.push_back(fmt::format("{} ({})", f, reader.empty() ? "not recognised" : reader));
        if (reader.empty()) continue;
        if (chosen == "auto") chosen = reader;
        if (chosen != reader)
          return Status::InvalidArgument(fmt::format(
              "{}: files of different formats ({}); put each format in its own directory, or name the reader with "
              "--format",
              path, fmt::join(seen, ", ")));
        files.push_back(f);
      }
      if (chosen == "auto")
        return Status::InvalidArgument(fmt::format(
            "{}: cannot tell the format: not a snapshot, not a directory with accounts and events files, and no file "
            "with a header or first line that a reader knows{}{}; name the reader with --format ({}), or map the "
            "columns with --map account_id=...,time=...",
            path, seen.empty() ? "" : ": ", fmt::join(seen, ", "), fmt::join(names, ", ")));
      // A directory may hold files no reader knows (a README.csv, say); they are named, never read silently.
      if (files.size() != candidates.size())
        return Status::InvalidArgument(fmt::format(
            "{}: some files are not {} input ({}); move them out, or name the files to read", path, chosen,
            fmt::join(seen, ", ")));
    }
  }
  if (chosen == "snapshot") {
    const auto start = std::chrono::steady_clock::now();
    auto ds = LoadSnapshot(path);
    report->format = "snapshot";
    report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report->bytes = static_cast<uint64_t>(st.st_size);
    return ds;
  }
  if (chosen == "lockstep") return LoadLockstepDirectory(path, options, sink, report);
  if (files.empty()) {
    files = is_dir ? DataFiles(path) : std::vector<std::string>{path};
    if (files.empty())
      return Status::IoError(fmt::format("{}: no data files (.csv, .jsonl, .ndjson, .json, optionally .gz or .zst; or Reddit's RC_/RS_*.zst dumps)", path));
  }
  return RunReader(chosen, files, options, sink, report);
}

namespace {

// One source of LoadSources: a DATA argument (as a ManifestSource with the
// command's format and mapping and no platform), or an entry of a manifest.
Result<Dataset> LoadSource(const ManifestSource& spec, const LoadOptions& options, ErrorSink* sink, LoadReport* report) {
  LoadOptions own = options;
  own.column_map = spec.column_map;
  auto ds = LoadDataset(spec.path, spec.format, own, sink, report);
  if (!ds.ok() || spec.platform.empty()) return ds;
  const StringId platform = ds->strings.Intern(spec.platform);
  for (Account& a : ds->accounts)
    if (a.platform == kNoString) a.platform = platform;
  return ds;
}

}  // namespace

Result<Dataset> LoadSources(const std::vector<std::string>& paths, const std::string& format,
                            const LoadOptions& options, ErrorSink* sink, LoadReport* report) {
  std::vector<ManifestSource> specs;
  for (const std::string& path : paths) {
    if (!IsManifestFile(path)) {
      specs.push_back({path, format, options.column_map, "", 0});
      continue;
    }
    if (format != "auto" || !options.column_map.empty())
      return Status::InvalidArgument(
          fmt::format("{} is a manifest, which names each source's format and mapping; drop --format and --map", path));
    auto m = ReadManifest(path, sink);
    if (!m.ok()) return m.status();
    std::move(m->sources.begin(), m->sources.end(), std::back_inserter(specs));
  }
  if (specs.size() == 1) return LoadSource(specs[0], options, sink, report);
  const auto start = std::chrono::steady_clock::now();
  std::vector<MergeSource> sources;
  std::vector<std::string> formats;
  for (const ManifestSource& spec : specs) {
    LoadReport one;
    auto ds = LoadSource(spec, options, sink, &one);
    if (!ds.ok()) return ds.status();
    SourceStats stats;
    stats.path = spec.path;
    stats.format = one.format;
    stats.rows_read = one.rows_read();
    stats.rows_loaded = one.rows_loaded();
    stats.rows_rejected = one.rows_rejected();
    stats.accounts = ds->accounts.size();
    stats.events = ds->events.size();
    stats.id_namespace = !spec.platform.empty() ? spec.platform
                         : ds->accounts.empty() || ds->accounts[0].platform == kNoString
                             ? one.format
                             : std::string(ds->String(ds->accounts[0].platform));
    report->files.insert(report->files.end(), one.files.begin(), one.files.end());
    report->bytes += one.bytes;
    report->sources.push_back(std::move(stats));
    if (std::find(formats.begin(), formats.end(), one.format) == formats.end()) formats.push_back(one.format);
    sources.push_back({std::move(*ds), ""});
  }
  const bool one_platform = std::all_of(report->sources.begin(), report->sources.end(), [&](const SourceStats& s) {
    return s.id_namespace == report->sources[0].id_namespace;
  });
  for (size_t i = 0; i < sources.size(); ++i) {
    if (one_platform) report->sources[i].id_namespace.clear();
    sources[i].id_namespace = report->sources[i].id_namespace;
  }
  report->format = fmt::format("{}", fmt::join(formats, "+"));
  Dataset merged = MergeDatasets(std::move(sources));
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return merged;
}

std::string FormatSourceStats(const SourceStats& s) {
  return fmt::format("{} ({}): rows read {} = loaded {} + rejected {}; {} accounts, {} events; ids {}", s.path,
                     s.format, s.rows_read, s.rows_loaded, s.rows_rejected, s.accounts, s.events,
                     s.id_namespace.empty() ? "as given" : "prefixed " + s.id_namespace + ":");
}

}  // namespace lockstep
