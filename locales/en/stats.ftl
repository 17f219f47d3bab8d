# Statistics and the weekly and monthly reports: figures, charts, /stats answers.
stats-title-week = Week { $week } of { $year }
stats-title-month = { $month } { $year }
stats-report-heading = Community report: { $title }
stats-report-footer = Times in { $timezone } · change from the period before
stats-figure-messages = Messages
stats-figure-active-members = Active members
stats-figure-joins = New members
stats-figure-departures = Departures
stats-figure-net-growth = Net growth
stats-figure-retention = Retention of last period's newcomers
stats-figure-first-messages = Newcomers' first messages
stats-figure-first-messages-answered = Of them answered within an hour
stats-figure-cases = Moderation cases
stats-figure-review-items = Review items
stats-figure-reports = Member reports
stats-figure-median-decision = Median time to a review decision
stats-figure-false-positives = Reviewed flags found fine
stats-figure-poll-votes = Poll votes
stats-figure-giveaway-entries = Giveaway entries
stats-figure-qualified-referrals = Qualified referrals
stats-not-measured = not measured
stats-percent = { $value } %
stats-minutes = { $value } min
stats-chart-activity = Messages and active members per day
stats-chart-members = New members and departures per day
stats-chart-heatmap = Messages by day and hour ({ $timezone })
stats-chart-cases = Moderation cases by charter rule
stats-chart-no-cases = No case in this period.
stats-top-channels = Busiest channels
stats-top-contributors = Top contributors
stats-top-referrers = Top referrers
stats-answerers = Members who answer others most
stats-cases-by-kind = Cases by type
stats-rule-precision = Review decisions per rule
stats-rule-precision-line = { $rule }: { $decided } decided, { $approved } found fine ({ $percent })
stats-joins-by-source = Joins by source
stats-source-exact = through a member's invite
stats-source-ambiguous = through one of several invites
stats-source-vanity = through the vanity URL
stats-source-unknown = source unknown
stats-polls-line = { $polls } polls, { $votes } votes
stats-giveaways-line = { $giveaways } giveaways, { $entries } entries
stats-nothing = nothing yet
stats-messages-count = { $count ->
    [one] { $count } message
   *[other] { $count } messages
}
stats-referrals-count = { $count ->
    [one] { $count } referral
   *[other] { $count } referrals
}
stats-answers-count = { $count ->
    [one] { $count } answer
   *[other] { $count } answers
}
stats-weekday-monday = Monday
stats-weekday-tuesday = Tuesday
stats-weekday-wednesday = Wednesday
stats-weekday-thursday = Thursday
stats-weekday-friday = Friday
stats-weekday-saturday = Saturday
stats-weekday-sunday = Sunday
stats-month-1 = January
stats-month-2 = February
stats-month-3 = March
stats-month-4 = April
stats-month-5 = May
stats-month-6 = June
stats-month-7 = July
stats-month-8 = August
stats-month-9 = September
stats-month-10 = October
stats-month-11 = November
stats-month-12 = December
stats-page-figures = Headline figures
stats-page-figure = Figure
stats-page-value = This period
stats-page-previous = Period before
stats-page-change = Change
stats-page-charts = Charts
stats-page-member = Member { $id }
stats-page-channel = Channel { $id }
stats-job-post = posting of the { $period } report
stats-job-fold = folding of old per-member activity into totals
stats-member-heading = Activity of { $member }
stats-member-week = This week: { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} (rank { $rank } among posters).
stats-member-week-none = This week: no message yet.
stats-member-month = This month: { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} (rank { $rank } among posters).
stats-member-month-none = This month: no message yet.
stats-member-opted-out = They opted out of rankings: counted in totals, never named.
stats-channel-heading = Activity in { $channel }
stats-channel-week = This week: { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} by { $posters ->
    [one] { $posters } member
   *[other] { $posters } members
}.
stats-channel-month = This month: { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} by { $posters ->
    [one] { $posters } member
   *[other] { $posters } members
}.
stats-me-ranked = You appear in the community's rankings; `/stats optout` takes you out of them.
stats-me-opted-out = You do not appear in rankings (you are still counted in totals); `/stats optout` again to come back.
stats-optout-done = Done: you no longer appear in rankings or reports by name. You are still counted in totals. Run `/stats optout` again to come back.
stats-optout-undone = Welcome back: you appear in rankings again.
stats-decimal-separator = .
