# /charter test and /charter reload.
charter-test-allowed = Allowed: no rule matches.
charter-test-outcome = Outcome: **{ $outcome }**{ $sanction }
charter-test-match = • `{ $rule }` (section { $section }) — { $trigger } « { $text } »
charter-reloaded = Charter reloaded: { $rules } rules active.
charter-refused = Charter refused, the previous one stays active:
