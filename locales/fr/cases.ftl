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
case-kind-delete = suppression
case-kind-hold = retenue
case-kind-flag = signalement
case-kind-warn = avertissement
case-kind-timeout = exclusion temporaire
case-kind-untimeout = fin d'exclusion
case-kind-kick = expulsion
case-kind-ban = bannissement
case-kind-unban = débannissement
case-kind-note = note
case-message-link = message
