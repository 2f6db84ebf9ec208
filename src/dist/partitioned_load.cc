#include "lockstep/dist/partitioned_load.h"

#include <fcntl.h>
#include <unistd.h>

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "lockstep/model/merge.h"
#include "lockstep/model/snapshot.h"

#define LOCKSTEP_RETURN_IF_ERROR(expr)           \
  do {                                           \
    ::lockstep::Status status_ = (expr);         \
    if (!status_.ok()) return status_;           \
  } while (false)

namespace lockstep {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

constexpr size_t kBlock = 1 << 20;
// MPI counts are int: snapshots travel in pieces of at most 1 GiB.
constexpr uint64_t kMaxMessage = 1ull << 30;
constexpr int kTagSize = 1, kTagBytes = 2;

// A file descriptor closed on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The events file of a lockstep directory, if it is one plain file.
std::string PlainEventsFile(const std::string& dir) {
  std::string found;
  int count = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("events.", 0) != 0) continue;
    ++count;
    if (name == "events.csv" || name == "events.jsonl") found = e.path().string();
  }
  return count == 1 ? found : std::string();
}

// A rank's working directory, removed with everything in it on scope exit.
struct TempDir {
  std::string path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

Status CopyRange(const std::string& from, uint64_t begin, uint64_t end, std::ofstream& to) {
  Fd in(from);
  if (in.fd < 0) return Status::IoError(fmt::format("{}: cannot open: {}", from, std::strerror(errno)));
  std::vector<char> buf(kBlock);
  for (uint64_t at = begin; at < end;) {
    const ssize_t n = ::pread(in.fd, buf.data(), std::min<uint64_t>(kBlock, end - at), static_cast<off_t>(at));
    if (n <= 0) return Status::IoError(fmt::format("{}: read failed at byte {}", from, at));
    to.write(buf.data(), n);
    at += static_cast<uint64_t>(n);
  }
  return to ? Status::Ok() : Status::IoError("cannot write a rank's share of the events file");
}

Result<std::vector<char>> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot open", path));
  std::vector<char> bytes(fs::file_size(path));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) return Status::IoError(fmt::format("{}: cannot read", path));
  return bytes;
}

void SendBytes(const std::vector<char>& bytes, int to) {
  uint64_t size = bytes.size();
  MPI_Send(&size, 1, MPI_UINT64_T, to, kTagSize, MPI_COMM_WORLD);
  for (uint64_t at = 0; at < size; at += kMaxMessage)
    MPI_Send(bytes.data() + at, static_cast<int>(std::min(kMaxMessage, size - at)), MPI_BYTE, to, kTagBytes,
             MPI_COMM_WORLD);
}

