# Cases as the mod log shows them.
case-title = Case #{ $number } — { $kind }
case-by-steward = Steward (auto)
case-field-member = Member
case-field-by = By
case-field-channel = Channel
case-field-reason = Reason
case-field-text = Text
case-field-duration = Duration
case-points = { $points ->
    [one] { $points } point
   *[other] { $points } points
}
case-kind-delete = delete
case-kind-hold = hold
case-kind-flag = flag
case-kind-warn = warn
case-kind-timeout = timeout
case-kind-untimeout = untimeout
case-kind-kick = kick
case-kind-ban = ban
case-kind-unban = unban
case-kind-note = note
case-message-link = message
