# Raid mode: the mod-log alert and summary (server language), /raid answers (moderator's language).
raid-alert-title = 🚨 Raid mode on
raid-alert-joins = { $joins } members joined within { $window }.
raid-alert-joins-young = { $joins } members joined within { $window }, { $young } of them with accounts younger than { $age }.
raid-alert-repeated-link = { $members } new members posted the same link within { $window }: { $link }
raid-alert-repeated-text = { $members } new members posted the same message within { $window }: “{ $sample }”
raid-alert-mentions = { $mentions } mentions from { $members } members within { $window }.
raid-alert-manual = Started by { $moderator }.
raid-alert-members = Members ({ $count })
raid-alert-ages = Account ages: youngest { $youngest }, median { $median }.
raid-alert-steps = Steps taken
raid-alert-refused = Refused by Discord
raid-alert-refused-hint = Steward needs Manage Channels for slow mode and Manage Server for the verification level and the pauses.
raid-alert-ends = Ends after { $quiet } without a new signal (for now { $at }), with `/raid off`, or with the button.
raid-button-end = End raid mode
raid-step-slowmode = Slow mode of { $secs } s in { $count ->
    [one] { $count } channel
   *[other] { $count } channels
}
raid-step-verification = Verification level raised to { $level }
raid-step-invites = Invites paused until { $until }
raid-step-dms = DMs between members paused until { $until }
raid-step-hold = Messages of members who joined less than { $newer } ago are held for review
raid-step-timeout = Members of the raid are timed out for { $duration }
raid-step-kick = Members of the raid are kicked
raid-steps-none = None: the charter's `[raid]` section lists no step.
raid-setting-slowmode = slow mode of { $channel }
raid-setting-verification = the verification level
raid-setting-invites = the pause of invites
raid-setting-dms = the pause of DMs
raid-level = { $level ->
    [0] None
    [1] Low
    [2] Medium
    [3] High
   *[4] Highest
}
raid-ended-title = Raid mode ended
raid-ended = From { $start } to { $end }.
raid-summary-title = Raid mode ended: summary
raid-summary-lasted = Raid mode lasted { $duration }.
raid-summary-by = Ended by { $moderator }.
raid-summary-quiet = Ended after the quiet period.
raid-summary-members = { $members ->
    [one] { $members } member joined during the raid
   *[other] { $members } members joined during the raid
}; { $actioned } timed out or kicked.
raid-summary-held = { $held ->
    [one] { $held } message of a newcomer was held for review.
   *[other] { $held } messages of newcomers were held for review.
}
raid-summary-restored = { $count ->
    [one] { $count } setting put back as it was.
   *[other] { $count } settings put back as they were.
}
raid-summary-refused = Could not be put back (set them back by hand): { $settings }.
raid-case-reason = Raid: joined during a raid and matched its signature
raid-not-moderator = Only moderators can end raid mode.
raid-job-end = end raid mode
raid-on-done = Raid mode is on. The alert in the mod log lists the steps taken.
raid-on-already = Raid mode is already on, since { $since }.
raid-on-no-section = The charter has no `[raid]` section, so raid mode has no step to take. Add one (see the README) and reload.
raid-off-done = Raid mode is off, and everything it changed is put back. The summary is in the mod log.
raid-off-none = Raid mode is not on.
raid-status-on = Raid mode is on since { $since } ({ $trigger }). It ends { $ends } unless a new signal comes.
raid-status-off = Raid mode is off.
raid-trigger = { $trigger ->
    [joins] a wave of joins
    [repeated] the same message from new members
    [mentions] a storm of mentions
   *[manual] started by hand
}
