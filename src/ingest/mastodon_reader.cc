#include "lockstep/ingest/mastodon_reader.h"

#include <algorithm>

#include "ingest/json_records.h"

namespace lockstep {

namespace {

using internal::AccountFields;
using internal::Array;
using internal::EventFields;
using internal::element;
using internal::Field;
using internal::ParsedEvent;
using internal::RecordParser;
using internal::Text;

constexpr std::string_view kPlatform = "mastodon";
constexpr std::string_view kTimeFix = "Mastodon writes created_at as ISO 8601, e.g. 2025-06-24T17:35:19.898Z";

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
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

// The value of attribute `name` in a tag's text (`a href="x" class="y"`); "" if absent.
std::string_view Attribute(std::string_view tag, std::string_view name) {
  for (size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    if (at == 0 || (tag[at - 1] != ' ' && tag[at - 1] != '\t' && tag[at - 1] != '\n')) continue;
    size_t p = at + name.size();
    if (p + 1 >= tag.size() || tag[p] != '=' || (tag[p + 1] != '"' && tag[p + 1] != '\'')) continue;
    const char quote = tag[p + 1];
    const size_t end = tag.find(quote, p + 2);
    if (end == std::string_view::npos) return {};
    return tag.substr(p + 2, end - p - 2);
  }
  return {};
}

// Mastodon's status HTML as plain text: tags dropped, <br> and paragraph
// breaks as newlines, character references decoded. Appends the href of
// every link that is not a mention or hashtag to *links (views into html).
std::string HtmlToText(std::string_view html, std::vector<std::string_view>* links) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const size_t end = html.find('>', i);
      if (end == std::string_view::npos) {
        out.append(html.substr(i));
        break;
      }
      const std::string_view tag = html.substr(i + 1, end - i - 1);
      if (tag == "br" || tag == "br/" || tag == "br /") {
        out.push_back('\n');
      } else if (tag == "p" && !out.empty()) {
        out.append("\n\n");
      } else if (tag.substr(0, 2) == "a " && links != nullptr) {
        const std::string_view cls = Attribute(tag, "class");
        const std::string_view href = Attribute(tag, "href");
        if (!href.empty() && cls.find("mention") == std::string_view::npos &&
            cls.find("hashtag") == std::string_view::npos)
          links->push_back(href);
      }
      i = end + 1;
      continue;
    }
    if (c == '&') {
      const size_t semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        const std::string_view name = html.substr(i + 1, semi - i - 1);
        uint32_t cp = 0;
        if (name == "amp") cp = '&';
        else if (name == "lt") cp = '<';
        else if (name == "gt") cp = '>';
        else if (name == "quot") cp = '"';
        else if (name == "apos") cp = '\'';
        else if (name == "nbsp") cp = 0xA0;
        else if (name.size() > 1 && name[0] == '#') {
          const bool hex = name[1] == 'x' || name[1] == 'X';
          for (char d : name.substr(hex ? 2 : 1)) {
            const int v = d >= '0' && d <= '9'   ? d - '0'
                          : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                          : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10
                                                        : -1;
            if (v < 0 || cp > 0x10FFFF) {
              cp = 0;
              break;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
          }
        }
        if (cp != 0) {
          AppendUtf8(cp, &out);
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

class MastodonParser {
 public:
  explicit MastodonParser(RecordParser& p) : p_(p) {}
  bool Parse(element doc);

 private:
  // A status as an event of its account; false on a defect.
  bool Status(element s, const std::string& at);
  std::string_view Account(element a, int64_t as_of, const std::string& at);

  RecordParser& p_;
};

std::string_view MastodonParser::Account(element a, int64_t as_of, const std::string& at) {
  const std::string_view id = p_.Id(a, "id");
  if (id.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + "id", "the account has no id", "keep the account objects whole");
    return {};
  }
  auto& user = p_.AddUser(id, kPlatform, as_of);
  AccountFields& f = user.fields;
  f.handle = Text(a, "acct");
  f.display_name = Text(a, "display_name");
  f.description = p_.Keep(HtmlToText(Text(a, "note"), nullptr));
  f.created_at = p_.Time(a, "created_at", at, false, kTimeFix);
  f.followers = p_.Count(a, "followers_count", at);
  f.following = p_.Count(a, "following_count", at);
  element group;
  if (Field(a, "group", &group) && group.is_bool() && bool(group)) f.kind = AccountKind::kGroup;
  f.extras = {{"url", Text(a, "url")},
              {"avatar", Text(a, "avatar")},
              {"bot", p_.Raw(a, "bot")},
              {"statuses_count", p_.Raw(a, "statuses_count")}};
  return id;
}

bool MastodonParser::Status(element s, const std::string& at) {
  const std::string_view id = p_.Id(s, "id");
  if (id.empty()) {
    p_.Fail(InputErrorKind::kMissingValue, at + "id", "the status has no id", "keep the status ids");
    return false;
  }
  const int64_t time = p_.Time(s, "created_at", at, true, kTimeFix);
  element account;
  if (!Field(s, "account", &account)) {
    p_.Fail(InputErrorKind::kMissingValue, at + "account", "the status has no account",
            "keep the statuses whole as the API returns them");
    return false;
  }
  const std::string_view author = Account(account, time, at + "account.");
  if (!p_.ok()) return false;
  ParsedEvent& pe = p_.AddEvent(id, author, EventType::kPost, time);
  EventFields& e = pe.event;
  element reblog, quote, list;
  if (Field(s, "reblog", &reblog)) {
    e.type = EventType::kShare;
    e.target_id = p_.Id(reblog, "id");
    element original;
    if (Field(reblog, "account", &original)) e.target_account_id = Account(original, time, at + "reblog.account.");
    if (e.target_id.empty() && p_.ok())
      p_.Fail(InputErrorKind::kMissingValue, at + "reblog.id", "the reblogged status has no id",
              "keep the reblog object whole");
  } else if (!p_.Id(s, "in_reply_to_id").empty()) {
    e.type = EventType::kComment;
    e.target_id = p_.Id(s, "in_reply_to_id");
    e.target_account_id = p_.Id(s, "in_reply_to_account_id");
  } else if (Field(s, "quote", &quote)) {
    element quoted;
    if (Field(quote, "quoted_status", &quoted)) {
      e.target_id = p_.Id(quoted, "id");
      element qa;
      if (Field(quoted, "account", &qa)) e.target_account_id = Account(qa, time, at + "quote.quoted_status.account.");
    } else {
      e.target_id = p_.Id(quote, "quoted_status_id");
    }
  }
  if (!p_.ok()) return false;
  std::vector<std::string_view> links;
  e.text = p_.Keep(HtmlToText(Text(s, "content"), &links));
  e.urls = std::move(links);
  element card;
  if (Field(s, "card", &card) && !Text(card, "url").empty()) {
    const std::string_view url = Text(card, "url");
    if (std::find(e.urls.begin(), e.urls.end(), url) == e.urls.end()) e.urls.push_back(url);
  }
  if (Field(s, "tags", &list))
    for (element t : Array(list)) e.hashtags.push_back(Text(t, "name"));
  if (Field(s, "mentions", &list))
    for (element m : Array(list)) e.mentions.push_back(p_.Id(m, "id"));
  e.language = Text(s, "language");
  element app;
  if (Field(s, "application", &app)) e.client = Text(app, "name");
  e.extras = {{"uri", Text(s, "uri")},
              {"url", Text(s, "url")},
              {"visibility", Text(s, "visibility")},
              {"spoiler_text", Text(s, "spoiler_text")},
              {"sensitive", p_.Raw(s, "sensitive")}};
  for (std::string_view key : {"replies_count", "reblogs_count", "favourites_count", "quotes_count"})
    if (p_.Count(s, key, at) >= 0) e.extras.emplace_back(key, p_.Raw(s, key));
  return p_.ok();
}

bool MastodonParser::Parse(element doc) {
  element list;
  for (std::string_view key : {"ancestors", "descendants", "statuses"}) {
    if (!Field(doc, key, &list)) continue;
    size_t i = 0;
    for (element s : Array(list))
      if (!Status(s, fmt::format("{}[{}].", key, i++))) return false;
  }
  if (Field(doc, "ancestors", &list) || Field(doc, "descendants", &list) || Field(doc, "statuses", &list)) return true;
  if (!Field(doc, "account", &list) && !Field(doc, "created_at", &list)) return false;
  return Status(doc, "");
}

}  // namespace

bool IsMastodonJson(std::string_view prefix) {
  using internal::HasJsonKey;
  return HasJsonKey(prefix, "account") && HasJsonKey(prefix, "acct") &&
         (HasJsonKey(prefix, "reblog") || HasJsonKey(prefix, "in_reply_to_account_id"));
}

Result<Dataset> LoadMastodon(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                             LoadReport* report) {
  return internal::LoadJsonRecords(files, options, sink, report, {"mastodon", kPlatform, "Mastodon statuses"},
                                   [](element doc, RecordParser& p) { return MastodonParser(p).Parse(doc); });
}

}  // namespace lockstep
