# /review queue, /review show et /review stats.
review-cmd-queue-title = File d'examen — { $total } · page { $page }/{ $pages }
review-cmd-queue-empty = File vide.
review-cmd-reports = { $count ->
    [one] { $count } signalement
   *[other] { $count } signalements
}
review-cmd-stats-title = Examen : statistiques
review-cmd-stats-rule = `{ $rule }` : { $held } retenus, { $flagged } signalés, { $reported } par des membres — { $approved } approuvés, { $removed } retirés, { $dismissed } classés, { $open } en attente (approbation { $rate })
review-cmd-stats-none = Aucun élément.
review-cmd-stats-health = En attente : { $open } · plus ancien : { $oldest } · délai médian de décision : { $median }
