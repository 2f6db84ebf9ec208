#include "lockstep/ingest/telegram_reader.h"

#include "ingest/json_records.h"

namespace lockstep {

namespace {

using internal::Array;
using internal::EventFields;
using internal::element;
using internal::Field;
using internal::ParsedEvent;
using internal::RecordParser;
using internal::Text;

constexpr std::string_view kPlatform = "telegram";
constexpr std::string_view kTimeFix =
    "Telegram Desktop writes date_unixtime as epoch seconds (\"1670610339\"); Telethon writes date as ISO 8601 "
    "(2023-05-01T10:00:00+00:00)";

// The bytes of s from UTF-16 code unit `offset`, `length` units long (Telethon's
// entity offsets count UTF-16 units, as the MTProto API does); "" if out of range.
std::string_view Utf16Slice(std::string_view s, int64_t offset, int64_t length) {
  if (offset < 0 || length <= 0) return {};
  int64_t units = 0;
  size_t i = 0, begin = std::string_view::npos;
  while (i <= s.size()) {
    if (units == offset && begin == std::string_view::npos) begin = i;
    if (units == offset + length) return begin == std::string_view::npos ? std::string_view() : s.substr(begin, i - begin);
    if (i == s.size() || units > offset + length) break;
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return {};
}

std::string_view StripPrefix(std::string_view s, char c) { return !s.empty() && s.front() == c ? s.substr(1) : s; }

// The chat a Desktop export's messages belong to, from the export's header.
struct Chat {
  std::string peer;  // "channel123", "chat123", "user123"; "" if the file names no chat
  std::string name, type;
  bool channel = false;  // a broadcast channel: posts without from_id are the channel's
};

// Desktop's chat types: channels and supergroups are MTProto channels.
Chat ChatOf(element header, RecordParser& p) {
  Chat chat;
  chat.name = std::string(Text(header, "name"));
  chat.type = std::string(Text(header, "type"));
  const std::string_view id = p.Id(header, "id");
  if (id.empty()) return chat;
  const std::string_view t = chat.type;
  const bool is_channel = t == "public_channel" || t == "private_channel";
  const char* prefix = is_channel || t == "public_supergroup" || t == "private_supergroup" ? "channel"
                       : t == "personal_chat" || t == "bot_chat" || t == "saved_messages" ? "user"
                                                                                            : "chat";
  chat.peer = fmt::format("{}{}", prefix, id);
  chat.channel = is_channel;
  return chat;
}

class TelegramParser {
 public:
  TelegramParser(RecordParser& p, const Chat& chat) : p_(p), chat_(chat) {}

  // One record: a Desktop message, a Telethon message, or a whole Desktop
  // export (the full-account form {chats: {list: [...]}} is read this way).
  bool Parse(element doc);

 private:
  bool Desktop(element m, const Chat& chat, const std::string& at);
  bool Telethon(element m, const std::string& at);
  // A Telethon Peer ({"_": "PeerChannel", "channel_id": 1}) as "channel1"; "" if none.
  std::string_view Peer(element e, std::string_view key);
  std::string_view MessageId(std::string_view chat, std::string_view id) {
    return chat.empty() ? id : p_.Keep(fmt::format("{}/{}", chat, id));
  }

  RecordParser& p_;
  const Chat& chat_;
};

std::string_view TelegramParser::Peer(element e, std::string_view key) {
  element peer;
  if (!Field(e, key, &peer)) return {};
  for (std::string_view k : {"channel_id", "chat_id", "user_id"}) {
    const std::string_view id = p_.Id(peer, k);
    if (!id.empty()) return p_.Keep(fmt::format("{}{}", k.substr(0, k.size() - 3), id));
  }
  // A bare number: Telethon's from_id before 1.16 was the user id.
  const std::string_view id = p_.Id(e, key);
  return id.empty() ? id : p_.Keep(fmt::format("user{}", id));
}

bool TelegramParser::Desktop(element m, const Chat& chat, const std::string& at) {
  const std::string_view id = p_.Id(m, "id");
  if (id.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + "id", "the message has no id", "keep every message's id");
    return false;
  }
  int64_t time = p_.Time(m, "date_unixtime", at, false, kTimeFix);
  // `date` is the exporting computer's local time without an offset: read
  // (as UTC) only by exports older than date_unixtime (2021).
  if (time == kNoTime && p_.ok()) time = p_.Time(m, "date", at, true, kTimeFix);
  if (!p_.ok()) return false;
  const std::string_view type = Text(m, "type");
  if (type == "service") {
    if (Text(m, "action") != "join_group_by_link" || chat.peer.empty()) return true;  // pins, titles, calls: no event
    std::string_view actor = Text(m, "actor_id");
    if (actor.empty()) return true;
    ParsedEvent& pe = p_.AddEvent(MessageId(chat.peer, id), actor, EventType::kJoin, time);
    pe.event.target_account_id = chat.peer;
    p_.AddUser(actor, kPlatform, time).fields.display_name = Text(m, "actor");
    return true;
  }
  std::string_view author = p_.Id(m, "from_id");
  if (!author.empty() && author.find_first_not_of("0123456789") == std::string_view::npos)
    author = p_.Keep(fmt::format("user{}", author));  // very old exports wrote the bare user id
  if (author.empty() && chat.channel) author = chat.peer;
  if (author.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + "from_id", "the message names no sender",
            "export with Telegram Desktop 2.x or later, which writes from_id (\"user123\" or \"channel123\")");
    return false;
  }
  auto& user = p_.AddUser(author, kPlatform, time);
  user.fields.display_name = Text(m, "from");
  if (user.fields.display_name.empty() && author == chat.peer) user.fields.display_name = chat.name;
  if (author.substr(0, 7) == "channel") user.fields.kind = AccountKind::kChannel;
  ParsedEvent& pe = p_.AddEvent(MessageId(chat.peer, id), author, EventType::kPost, time);
  EventFields& e = pe.event;
  // Text: text_entities (a list of {type, text, href?}) or text (a string, or
  // a list of strings and such objects), joined.
  element parts;
  const bool entities = Field(m, "text_entities", &parts);
  const bool has_text = entities || Field(m, "text", &parts);  // else `parts` is no element at all
  if (has_text && !entities && parts.is_string()) {
    e.text = Text(m, "text");
  } else if (has_text && parts.is_array()) {
    std::string text;
    for (element part : Array(parts)) {
      std::string_view s;
      if (part.get_string().get(s) == simdjson::SUCCESS) {
        text.append(s);
        continue;
      }
      s = Text(part, "text");
      text.append(s);
      const std::string_view kind = Text(part, "type");
      if (kind == "link" || kind == "url") e.urls.push_back(s);
      else if (kind == "text_link") e.urls.push_back(Text(part, "href"));
      else if (kind == "hashtag") e.hashtags.push_back(StripPrefix(s, '#'));
      else if (kind == "mention") e.mentions.push_back(StripPrefix(s, '@'));
      else if (kind == "mention_name") {
        const std::string_view uid = p_.Id(part, "user_id");
        if (!uid.empty()) e.mentions.push_back(p_.Keep(fmt::format("user{}", uid)));
      }
    }
    e.text = p_.Keep(std::move(text));
  }
  e.extras = {{"chat", chat.peer}, {"media_type", Text(m, "media_type")}, {"via_bot", Text(m, "via_bot")},
              {"edited_unixtime", Text(m, "edited_unixtime")}};
  element v;
  if (!m.at_key("forwarded_from").error()) {  // present, even as null (a hidden original)
    e.type = EventType::kShare;
    e.target_account_id = Text(m, "forwarded_from_id");
    e.extras.emplace_back("forwarded_from", Text(m, "forwarded_from"));
  } else if (Field(m, "reply_to_message_id", &v)) {
    const std::string_view reply = p_.Id(m, "reply_to_message_id");
    std::string_view reply_chat = Text(m, "reply_to_peer_id");
    if (reply_chat.empty()) reply_chat = chat.peer;
    if (reply.empty()) {
      p_.Fail(InputErrorKind::kBadValue, at + "reply_to_message_id", "the reply's message id is not an integer",
              "keep reply_to_message_id as Telegram Desktop writes it (a number)");
      return false;
    }
    e.type = EventType::kComment;
    e.target_id = MessageId(reply_chat, reply);
  }
  if (Field(m, "reactions", &v)) {
    int64_t total = 0;
    size_t i = 0;
    for (element r : Array(v)) {
      const int64_t n = p_.Count(r, "count", fmt::format("{}reactions[{}].", at, i++));
      if (n > 0) total += n;
    }
    e.extras.emplace_back("reaction_count", p_.Keep(std::to_string(total)));
    e.extras.emplace_back("reactions", p_.Raw(m, "reactions"));
  }
  return p_.ok();
}

bool TelegramParser::Telethon(element m, const std::string& at) {
  const std::string_view kind = Text(m, "_");
  const std::string_view id = p_.Id(m, "id");
  const std::string_view chat = Peer(m, "peer_id");
  if (id.empty() || chat.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + (id.empty() ? "id" : "peer_id"), "the message has no id or peer_id",
            "dump whole messages (message.to_dict() or to_json())");
    return false;
  }
  const int64_t time = p_.Time(m, "date", at, true, kTimeFix);
  if (!p_.ok()) return false;
  std::string_view author = Peer(m, "from_id");
  if (author.empty()) author = chat;  // a channel post: the channel speaks
  if (kind == "MessageService") {
    element action;
    if (Field(m, "action", &action) && Text(action, "_") == "MessageActionChatJoinedByLink") {
      ParsedEvent& pe = p_.AddEvent(MessageId(chat, id), author, EventType::kJoin, time);
      pe.event.target_account_id = chat;
    }
    return true;
  }
  auto& user = p_.AddUser(author, kPlatform, time);
  if (author.substr(0, 7) == "channel") user.fields.kind = AccountKind::kChannel;
  ParsedEvent& pe = p_.AddEvent(MessageId(chat, id), author, EventType::kPost, time);
  EventFields& e = pe.event;
  e.text = Text(m, "message");
  element v;
  if (Field(m, "entities", &v)) {
    size_t i = 0;
    for (element ent : Array(v)) {
      const std::string ent_at = fmt::format("{}entities[{}].", at, i++);
      const int64_t off = p_.Count(ent, "offset", ent_at), len = p_.Count(ent, "length", ent_at);
      const std::string_view s = Utf16Slice(e.text, off, len);
      const std::string_view type = Text(ent, "_");
      if (type == "MessageEntityUrl") e.urls.push_back(s);
      else if (type == "MessageEntityTextUrl") e.urls.push_back(Text(ent, "url"));
      else if (type == "MessageEntityHashtag") e.hashtags.push_back(StripPrefix(s, '#'));
      else if (type == "MessageEntityMention") e.mentions.push_back(StripPrefix(s, '@'));
      else if (type == "MessageEntityMentionName") {
        const std::string_view uid = p_.Id(ent, "user_id");
        if (!uid.empty()) e.mentions.push_back(p_.Keep(fmt::format("user{}", uid)));
      }
    }
    std::erase_if(e.urls, [](std::string_view u) { return u.empty(); });
    std::erase_if(e.hashtags, [](std::string_view u) { return u.empty(); });
    std::erase_if(e.mentions, [](std::string_view u) { return u.empty(); });
  }
  e.extras = {{"chat", chat}, {"post_author", Text(m, "post_author")}};
  for (std::string_view key : {"views", "forwards"})
    if (p_.Count(m, key, at) >= 0) e.extras.emplace_back(key, p_.Raw(m, key));
  element fwd, reply;
  if (Field(m, "fwd_from", &fwd)) {
    e.type = EventType::kShare;
    e.target_account_id = Peer(fwd, "from_id");
    const std::string_view post = p_.Id(fwd, "channel_post");
    if (!post.empty() && !e.target_account_id.empty()) e.target_id = MessageId(e.target_account_id, post);
    e.extras.emplace_back("fwd_from_name", Text(fwd, "from_name"));
  } else if (Field(m, "reply_to", &reply)) {
    const std::string_view to = p_.Id(reply, "reply_to_msg_id");
    if (!to.empty()) {
      std::string_view to_chat = Peer(reply, "reply_to_peer_id");
      if (to_chat.empty()) to_chat = chat;
      e.type = EventType::kComment;
      e.target_id = MessageId(to_chat, to);
    }
  }
  element reactions;
  if (Field(m, "reactions", &reactions) && Field(reactions, "results", &reactions)) {
    int64_t total = 0;
    size_t i = 0;
    for (element r : Array(reactions)) {
      const int64_t n = p_.Count(r, "count", fmt::format("{}reactions.results[{}].", at, i++));
      if (n > 0) total += n;
    }
    e.extras.emplace_back("reaction_count", p_.Keep(std::to_string(total)));
  }
  return p_.ok();
}

