// The reader of Telegram exports: Telegram Desktop's chat and channel export
// (result.json, "Export chat history" as JSON: {name, type, id, messages:
// [...]}) and Telethon message dumps (Message.to_dict()/to_json(), one
// message per line, or a JSON array of them).
//
// Mapping (docs/formats.md): a message is a post of its sender (Desktop
// from_id "user123"/"channel123"; Telethon from_id, or the channel itself for
// channel posts); a reply (reply_to_message_id, reply_to.reply_to_msg_id) a
// comment on the message it answers; a forward a share of the original post.
// Telethon's fwd_from names the original channel and post (channel_post), so
// the share targets it; Desktop's forwarded_from gives only the original's
// name, so the share keeps its text and has no target id (as the IRA reader's
// retweets). Event ids are "<chat>/<message id>" ("channel1234/56"), since
// message ids count per chat. Text is text_entities (or text) joined; links,
// text links, hashtags and mentions come from the entities. Every account's
// platform is "telegram". Streaming: a Desktop export is cut into its
// messages, never held whole. Plain, .gz or .zst.
#ifndef LOCKSTEP_INGEST_TELEGRAM_READER_H_
#define LOCKSTEP_INGEST_TELEGRAM_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lockstep/ingest/load.h"

namespace lockstep {

// Whether the first bytes of a file look like a Telegram Desktop export or
// Telethon messages.
bool IsTelegramJson(std::string_view prefix);

Result<Dataset> LoadTelegram(const std::vector<std::string>& files, const LoadOptions& options, ErrorSink* sink,
                             LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_TELEGRAM_READER_H_
