# Les cas tels que le journal de modération les montre. Les types de cas gardent leur nom
# court (celui de /cases et des commandes).
case-title = Cas #{ $number } — { $kind }
case-by-steward = Steward (auto)
case-field-member = Membre
case-field-by = Par
case-field-channel = Salon
case-field-reason = Motif
case-field-text = Texte
case-field-duration = Durée
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