bool TelegramParser::Parse(element doc) {
  element probe;
  if (Field(doc, "peer_id", &probe) || !Text(doc, "_").empty()) return Telethon(doc, "");
  element chats;
  if (Field(doc, "chats", &chats) && Field(chats, "list", &chats)) {  // the full-account export, read whole
    size_t c = 0;
    for (element chat_doc : Array(chats)) {
      const Chat chat = ChatOf(chat_doc, p_);
      element messages;
      const std::string chat_at = fmt::format("chats.list[{}].", c++);
      if (!Field(chat_doc, "messages", &messages)) continue;
      size_t i = 0;
      for (element m : Array(messages))
        if (!Desktop(m, chat, fmt::format("{}messages[{}].", chat_at, i++))) return false;
    }
    return true;
  }
  element messages;
  if (Field(doc, "messages", &messages)) {  // a single-chat export that was not cut (it has no messages array)
    const Chat chat = ChatOf(doc, p_);
    size_t i = 0;
    for (element m : Array(messages))
      if (!Desktop(m, chat, fmt::format("messages[{}].", i++))) return false;
    return true;
  }
  if (Field(doc, "date_unixtime", &messages) || Field(doc, "from_id", &messages) || Field(doc, "date", &messages))
    return Desktop(doc, chat_, "");
  if (p_.context().empty() && Field(doc, "type", &messages) && Field(doc, "id", &messages))
    return true;  // an export's header with an empty message list
  return false;
}

}  // namespace

bool IsTelegramJson(std::string_view prefix) {
  using internal::HasJsonKey;
  if (HasJsonKey(prefix, "date_unixtime") || HasJsonKey(prefix, "text_entities")) return true;
  return HasJsonKey(prefix, "peer_id") &&
         (prefix.find("\"PeerChannel\"") != std::string_view::npos || prefix.find("\"PeerUser\"") != std::string_view::npos ||
          prefix.find("\"PeerChat\"") != std::string_view::npos);
}

Result<Dataset> LoadTelegram(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                             LoadReport* report) {
  // The chat of the messages being read: the header of a Desktop export,
  // parsed again only when it changes (a new file).
  std::string context;
  Chat chat;
  simdjson::dom::parser header_parser;
  return internal::LoadJsonRecords(
      files, options, sink, report,
      {"telegram", kPlatform, "Telegram messages (a Telegram Desktop export's result.json, or Telethon messages)",
       "messages"},
      [&](element doc, RecordParser& p) {
        if (p.context() != context) {
          context = std::string(p.context());
          chat = Chat();
          element header;
          if (!context.empty() && !header_parser.parse(context).get(header)) chat = ChatOf(header, p);
        }
        return TelegramParser(p, chat).Parse(doc);
      });
}

}  // namespace lockstep
