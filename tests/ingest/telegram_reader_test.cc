#include "lockstep/ingest/telegram_reader.h"

#include <gtest/gtest.h>

#include "ingest/cassette.h"
#include "lockstep/ingest/load.h"

namespace lockstep {
namespace {

using testing_cassette::AccountById;
using testing_cassette::CountByType;
using testing_cassette::EventExtra;
using testing_cassette::EventRow;
using testing_cassette::WriteTemp;

// Fixtures written from the documented export shapes (docs/formats.md): a
// channel and a supergroup exported by Telegram Desktop, and Telethon
// messages of a third channel, one per line.
const std::string kDir = std::string(LOCKSTEP_SOURCE_DIR) + "/tests/data/ingest/telegram";

std::string Target(const Dataset& ds, size_t row) {
  const StringId t = ds.events.target_id[row];
  return t == kNoString ? "" : std::string(ds.objects.Get(t));
}

TEST(TelegramReader, DesktopExportsAndTelethonLinesLoadAsOneDataSet) {
  ErrorSink sink;
  LoadReport report;
  auto loaded = LoadDataset(kDir, "auto", {}, &sink, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(report.format, "telegram") << "both Desktop exports and the Telethon lines are recognised";
  ASSERT_EQ(report.files.size(), 3u);
  // Counted from the fixtures: the channel export has 5 messages (1 service
  // message without an event, posts 2 and 5, forward 3, reply 4); the group
  // 5 (a join by link, posts 11 and 14, reply 12, forward 13); the Telethon
  // file 6 lines (posts 100 and 105, forwards 101 and 104, reply 102, a join).
  EXPECT_EQ(report.rows_read(), 16u) << "a Desktop export counts its messages, not one record";
  EXPECT_EQ(report.rows_rejected(), 0u);
  const Dataset& ds = *loaded;
  const auto n = CountByType(ds);
  EXPECT_EQ(ds.events.size(), 15u);
  EXPECT_EQ(n[static_cast<size_t>(EventType::kPost)], 6u);
  EXPECT_EQ(n[static_cast<size_t>(EventType::kShare)], 4u) << "every forward is a share";
  EXPECT_EQ(n[static_cast<size_t>(EventType::kComment)], 3u) << "every reply is a comment";
  EXPECT_EQ(n[static_cast<size_t>(EventType::kJoin)], 2u) << "joins by invite link";
  EXPECT_EQ(ds.accounts.size(), 7u) << "2 channels that post, Ann, Bob, Cy and Telethon's users 201 and 202";

  const size_t post = EventRow(ds, "channel1500000001/2");
  ASSERT_NE(post, SIZE_MAX) << "event ids are <chat>/<message id>";
  EXPECT_EQ(FormatTime(ds.events.time[post]), "2024-06-01T07:05:00Z")
      << "date_unixtime, not the exporting computer's local `date`";
  EXPECT_EQ(ds.events.Text(post), "Polls open today #vote details: https://news.example/a") << "entities joined";
  ASSERT_EQ(ds.events.urls.Row(post).size(), 1u);
  EXPECT_EQ(ds.urls.Get(ds.events.urls.Row(post)[0]), "https://news.example/a");
  ASSERT_EQ(ds.events.hashtags.Row(post).size(), 1u);
  EXPECT_EQ(ds.hashtags.Get(ds.events.hashtags.Row(post)[0]), "vote") << "hashtags without '#'";
  EXPECT_EQ(AccountById(ds, "channel1500000001")->kind, AccountKind::kChannel);
  EXPECT_EQ(ds.String(AccountById(ds, "channel1500000001")->platform), "telegram");

  const size_t forward = EventRow(ds, "channel1500000001/3");
  ASSERT_NE(forward, SIZE_MAX);
  EXPECT_EQ(ds.events.type[forward], EventType::kShare);
  EXPECT_EQ(Target(ds, forward), "") << "Desktop names the original's channel, not its id: a share without target";
  EXPECT_EQ(ds.events.Text(forward), "Breaking: read this") << "the forwarded text is kept for content keys";
  EXPECT_EQ(EventExtra(ds, forward, "forwarded_from"), "Other Channel");
  EXPECT_EQ(ds.urls.Get(ds.events.urls.Row(forward)[0]), "https://other.example/x") << "a text link's href";

  const size_t reply = EventRow(ds, "channel1500000001/4");
  ASSERT_NE(reply, SIZE_MAX);
  EXPECT_EQ(Target(ds, reply), "channel1500000001/2") << "a reply targets the message it answers, in its chat";
  EXPECT_EQ(EventExtra(ds, reply, "reaction_count"), "7") << "5 + 2 reactions";

  const size_t mention = EventRow(ds, "channel1600000002/14");
  ASSERT_NE(mention, SIZE_MAX);
  ASSERT_EQ(ds.events.mentions.Row(mention).size(), 1u);
  EXPECT_EQ(ds.mentions.Get(ds.events.mentions.Row(mention)[0]), "user102") << "a mention_name is the user's id";
  EXPECT_EQ(ds.String(AccountById(ds, "user101")->display_name), "Ann") << "`from` is the sender's name";

  // Telethon: a forward names the original channel and post, so the share
  // targets the Desktop export's post; entity offsets are UTF-16 units.
  const size_t fwd = EventRow(ds, "channel1700000003/101");
  ASSERT_NE(fwd, SIZE_MAX);
  EXPECT_EQ(Target(ds, fwd), "channel1500000001/2") << "fwd_from.from_id + channel_post";
  EXPECT_EQ(ds.AccountId(ds.events.target_account[fwd]), "channel1500000001");
  const size_t hidden = EventRow(ds, "channel1700000003/104");
  EXPECT_EQ(Target(ds, hidden), "") << "a forward from a hidden user has no target id";
  EXPECT_EQ(ds.events.type[hidden], EventType::kShare);
  const size_t first = EventRow(ds, "channel1700000003/100");
  ASSERT_NE(first, SIZE_MAX);
  EXPECT_EQ(ds.AccountId(ds.events.account[first]), "channel1700000003") << "no from_id: the channel posted";
  ASSERT_EQ(ds.events.urls.Row(first).size(), 1u);
  EXPECT_EQ(ds.urls.Get(ds.events.urls.Row(first)[0]), "https://t.example/p") << "after an emoji of 2 UTF-16 units";
  ASSERT_EQ(ds.events.hashtags.Row(first).size(), 1u);
  EXPECT_EQ(ds.hashtags.Get(ds.events.hashtags.Row(first)[0]), "now");
  EXPECT_EQ(EventExtra(ds, first, "views"), "1200");
  EXPECT_EQ(Target(ds, EventRow(ds, "channel1700000003/102")), "channel1700000003/100") << "reply_to.reply_to_msg_id";
}

TEST(TelegramReader, DefectsNameTheMessageField) {
  const std::string bad =
      R"({"name":"C","type":"private_supergroup","id":9,"messages":[)"
      R"({"id":1,"type":"message","date_unixtime":"1717225200","from":"A","from_id":"user1","text":"ok","text_entities":[]},)"
      "\n"
      R"({"id":2,"type":"message","date_unixtime":"1717225260","from":"B","text":"who?","text_entities":[]}]})";
  ErrorSink fail;
  LoadReport report;
  auto ds = LoadTelegram({WriteTemp("tg_bad.json", bad)}, {}, &fail, &report);
  ASSERT_FALSE(ds.ok()) << "a group message without from_id cannot be attributed";
  ASSERT_NE(fail.first(), nullptr);
  EXPECT_EQ(fail.first()->field, "messages[1].from_id") << "the field's path inside the export";
  EXPECT_EQ(fail.first()->line, 2u) << "the line where the message starts";
  EXPECT_FALSE(fail.first()->fix.empty());

  ErrorSink skip(ErrorPolicy::kSkip);
  LoadReport r2;
  auto partial = LoadTelegram({WriteTemp("tg_bad2.json", bad)}, {}, &skip, &r2);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(r2.rows_read(), 2u);
  EXPECT_EQ(r2.rows_loaded(), 1u) << "the good message still loads";

  // Regression (found by fuzz_telegram): a message with neither text nor
  // text_entities read an element that was never set.
  ErrorSink bare_sink;
  LoadReport r4;
  auto bare = LoadTelegram(
      {WriteTemp("tg_notext.json",
                 R"({"name":"C","type":"public_channel","id":9,"messages":[{"id":1,"type":"message","date_unixtime":"1717225200","from":"C","from_id":"channel9"}]})")},
      {}, &bare_sink, &r4);
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_EQ(bare->events.size(), 1u) << "a message without text is a post without text";

  ErrorSink cut_sink(ErrorPolicy::kSkip);
  LoadReport r3;
  auto cut = LoadTelegram({WriteTemp("tg_cut.json", bad.substr(0, bad.size() - 10))}, {}, &cut_sink, &r3);
  ASSERT_NE(cut_sink.first(), nullptr) << "a cut-off export is reported, never a crash";
  EXPECT_EQ(r3.rows_read(), r3.rows_loaded() + r3.rows_rejected());
}

TEST(TelegramReader, TextAsAListWithoutEntitiesAndTheFullAccountExport) {
  // Before text_entities (Desktop 1.x), text was a list of strings and objects.
  const std::string old =
      R"({"name":"N","type":"public_channel","id":5,"messages":[{"id":7,"type":"message","date":"2020-05-01T10:00:00","from":"N","text":["see ",{"type":"link","text":"https://x.example/"}]}]})";
  ErrorSink sink;
  LoadReport report;
  auto ds = LoadTelegram({WriteTemp("tg_old.json", old)}, {}, &sink, &report);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  const size_t row = EventRow(*ds, "channel5/7");
  ASSERT_NE(row, SIZE_MAX);
  EXPECT_EQ(ds->events.Text(row), "see https://x.example/");
  EXPECT_EQ(ds->AccountId(ds->events.account[row]), "channel5") << "a channel post without from_id is the channel's";
  EXPECT_EQ(FormatTime(ds->events.time[row]), "2020-05-01T10:00:00Z") << "without date_unixtime, date is read as UTC";

  const std::string full =
      R"({"about":"x","chats":{"about":"y","list":[{"name":"G","type":"private_group","id":3,"messages":[{"id":1,"type":"message","date_unixtime":"1717225200","from":"A","from_id":"user1","text":"hi","text_entities":[{"type":"plain","text":"hi"}]}]}]}})";
  ErrorSink sink2;
  LoadReport r2;
  auto all = LoadTelegram({WriteTemp("tg_full.json", full)}, {}, &sink2, &r2);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_NE(EventRow(*all, "chat3/1"), SIZE_MAX) << "a basic group's messages are chat<id>/<message>";
}

}  // namespace
}  // namespace lockstep
