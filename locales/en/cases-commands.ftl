# Manual actions' answer, /case, /cases and /mycases.
cases-cmd-recorded = Case #{ $number } recorded: { $kind } for <@{ $user }>.
cases-cmd-reason-corrected = Case #{ $number }'s reason corrected.
cases-cmd-rule = Rule
cases-cmd-section = Section
cases-cmd-corrections = Corrections
cases-cmd-correction = { $date } <@{ $by }>: « { $old } » → « { $new } »
cases-cmd-count = Cases: **{ $count }**
cases-cmd-points = Active escalation points ({ $window }): **{ $points }**
cases-cmd-record-of = Record of { $name }
cases-cmd-mine-none = You have no cases on this server.
cases-cmd-mine-title = Your cases
cases-cmd-mine-total = Total: **{ $count }**
cases-cmd-kind-count = { $kind }: { $count }