std::vector<char> ReceiveBytes(int from) {
  uint64_t size = 0;
  MPI_Recv(&size, 1, MPI_UINT64_T, from, kTagSize, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  std::vector<char> bytes(size);
  for (uint64_t at = 0; at < size; at += kMaxMessage)
    MPI_Recv(bytes.data() + at, static_cast<int>(std::min(kMaxMessage, size - at)), MPI_BYTE, from, kTagBytes,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return bytes;
}

// Every rank gets the first failing rank's status (prefixed with its rank).
Status Agree(const MpiJob& job, const Status& mine) {
  int failing = mine.ok() ? job.size() : job.rank();
  int first = job.size();
  MPI_Allreduce(&failing, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first == job.size()) return Status::Ok();
  int code = static_cast<int>(mine.code());
  std::string message = mine.message();
  uint64_t length = message.size();
  MPI_Bcast(&code, 1, MPI_INT, first, MPI_COMM_WORLD);
  MPI_Bcast(&length, 1, MPI_UINT64_T, first, MPI_COMM_WORLD);
  message.resize(length);
  MPI_Bcast(message.data(), static_cast<int>(length), MPI_CHAR, first, MPI_COMM_WORLD);
  return Status(static_cast<StatusCode>(code), job.size() > 1 ? fmt::format("rank {}: {}", first, message) : message);
}

}  // namespace

bool MpiJob::Launched() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

MpiJob::MpiJob() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiJob::~MpiJob() { MPI_Finalize(); }

Result<uint64_t> CountQuotes(const std::string& path, uint64_t begin, uint64_t end) {
  return CountByte(path, begin, end, '"');
}

Result<uint64_t> CountByte(const std::string& path, uint64_t begin, uint64_t end, char byte) {
  Fd in(path);
  if (in.fd < 0) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::vector<char> buf(kBlock);
  uint64_t count = 0;
  for (uint64_t at = begin; at < end;) {
    const ssize_t n = ::pread(in.fd, buf.data(), std::min<uint64_t>(kBlock, end - at), static_cast<off_t>(at));
    if (n < 0) return Status::IoError(fmt::format("{}: read failed at byte {}", path, at));
    if (n == 0) break;
    count += static_cast<uint64_t>(std::count(buf.data(), buf.data() + n, byte));
    at += static_cast<uint64_t>(n);
  }
  return count;
}

// Lines and bytes of the header are the file's own; the rest are shifted.
void ShareOrigin::Rebase(uint64_t* line, uint64_t* byte) const {
  if (*line > header_lines) *line = *line - header_lines - 1 + start_line;
  if (*byte >= header_bytes) *byte = *byte - header_bytes + start;
}

std::string RebaseShareError(const std::string& message, const ShareOrigin& origin) {
  const std::string prefix = origin.share_file + ":";
  if (message.rfind(prefix, 0) != 0) return message;
  // "<line> (byte <offset>)" after the prefix.
  auto number = [&](size_t at, uint64_t* out) {
    size_t end = at;
    while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
    if (end == at || end - at > 19) return std::string::npos;
    *out = std::stoull(message.substr(at, end - at));
    return end;
  };
  uint64_t line = 0, byte = 0;
  const size_t line_end = number(prefix.size(), &line);
  constexpr std::string_view kByte = " (byte ";
  if (line_end == std::string::npos || message.compare(line_end, kByte.size(), kByte) != 0) return message;
  const size_t byte_end = number(line_end + kByte.size(), &byte);
  if (byte_end == std::string::npos || byte_end >= message.size() || message[byte_end] != ')') return message;
  origin.Rebase(&line, &byte);
  return fmt::format("{}:{} (byte {}){}", origin.file, line, byte, message.substr(byte_end + 1));
}

Result<uint64_t> RecordStartAfter(const std::string& path, uint64_t from, bool csv, bool inside_quotes) {
  Fd in(path);
  if (in.fd < 0) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::vector<char> buf(kBlock);
  bool quoted = csv && inside_quotes;
  for (uint64_t at = from;;) {
    const ssize_t n = ::pread(in.fd, buf.data(), kBlock, static_cast<off_t>(at));
    if (n < 0) return Status::IoError(fmt::format("{}: read failed at byte {}", path, at));
    if (n == 0) return at;  // end of file: no further record starts
    for (ssize_t i = 0; i < n; ++i) {
      if (csv && buf[i] == '"') quoted = !quoted;
      else if (buf[i] == '\n' && !quoted) return at + static_cast<uint64_t>(i) + 1;
    }
    at += static_cast<uint64_t>(n);
  }
}

bool PartitionedLoad::Partitionable(const std::string& path, const std::string& format, std::string* why) {
  std::error_code ec;
  if (format != "auto" && format != "lockstep")
    *why = fmt::format("--format {} (only the lockstep format is split across ranks)", format);
  else if (!fs::is_directory(path, ec) || IsSnapshotFile(path))
    *why = "not a lockstep-format directory";
  else if (PlainEventsFile(path).empty())
    *why = "its events file is not one plain events.csv or events.jsonl (a compressed file cannot be cut by bytes)";
  else
    return true;
  return false;
}

PartitionedLoad::PartitionedLoad(const MpiJob& job, PartitionedLoadOptions options)
    : job_(job), options_(std::move(options)) {}

void PartitionedLoad::AssureFinished() const {
  if (!has_run_) {
    std::fprintf(stderr, "lockstep: PartitionedLoad read before Run()\n");
    std::abort();
  }
}
Dataset& PartitionedLoad::dataset() {
  AssureFinished();
  return dataset_;
}
const LoadReport& PartitionedLoad::report() const {
  AssureFinished();
  return report_;
}
const PartitionStats& PartitionedLoad::stats() const {
  AssureFinished();
  return stats_;
}

// This rank's directory: its share of the events file beside links to the
// tables it reads (accounts on every rank, the rest on rank 0).
Status PartitionedLoad::LoadShare(const std::string& dir, Dataset* share) {
  const std::string events = PlainEventsFile(options_.path);
  if (events.empty()) return Status::InvalidArgument(fmt::format("{}: not partitionable", options_.path));
  const bool csv = events.ends_with(".csv");
  const uint64_t size = fs::file_size(events);
  const int rank = job_.rank(), ranks = job_.size();
  const uint64_t nominal = size * static_cast<uint64_t>(rank) / static_cast<uint64_t>(ranks);
  const uint64_t nominal_end = size * static_cast<uint64_t>(rank + 1) / static_cast<uint64_t>(ranks);
  // Quote parity at this rank's nominal start: the quotes of every earlier range.
  auto quotes = CountQuotes(events, nominal, nominal_end);
  Status counted = quotes.ok() ? Status::Ok() : quotes.status();
  uint64_t mine = quotes.ok() ? quotes.value() : 0, before = 0;
  MPI_Exscan(&mine, &before, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) before = 0;  // MPI_Exscan leaves rank 0's result undefined
  LOCKSTEP_RETURN_IF_ERROR(Agree(job_, counted));
  // A rank's records start at the first record start after its nominal
  // start (rank 0: after the CSV header); the next rank's start ends them.
  uint64_t start = 0;
  Status found = Status::Ok();
  if (rank > 0 || csv) {
    auto s = RecordStartAfter(events, nominal, csv, before % 2 == 1);
    if (s.ok()) start = s.value();
    else found = s.status();
  }
  std::vector<uint64_t> starts(static_cast<size_t>(ranks));
  MPI_Allgather(&start, 1, MPI_UINT64_T, starts.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
  LOCKSTEP_RETURN_IF_ERROR(Agree(job_, found));
  const uint64_t end = rank + 1 < ranks ? std::max(start, starts[static_cast<size_t>(rank) + 1]) : size;
  const uint64_t header_end = csv ? starts[0] : 0;
  stats_.share_bytes = end - start;

  Status written = Status::Ok();
  {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(options_.path, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("events.", 0) == 0) continue;
      if (rank > 0 && name.rfind("accounts.", 0) != 0) continue;
      fs::create_symlink(fs::absolute(e.path()), fs::path(dir) / name, ec);
      if (ec) written = Status::IoError(fmt::format("{}: cannot link {}: {}", dir, name, ec.message()));
    }
    std::ofstream out(fs::path(dir) / fs::path(events).filename(), std::ios::binary);
    if (written.ok() && header_end > 0) written = CopyRange(events, 0, header_end, out);
    if (written.ok()) written = CopyRange(events, start, end, out);
  }
  LOCKSTEP_RETURN_IF_ERROR(Agree(job_, written));

  const auto load_start = Clock::now();
  ErrorSink sink(options_.on_error, options_.rejects.empty() || rank == 0
                                        ? options_.rejects
                                        : fmt::format("{}.rank{}", options_.rejects, rank));
  // The reader names the share's copy: errors name the user's file, line and
  // byte instead (the lines before the share are counted at the first error).
  ShareOrigin origin;
  origin.share_file = (fs::path(dir) / fs::path(events).filename()).string();
  origin.file = events;
  origin.header_bytes = header_end;
  origin.start = start;
  Status counted_lines = Status::Ok();
  bool origin_known = false;
  auto locate = [&]() {
    if (origin_known || !counted_lines.ok()) return origin_known;
    auto header_lines = CountByte(events, 0, header_end, '\n');
    auto lines_before = CountByte(events, 0, start, '\n');
    if (!header_lines.ok() || !lines_before.ok()) {
      counted_lines = header_lines.ok() ? lines_before.status() : header_lines.status();
      return false;
    }
    origin.header_lines = header_lines.value();
    origin.start_line = lines_before.value() + 1;
    return origin_known = true;
  };
  sink.set_locate([&](InputError& error) {
    if (error.file != origin.share_file || !locate()) return;
    error.file = origin.file;
    origin.Rebase(&error.line, &error.byte_offset);
  });
  Status loaded = sink.rejects_error().empty() ? Status::Ok() : Status::IoError("--rejects: " + sink.rejects_error());
  if (loaded.ok()) {
    auto ds = LoadDataset(dir, "lockstep", options_.load, &sink, &report_);
    if (ds.ok()) {
      *share = std::move(ds).value();
    } else if (locate()) {
      loaded = Status(ds.status().code(), RebaseShareError(ds.status().message(), origin));
    } else {
      loaded = Status(ds.status().code(),
                      fmt::format("{} [the share of this rank is bytes {}..{} of {}{}; its line and byte count from "
                                  "there]",
                                  ds.status().message(), start, end, events, csv ? " after its header line" : ""));
    }
  }
  stats_.load_seconds = SecondsSince(load_start);
  stats_.share_events = share->events.size();
  uint64_t rejected = sink.total(), all_rejected = 0;
  MPI_Allreduce(&rejected, &all_rejected, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  stats_.rows_rejected = all_rejected;
  LOCKSTEP_RETURN_IF_ERROR(Agree(job_, loaded));
  // Rank 0's report counts every rank's events rows and bytes (one reduction on every rank).
  FileStats none;
  FileStats* events_stats = &none;
  for (FileStats& f : report_.files)
    if (fs::path(f.path).filename().string().rfind("events.", 0) == 0) events_stats = &f;
  uint64_t mine_rows[4] = {events_stats->rows_read, events_stats->rows_loaded, events_stats->rows_rejected,
                           events_stats->bytes};
  uint64_t all_rows[4] = {};
  MPI_Reduce(mine_rows, all_rows, 4, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    report_.bytes += all_rows[3] - events_stats->bytes;
    events_stats->rows_read = all_rows[0], events_stats->rows_loaded = all_rows[1];
    events_stats->rows_rejected = all_rows[2], events_stats->bytes = all_rows[3];
  }
  return Status::Ok();
}

Status PartitionedLoad::Run() {
  if (has_run_) return Status::FailedPrecondition("PartitionedLoad::Run() called twice");
  has_run_ = true;
  stats_.ranks = job_.size();
  const int rank = job_.rank();
  TempDir temp;
  {
    const char* env = std::getenv("TMPDIR");
    std::string base = !options_.temp_dir.empty() ? options_.temp_dir : env != nullptr && *env ? env : "/tmp";
    std::string pattern = base + "/lockstep-rank-XXXXXX";
    Status made = ::mkdtemp(pattern.data()) != nullptr
                      ? Status::Ok()
                      : Status::IoError(fmt::format("{}: cannot make a working directory: {}", base, std::strerror(errno)));
    if (made.ok()) temp.path = pattern;
    LOCKSTEP_RETURN_IF_ERROR(Agree(job_, made));
  }
  const std::string share_dir = temp.path + "/share";
  fs::create_directory(share_dir);
  Dataset share;
  LOCKSTEP_RETURN_IF_ERROR(LoadShare(share_dir, &share));

  // Every share to rank 0 as a snapshot, then merged there in rank order.
  const auto gather_start = Clock::now();
  const std::string snap = temp.path + "/share.snapshot";
  Status sent = Status::Ok();
  std::vector<std::vector<char>> shares;
  if (rank > 0) {
    sent = SaveSnapshot(share, snap);
    share = Dataset();
    std::vector<char> bytes;
    if (sent.ok()) {
      auto read = ReadWholeFile(snap);
      if (read.ok()) bytes = std::move(read).value();
      else sent = read.status();
    }
    stats_.sent_bytes = bytes.size();
    // A failed snapshot still sends (nothing), so rank 0 never waits forever.
    SendBytes(bytes, 0);
  } else {
    for (int r = 1; r < job_.size(); ++r) {
      shares.push_back(ReceiveBytes(r));
      stats_.gathered_bytes += shares.back().size();
    }
  }
  LOCKSTEP_RETURN_IF_ERROR(Agree(job_, sent));
  stats_.gather_seconds = SecondsSince(gather_start);
  if (rank > 0) return Status::Ok();

  const auto merge_start = Clock::now();
  std::vector<MergeSource> sources;
  sources.push_back({std::move(share), ""});
  for (size_t r = 0; r < shares.size(); ++r) {
    const std::string path = fmt::format("{}/rank{}.snapshot", temp.path, r + 1);
    {
      std::ofstream out(path, std::ios::binary);
      out.write(shares[r].data(), static_cast<std::streamsize>(shares[r].size()));
      if (!out) return Status::IoError(fmt::format("{}: cannot write rank {}'s share", path, r + 1));
    }
    shares[r] = std::vector<char>();
    auto loaded = LoadSnapshot(path);
    fs::remove(path);
    if (!loaded.ok()) return Status::Internal(fmt::format("rank {}'s share: {}", r + 1, loaded.status().message()));
    sources.push_back({std::move(loaded).value(), ""});
  }
  dataset_ = sources.size() == 1 ? std::move(sources.front().dataset) : MergeDatasets(std::move(sources));
  stats_.merge_seconds = SecondsSince(merge_start);
  // The report names the user's files, with every rank's events rows.
  for (FileStats& f : report_.files) {
    const fs::path p(f.path);
    f.path = (fs::path(options_.path) / p.filename()).string();
  }
  return Status::Ok();
}

}  // namespace lockstep
