// REL-1: mail in from a mailbox. An `imap` channel names a mailbox by URL —
// imaps://support%40desk.example@imap.example.com/INBOX (imap:// for STARTTLS when the server
// offers it) — and keeps its password as the channel's secret. `tandem serve` polls each active
// one: the messages above the last UID taken are read in order (libcurl's IMAP client, which
// marks them \Seen) and filed as `tandem mailgate` files a piped one; a message that must wait
// (the store busy) stops the round there, to be read again next time. Where the poll stands
// (the mailbox's UIDVALIDITY and the last UID taken) is kept in the store, so a restart or
// another node goes on from there; a new UIDVALIDITY starts over, and Message-IDs keep a
// message from being filed twice.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/channels.h"
#include "usecase/context.h"

namespace tandem::channels {

struct MailboxPoll {
  std::string channel_id;
  int taken = 0;       // filed, or deliberately ignored (repeats, auto-replies)
  bool waiting = false;  // a message must be read again next time
  std::string error;   // the mailbox could not be read: why
};

// Reads one mailbox's new messages, at most `limit`.
MailboxPoll poll_mailbox(const usecase::Services& s, const storage::Channel& channel, std::size_t attachment_limit, int limit = 200);

// Every active imap channel's mailbox.
Result<std::vector<MailboxPoll>> poll_mailboxes(const usecase::Services& s, std::size_t attachment_limit);

}  // namespace tandem::channels
