# Manual moderation: what a member is told, what a case records, and why a request is refused.
manual-dm-warn = you have been warned
manual-dm-timeout = you have been timed out for { $duration }
manual-dm-untimeout = your timeout has been lifted
manual-dm-kick = you have been kicked
manual-dm-ban = you have been banned
manual-dm-ban-for = you have been banned for { $duration }
manual-dm-unban = your ban has been lifted
manual-dm-note = a note was added to your record
manual-dm-head = **{ $guild }**: { $what }.
manual-dm-head-anonymous = Moderation: { $what }.
manual-dm-reason = Reason: { $reason }
manual-dm-section = Charter section { $section }: { $title }
manual-case-reason = { $reason } — section { $section }: { $title }

refusal-self = You cannot sanction yourself.
refusal-bot = Steward cannot be sanctioned.
refusal-owner = The server owner cannot be sanctioned.
refusal-above-moderator = <@{ $target }> has a role at or above yours: you cannot act on this member.
refusal-above-bot = <@{ $target }> has a role at or above Steward's: move Steward's role higher.
refusal-bot-lacks = Steward lacks the { $permission } permission.
refusal-timeout-too-long = Discord limits a timeout to 28 days: { $duration } is too long. Nothing was done.
refusal-zero-duration = The duration must be longer than zero.
refusal-purge-too-long = Message deletion goes from 0 to { $max } days.
refusal-unknown-section = The charter has no section { $section }.
refusal-not-loaded = The server is not loaded yet; try again in a moment.
refusal-failed = Steward could not { $step }: { $detail }
refusal-not-a-member = <@{ $target }> is not a member of this server.
purge-refusal-count = A purge removes 1 to { $max } messages.
purge-refusal-empty-text = The text to look for is empty.
purge-nothing = No message to remove here: none matches among the last 14 days' messages (pinned ones are kept).
purge-done = Removed { $count ->
    [one] { $count } message
   *[other] { $count } messages
}: { $authors }. Each member concerned has a case.
purge-age-limit = Messages older than 14 days stay: Discord does not delete them in bulk.
purge-case-reason = messages removed by { $moderator } with /purge in { $channel }
lockdown-already = { $channel } is locked already.
lockdown-not-a-channel = That is not a server channel.
lockdown-failed = { $channel } could not be locked: Steward could not change its permissions. Nothing was changed.
lockdown-on-done = { $channel } is locked: members can read it, not post. `/lockdown off` reopens it exactly as it was.
lockdown-none = No channel is locked.
lockdown-off-done = Reopened, exactly as before: { $channels }.
lockdown-off-failed = These channels could not be reopened (Steward could not change their permissions) and stay locked: { $channels }. Try again once Steward has Manage Roles there.
lockdown-notice-on = 🔒 The moderators have paused this channel for a while. You can still read it; posting is back soon.
lockdown-notice-off = 🔓 This channel is open again. Thank you for your patience.
massban-refusal-window = Give a window such as `10m` or `2h`, 24 hours at most.
massban-refusal-reason = Give a reason: it goes into each case and the audit log.
massban-nobody = Nobody matches: no member within reach joined within that window.
massban-not-loaded = The server is not loaded yet; try again in a moment.
massban-confirm = { $count ->
    [one] { $count } member
   *[other] { $count } members
} joined within { $within }: { $members }
    Ban them all? Bots, moderators and members out of reach are not in the list.
massban-confirm-raid = { $count ->
    [one] { $count } member
   *[other] { $count } members
} of the latest raid joined within { $within }: { $members }
    Ban them all? Bots, moderators and members out of reach are not in the list.
massban-button-confirm = Ban { $count }
massban-button-cancel = Cancel
massban-not-yours = Only the moderator who asked can answer this.
massban-expired = This list has expired: run `/massban` again.
massban-cancelled = Cancelled: nobody was banned.
massban-done = Banned { $count ->
    [one] { $count } member
   *[other] { $count } members
}; each has a case.
massban-failed = { $count } could not be banned (gone already, or out of Steward's reach).
