// Reader benchmarks: parse speed in MB/s (decompressed input bytes) and
// events/s of every reader of other formats, on the real files of
// ../shared/data (skipped when absent) and on a generated IO-archive-like
// tweets file of 200,000 rows, large enough to measure steady state; the
// Telegram, TikTok and Meta Content Library readers on generated files of
// 200,000 events shaped as their documentation describes.
//
//   build/bench/lockstep_bench --benchmark_filter=Reader
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "lockstep/ingest/load.h"
#include "lockstep/model/time.h"

namespace lockstep {
namespace {

const std::string kShared = LOCKSTEP_SHARED_DATA;

// A seeded tweets file shaped like an IO-archive release: 31 quoted columns,
// hashed user ids, Python-style lists, 'absent' coordinates, some retweets,
// replies and quotes. Written once per process.
const std::string& GeneratedIoArchive() {
  static const std::string path = [] {
    const auto dir = std::filesystem::temp_directory_path() / "lockstep_readers_bench";
    std::filesystem::create_directories(dir);
    const std::string p = (dir / "io_archive_tweets.csv").string();
    if (std::filesystem::exists(p)) return p;
    std::mt19937_64 rng(20261122);
    std::ofstream out(p);
    out << "\"tweetid\",\"userid\",\"user_display_name\",\"user_screen_name\",\"user_reported_location\","
           "\"user_profile_description\",\"user_profile_url\",\"follower_count\",\"following_count\","
           "\"account_creation_date\",\"account_language\",\"tweet_language\",\"tweet_text\",\"tweet_time\","
           "\"tweet_client_name\",\"in_reply_to_userid\",\"in_reply_to_tweetid\",\"quoted_tweet_tweetid\","
           "\"is_retweet\",\"retweet_userid\",\"retweet_tweetid\",\"latitude\",\"longitude\",\"quote_count\","
           "\"reply_count\",\"like_count\",\"retweet_count\",\"hashtags\",\"urls\",\"user_mentions\",\"poll_choices\"\n";
    const int kUsers = 5000, kTweets = 200000;
    static const char* kClients[] = {"Twitter Web Client", "Twitter for Android", "Twitter for iPhone", "TweetDeck"};
    for (int i = 0; i < kTweets; ++i) {
      const int user = static_cast<int>(rng() % kUsers);
      const int kind = static_cast<int>(rng() % 10);  // 0-2 retweet, 3 reply, 4 quote, else post
      const std::string uid = fmt::format("{:016x}{:016x}=", user * 7919ULL, user * 104729ULL);
      out << fmt::format(
          "\"{}\",\"{}\",\"Name {}\",\"handle{}\",\"City {}\",\"Bio of user {}, with a comma and #tags\",\"\",\"{}\","
          "\"{}\",\"2016-{:02}-{:02}\",\"en\",\"en\",\"Tweet number {} says \"\"something\"\" about #topic{} "
          "https://t.co/{:x}\",\"2017-{:02}-{:02} {:02}:{:02}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\","
          "\"absent\",\"absent\",\"0\",\"{}\",\"{}\",\"{}\",\"['topic{}', 'news']\",\"['https://news{}.example/a/{}']\","
          "\"[{}]\",\"\"\n",
          1000000000000000000ULL + i, uid, user, user, user % 50, user, rng() % 100000, rng() % 5000, 1 + user % 12,
          1 + user % 28, i, rng() % 300, rng(), 1 + i % 12, 1 + i % 28, i % 24, i % 60, kClients[i % 4],
          kind == 3 ? "123" : "", kind == 3 ? "999" : "", kind == 4 ? "888" : "", kind < 3 ? "true" : "false",
          kind < 3 ? "456" : "", kind < 3 ? fmt::format("{}", rng() % 50000) : "", rng() % 5, rng() % 50,
          rng() % 20, rng() % 300, rng() % 500, rng() % 100000, rng() % 1000000);
    }
    return p;
  }();
  return path;
}

void RunReader(benchmark::State& state, const std::string& path, const std::string& format) {
  if (!std::filesystem::exists(path)) {
    state.SkipWithError(("absent: " + path + " (../shared/data is not in a fresh clone)").c_str());
    return;
  }
  uint64_t bytes = 0, events = 0;
  for (auto _ : state) {
    ErrorSink sink(ErrorPolicy::kSkip);
    LoadReport report;
    auto ds = LoadDataset(path, format, {}, &sink, &report);
    if (!ds.ok()) {
      state.SkipWithError(ds.status().message().c_str());
      return;
    }
    bytes += report.bytes;
    events += ds->events.size();
    benchmark::DoNotOptimize(ds->events.time.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_Reader_TwitterIo_Sample(benchmark::State& state) {
  RunReader(state, kShared + "/twitter_io_sample/io_archive_russia_2019_first1000lines.csv", "twitter_io");
}
void BM_Reader_TwitterIo_Generated200k(benchmark::State& state) { RunReader(state, GeneratedIoArchive(), "twitter_io"); }
void BM_Reader_CrowdTangle(benchmark::State& state) {
  RunReader(state, kShared + "/crowdtangle_sample/ct_shares.csv", "crowdtangle");
}
void BM_Reader_CoorTweet_Russian(benchmark::State& state) {
  RunReader(state, kShared + "/coortweet/russian_coord_tweets.csv", "coortweet");
}
void BM_Reader_CoorTweet_German(benchmark::State& state) {
  RunReader(state, kShared + "/coortweet/german_elections.csv", "coortweet");
}

// Twitter JSON: a generated v1.1 file (one tweet per line, 100,000 lines),
// since ../shared/data holds no Twitter JSON.
const std::string& GeneratedTwitterJson() {
  static const std::string path = [] {
    const auto dir = std::filesystem::temp_directory_path() / "lockstep_readers_bench";
    std::filesystem::create_directories(dir);
    const std::string p = (dir / "tweets_v1.jsonl").string();
    if (std::filesystem::exists(p)) return p;
    std::mt19937_64 rng(7);
    std::ofstream out(p);
    for (int i = 0; i < 100000; ++i) {
      const int user = static_cast<int>(rng() % 5000);
      const bool rt = rng() % 3 == 0;
      out << fmt::format(
          R"({{"created_at":"Wed Oct {:02} {:02}:{:02}:{:02} +0000 2018","id_str":"{}","text":"tweet {} about #topic{} https://t.co/x","source":"<a href=\"http://twitter.com\" rel=\"nofollow\">Twitter Web App</a>","user":{{"id_str":"{}","screen_name":"user{}","name":"User {}","location":"Somewhere","description":"bio","followers_count":{},"friends_count":{},"created_at":"Mon Jan 05 10:00:00 +0000 2015","profile_image_url_https":"https://pbs.twimg.com/{}.jpg","lang":null,"verified":false}},"entities":{{"hashtags":[{{"text":"topic{}","indices":[0,5]}}],"urls":[{{"url":"https://t.co/x","expanded_url":"https://news{}.example/{}"}}],"user_mentions":[]}},{}"retweet_count":{},"favorite_count":{},"lang":"en"}})",
          1 + i % 28, i % 24, i % 60, i % 60, 1050000000000000000ULL + i, i, rng() % 300, user, user, user,
          rng() % 10000, rng() % 2000, user, rng() % 300, rng() % 500, rng() % 100000,
          rt ? fmt::format(R"("retweeted_status":{{"id_str":"{}","user":{{"id_str":"{}","screen_name":"o"}}}},)",
                           rng() % 1000000, rng() % 5000)
             : std::string(),
          rng() % 50, rng() % 50)
          << "\n";
    }
    return p;
  }();
  return path;
}
void BM_Reader_TwitterJson_Generated100k(benchmark::State& state) {
  RunReader(state, GeneratedTwitterJson(), "twitter_json");
}

// --map over the generated IO archive: the generic path on the same bytes.
void BM_Reader_Mapped_Generated200k(benchmark::State& state) {
  const std::string& path = GeneratedIoArchive();
  uint64_t bytes = 0;
  for (auto _ : state) {
    ErrorSink sink(ErrorPolicy::kSkip);
    LoadReport report;
    LoadOptions options;
    options.column_map = {{"event_id", "tweetid"}, {"account_id", "userid"}, {"time", "tweet_time"},
                          {"text", "tweet_text"}, {"hashtags", "hashtags"}, {"urls", "urls"}};
    auto ds = LoadDataset(path, "map", options, &sink, &report);
    if (!ds.ok()) {
      state.SkipWithError(ds.status().message().c_str());
      return;
    }
    bytes += report.bytes;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsRate);
}

// Telegram, TikTok and the Meta Content Library have no public samples:
// generated files shaped as their documentation describes (docs/formats.md),
// seeded, written once per process.
std::string BenchPath(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "lockstep_readers_bench";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

// A Telegram Desktop supergroup export (result.json, indent 1 as Desktop
// writes it) of 200,000 messages by 5,000 users: a fifth forwards, a fifth
// replies, text as entities with hashtags and links, some reactions.
const std::string& GeneratedTelegramExport() {
  static const std::string path = [] {
    const std::string p = BenchPath("telegram_result.json");
    if (std::filesystem::exists(p)) return p;
    std::mt19937_64 rng(18001);
    std::ofstream out(p);
    out << "{\n \"name\": \"Bench group\",\n \"type\": \"public_supergroup\",\n \"id\": 1500000001,\n \"messages\": [\n";
    for (int i = 1; i <= 200000; ++i) {
      const int user = static_cast<int>(rng() % 5000);
      const int kind = static_cast<int>(rng() % 5);  // 0 forward, 1 reply, else post
      const int64_t t = 1717225200 + i * 7;
      out << fmt::format(
          "  {{\n   \"id\": {},\n   \"type\": \"message\",\n   \"date\": \"2024-06-01T09:00:00\",\n   \"date_unixtime\": "
          "\"{}\",\n   \"from\": \"User {}\",\n   \"from_id\": \"user{}\",\n{}   \"text\": [\n    \"Message {} about \",\n"
          "    {{\n     \"type\": \"hashtag\",\n     \"text\": \"#topic{}\"\n    }},\n    \" see \",\n    {{\n     \"type\": "
          "\"link\",\n     \"text\": \"https://news{}.example/a/{}\"\n    }}\n   ],\n   \"text_entities\": [\n    {{\n     "
          "\"type\": \"plain\",\n     \"text\": \"Message {} about \"\n    }},\n    {{\n     \"type\": \"hashtag\",\n     "
          "\"text\": \"#topic{}\"\n    }},\n    {{\n     \"type\": \"plain\",\n     \"text\": \" see \"\n    }},\n    {{\n     "
          "\"type\": \"link\",\n     \"text\": \"https://news{}.example/a/{}\"\n    }}\n   ]{}\n  }}{}\n",
          i, t, user, 100000 + user,
          kind == 0   ? fmt::format("   \"forwarded_from\": \"Channel {}\",\n", rng() % 300)
          : kind == 1 ? fmt::format("   \"reply_to_message_id\": {},\n", 1 + rng() % i)
                      : std::string(),
          i, rng() % 300, rng() % 500, rng() % 100000, i, rng() % 300, rng() % 500, rng() % 100000,
          rng() % 4 == 0 ? fmt::format(",\n   \"reactions\": [\n    {{\n     \"type\": \"emoji\",\n     \"count\": {},\n     "
                                       "\"emoji\": \"\xf0\x9f\x91\x8d\"\n    }}\n   ]",
                                       1 + rng() % 50)
                         : std::string(),
          i == 200000 ? "" : ",");
    }
    out << " ]\n}\n";
    return p;
  }();
  return path;
}

// TikTok video query results: 2,000 pages of 100 videos, one response per
// line, by 5,000 creators.
const std::string& GeneratedTikTokVideos() {
  static const std::string path = [] {
    const std::string p = BenchPath("tiktok_videos.jsonl");
    if (std::filesystem::exists(p)) return p;
    std::mt19937_64 rng(18002);
    std::ofstream out(p);
    for (int page = 0; page < 2000; ++page) {
      out << R"({"data":{"videos":[)";
      for (int j = 0; j < 100; ++j) {
        const int i = page * 100 + j;
        out << fmt::format(
            R"({}{{"id":{},"username":"creator{}","create_time":{},"region_code":"US","video_description":"Video {} says something about #topic{} and #news","music_id":{},"like_count":{},"comment_count":{},"share_count":{},"view_count":{},"hashtag_names":["topic{}","news"],"video_duration":{},"favorites_count":{}}})",
            j == 0 ? "" : ",", 7350000000000000000ULL + i, rng() % 5000, 1717225200 + i * 3, i, rng() % 300,
            7000000000000000000ULL + rng() % 100000, rng() % 100000, rng() % 1000, rng() % 500, rng() % 1000000,
            rng() % 300, 5 + rng() % 120, rng() % 100);
      }
      out << fmt::format(R"(],"cursor":{},"has_more":true,"search_id":"7351234567890123456"}},"error":{{"code":"ok","message":"","log_id":"2024060100000{}"}}}})",
                         (page + 1) * 100, page)
          << "\n";
    }
    return p;
  }();
  return path;
}

// Meta Content Library posts: 200,000 Facebook posts by 5,000 Pages and
// profiles (a third shares), as JSON Lines and as the same rows in CSV.
const std::string& GeneratedContentLibrary(bool csv) {
  static const std::string json_path = BenchPath("mcl_posts.jsonl"), csv_path = BenchPath("mcl_posts.csv");
  static const bool written = [] {
    if (std::filesystem::exists(json_path) && std::filesystem::exists(csv_path)) return true;
    std::mt19937_64 rng(18003);
    std::ofstream json(json_path), table(csv_path);
    table << "id,creation_time,text,lang,post_owner.id,post_owner.name,post_owner.type,surface.id,surface.name,"
             "surface.type,shared_post_id,link_attachment.link,statistics.reaction_count,statistics.comment_count,"
             "statistics.share_count,statistics.views\n";
    for (int i = 0; i < 200000; ++i) {
      const int owner = static_cast<int>(rng() % 5000);
      const bool page = owner % 3 == 0, share = rng() % 3 == 0;
      const std::string shared = share ? fmt::format("{}", 1000000000000000ULL + rng() % 50000) : "";
      const std::string link = fmt::format("https://news{}.example/a/{}", rng() % 500, rng() % 100000);
      const uint64_t group = 300000 + rng() % 200;
      const auto reactions = rng() % 1000, comments = rng() % 100, shares = rng() % 50, views = rng() % 100000;
      const std::string text = fmt::format("Post {} about topic {}, with a comma and a link", i, rng() % 300);
      const int64_t t = 1717225200 + i * 5;
      json << fmt::format(
          R"({{"id":"{}","creation_time":"{}","text":"{}","lang":"en","post_owner":{{"id":"{}","name":"Owner {}","type":"{}"}},"surface":{{"id":"{}","name":"Group {}","type":"group"}},"shared_post_id":{},"link_attachment":{{"link":"{}"}},"statistics":{{"reaction_count":{},"comment_count":{},"share_count":{},"views":{}}},"is_branded_content":false,"multimedia":[]}})",
          2000000000000000ULL + i, FormatTime(t), text, 100000 + owner, owner, page ? "page" : "profile", group, group,
          share ? "\"" + shared + "\"" : "null", link, reactions, comments, shares, views)
           << "\n";
      table << fmt::format("{},{},\"{}\",en,{},Owner {},{},{},Group {},group,{},{},{},{},{},{}\n", 2000000000000000ULL + i,
                           FormatTime(t), text, 100000 + owner, owner, page ? "page" : "profile", group, group, shared,
                           link, reactions, comments, shares, views);
    }
    return true;
  }();
  (void)written;
  return csv ? csv_path : json_path;
}

// Bluesky Jetstream: 200,000 v1 commit lines by 5,000 DIDs: half posts
// (text, a link and a tag facet), a fifth reposts, a quarter likes, the
// rest follows.
const std::string& GeneratedJetstream() {
  static const std::string path = [] {
    const std::string p = BenchPath("bluesky_jetstream.jsonl");
    if (std::filesystem::exists(p)) return p;
    std::mt19937_64 rng(18003);
    std::ofstream out(p);
    for (int i = 0; i < 200000; ++i) {
      const int64_t t = 1717225200 + i * 3;
      const std::string did = fmt::format("did:plc:user{}", rng() % 5000);
      const std::string subject = fmt::format("at://did:plc:user{}/app.bsky.feed.post/p{}", rng() % 5000, rng() % 200000);
      const int kind = static_cast<int>(rng() % 20);  // 0-9 post, 10-13 repost, 14-18 like, 19 follow
      std::string collection, record;
      if (kind < 10) {
        const uint64_t topic = rng() % 300;
        collection = "app.bsky.feed.post";
        record = fmt::format(
            R"({{"$type":"app.bsky.feed.post","createdAt":"{}","langs":["en"],"text":"Post {} about #topic{} see https://news{}.example/a/{}",)"
            R"("facets":[{{"features":[{{"$type":"app.bsky.richtext.facet#tag","tag":"topic{}"}}]}},)"
            R"({{"features":[{{"$type":"app.bsky.richtext.facet#link","uri":"https://news{}.example/a/{}"}}]}}]}})",
            FormatTime(t), i, topic, rng() % 500, i, topic, rng() % 500, i);
      } else if (kind < 19) {
        collection = kind < 14 ? "app.bsky.feed.repost" : "app.bsky.feed.like";
        record = fmt::format(R"({{"$type":"{}","createdAt":"{}","subject":{{"uri":"{}","cid":"bafyrei{}"}}}})", collection,
                             FormatTime(t), subject, i);
      } else {
        collection = "app.bsky.graph.follow";
        record = fmt::format(R"({{"$type":"{}","createdAt":"{}","subject":"did:plc:user{}"}})", collection,
                             FormatTime(t), rng() % 5000);
      }
      out << fmt::format(
          R"({{"did":"{}","time_us":{}000000,"kind":"commit","commit":{{"rev":"3l3{}","operation":"create","collection":"{}","rkey":"p{}","record":{},"cid":"bafyrei{}"}}}})",
          did, t, i, collection, i, record, i)
          << "\n";
    }
    return p;
  }();
  return path;
}

// Mastodon statuses as the REST API returns them, one per line: 200,000 by
// 5,000 accounts, a fifth boosts (the original in `reblog`), a fifth
// replies, HTML content with a link and a hashtag.
const std::string& GeneratedMastodonStatuses() {
  static const std::string path = [] {
    const std::string p = BenchPath("mastodon_statuses.jsonl");
    if (std::filesystem::exists(p)) return p;
    std::mt19937_64 rng(18004);
    std::ofstream out(p);
    auto status = [&](int64_t id, uint64_t account, int64_t t, const std::string& extra) {
      const uint64_t topic = rng() % 300;
      return fmt::format(
          R"({{"id":"{0}","created_at":"{1}","in_reply_to_id":null,"in_reply_to_account_id":null,"sensitive":false,)"
          R"("spoiler_text":"","visibility":"public","language":"en","uri":"https://social.example/users/u{2}/statuses/{0}",)"
          R"("url":"https://social.example/@u{2}/{0}","replies_count":0,"reblogs_count":0,"favourites_count":{3},)"
          R"("content":"<p>Status {0} about <a href=\"https://social.example/tags/topic{4}\" class=\"mention hashtag\" rel=\"tag\">#<span>topic{4}</span></a> )"
          R"(see <a href=\"https://news{5}.example/a/{0}\" rel=\"nofollow noopener\">news{5}.example/a/{0}</a></p>",)"
          R"("account":{{"id":"{2}","username":"u{2}","acct":"u{2}","display_name":"User {2}","created_at":"2022-01-01T00:00:00.000Z",)"
          R"("followers_count":{3},"following_count":10,"statuses_count":100}},"media_attachments":[],"mentions":[],)"
          R"("tags":[{{"name":"topic{4}","url":"https://social.example/tags/topic{4}"}}],"emojis":[],"card":null,"poll":null{6}}})",
          id, FormatTime(t), 100000 + account, rng() % 1000, topic, rng() % 500, extra);
    };
    for (int i = 0; i < 200000; ++i) {
      const int64_t id = 112000000000000000 + i, t = 1717225200 + i * 3;
      const int kind = static_cast<int>(rng() % 5);  // 0 boost, 1 reply, else post
      std::string extra = R"(,"reblog":null)";
      if (kind == 0) {
        const int64_t original = 112000000000000000 + static_cast<int64_t>(rng() % static_cast<uint64_t>(i + 1));
        extra = ",\"reblog\":" + status(original, rng() % 5000, t - 600, R"(,"reblog":null)");
      }
      std::string line = status(id, rng() % 5000, t, extra);
      if (kind == 1) {
        const std::string reply = fmt::format(R"("in_reply_to_id":"{}","in_reply_to_account_id":"{}")",
                                              112000000000000000 + rng() % static_cast<uint64_t>(i + 1),
                                              100000 + rng() % 5000);
        line.replace(line.find(R"("in_reply_to_id":null,"in_reply_to_account_id":null)"),
                     std::string_view(R"("in_reply_to_id":null,"in_reply_to_account_id":null)").size(), reply);
      }
      out << line << "\n";
    }
    return p;
  }();
  return path;
}

// YouTube commentThreads.list responses: 2,000 pages of 100 threads on
// 2,000 videos of 200 channels, by 20,000 commenters, one response per line.
const std::string& GeneratedYouTubeThreads() {
  static const std::string path = [] {
    const std::string p = BenchPath("youtube_comment_threads.jsonl");
    if (std::filesystem::exists(p)) return p;
    std::mt19937_64 rng(18005);
    std::ofstream out(p);
    for (int page = 0; page < 2000; ++page) {
      out << R"({"kind":"youtube#commentThreadListResponse","etag":"e","nextPageToken":"t)" << page
          << R"(","pageInfo":{"totalResults":100,"resultsPerPage":100},"items":[)";
      const std::string video = fmt::format("vid{:08d}", page);
      const std::string channel = fmt::format("UCchannel{:06d}", page % 200);
      for (int j = 0; j < 100; ++j) {
        const int i = page * 100 + j;
        const uint64_t author = rng() % 20000;
        const std::string when = FormatTime(1717225200 + i * 3);
        out << fmt::format(
            R"({}{{"kind":"youtube#commentThread","etag":"e","id":"Ugx{:010d}","snippet":{{"channelId":"{}","videoId":"{}",)"
            R"("topLevelComment":{{"kind":"youtube#comment","etag":"e","id":"Ugx{:010d}","snippet":{{"channelId":"{}","videoId":"{}",)"
            R"("textDisplay":"Comment {} on #topic{} https://news{}.example/a/{}","textOriginal":"Comment {} on #topic{} https://news{}.example/a/{}",)"
            R"("authorDisplayName":"@user{}","authorProfileImageUrl":"https://yt3.ggpht.com/a/x","authorChannelUrl":"http://www.youtube.com/channel/UCuser{:08d}",)"
            R"("authorChannelId":{{"value":"UCuser{:08d}"}},"canRate":true,"viewerRating":"none","likeCount":{},"publishedAt":"{}","updatedAt":"{}"}}}},)"
            R"("canReply":true,"totalReplyCount":0,"isPublic":true}}}})",
            j == 0 ? "" : ",", i, channel, video, i, channel, video, i, rng() % 300, rng() % 500, i, i, rng() % 300,
            rng() % 500, i, author, author, author, rng() % 100, when, when);
      }
      out << "]}\n";
    }
    return p;
  }();
  return path;
}

void BM_Reader_Bluesky_Jetstream_Generated200k(benchmark::State& state) {
  RunReader(state, GeneratedJetstream(), "bluesky");
}
void BM_Reader_Mastodon_Generated200k(benchmark::State& state) {
  RunReader(state, GeneratedMastodonStatuses(), "mastodon");
}
void BM_Reader_YouTube_CommentThreads_Generated200k(benchmark::State& state) {
  RunReader(state, GeneratedYouTubeThreads(), "youtube");
}
// The IRA dev half (591,509 tweets, zstd), real data.
void BM_Reader_Ira_DevHalf(benchmark::State& state) { RunReader(state, kShared + "/ira_dev", "ira"); }

void BM_Reader_Telegram_Generated200k(benchmark::State& state) {
  RunReader(state, GeneratedTelegramExport(), "telegram");
}
void BM_Reader_TikTok_Generated200k(benchmark::State& state) { RunReader(state, GeneratedTikTokVideos(), "tiktok"); }
void BM_Reader_MetaContentLibraryJson_Generated200k(benchmark::State& state) {
  RunReader(state, GeneratedContentLibrary(false), "meta_content_library");
}
void BM_Reader_MetaContentLibraryCsv_Generated200k(benchmark::State& state) {
  RunReader(state, GeneratedContentLibrary(true), "meta_content_library");
}

BENCHMARK(BM_Reader_TwitterIo_Sample)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(BM_Reader_TwitterIo_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_TwitterJson_Generated100k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_CrowdTangle)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(BM_Reader_CoorTweet_Russian)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_Reader_CoorTweet_German)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_Reader_Mapped_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_Telegram_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_TikTok_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_MetaContentLibraryJson_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_MetaContentLibraryCsv_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_Bluesky_Jetstream_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_Mastodon_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_YouTube_CommentThreads_Generated200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Reader_Ira_DevHalf)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace lockstep
