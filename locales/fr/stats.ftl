# Statistiques et rapports hebdomadaires et mensuels : chiffres, graphiques, réponses de /stats.
stats-title-week = Semaine { $week } de { $year }
stats-title-month = { $month } { $year }
stats-report-heading = Rapport de la communauté : { $title }
stats-report-footer = Heures de { $timezone } · évolution par rapport à la période précédente
stats-figure-messages = Messages
stats-figure-active-members = Membres actifs
stats-figure-joins = Nouveaux membres
stats-figure-departures = Départs
stats-figure-net-growth = Croissance nette
stats-figure-retention = Rétention des nouveaux de la période précédente
stats-figure-first-messages = Premiers messages de nouveaux
stats-figure-first-messages-answered = Dont ayant reçu une réponse en moins d’une heure
stats-figure-cases = Cas de modération
stats-figure-review-items = Éléments à examiner
stats-figure-reports = Signalements de membres
stats-figure-median-decision = Délai médian d’une décision d’examen
stats-figure-false-positives = Signalements examinés jugés corrects
stats-figure-poll-votes = Votes aux sondages
stats-figure-giveaway-entries = Participations aux jeux concours
stats-figure-qualified-referrals = Parrainages validés
stats-not-measured = non mesuré
stats-percent = { $value } %
stats-minutes = { $value } min
stats-chart-activity = Messages et membres actifs par jour
stats-chart-members = Arrivées et départs par jour
stats-chart-heatmap = Messages par jour et par heure ({ $timezone })
stats-chart-cases = Cas de modération par article de la charte
stats-chart-no-cases = Aucun cas sur cette période.
stats-top-channels = Salons les plus actifs
stats-top-contributors = Membres les plus actifs
stats-top-referrers = Meilleurs parrains
stats-answerers = Membres qui répondent le plus aux autres
stats-cases-by-kind = Cas par type
stats-rule-precision = Décisions d’examen par règle
stats-rule-precision-line = { $rule } : { $decided } décidés, { $approved } jugés corrects ({ $percent })
stats-joins-by-source = Arrivées par origine
stats-source-exact = par l’invitation d’un membre
stats-source-ambiguous = par l’une de plusieurs invitations
stats-source-vanity = par l’URL personnalisée
stats-source-unknown = origine inconnue
stats-polls-line = { $polls } sondages, { $votes } votes
stats-giveaways-line = { $giveaways } jeux concours, { $entries } participations
stats-nothing = rien pour l’instant
stats-messages-count = { $count ->
    [one] { $count } message
   *[other] { $count } messages
}
stats-referrals-count = { $count ->
    [one] { $count } parrainage
   *[other] { $count } parrainages
}
stats-answers-count = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
stats-weekday-monday = lundi
stats-weekday-tuesday = mardi
stats-weekday-wednesday = mercredi
stats-weekday-thursday = jeudi
stats-weekday-friday = vendredi
stats-weekday-saturday = samedi
stats-weekday-sunday = dimanche
stats-month-1 = janvier
stats-month-2 = février
stats-month-3 = mars
stats-month-4 = avril
stats-month-5 = mai
stats-month-6 = juin
stats-month-7 = juillet
stats-month-8 = août
stats-month-9 = septembre
stats-month-10 = octobre
stats-month-11 = novembre
stats-month-12 = décembre
stats-page-figures = Chiffres clés
stats-page-figure = Indicateur
stats-page-value = Cette période
stats-page-previous = Période précédente
stats-page-change = Évolution
stats-page-charts = Graphiques
stats-page-member = Membre { $id }
stats-page-channel = Salon { $id }
stats-job-post = publication du rapport { $period }
stats-job-fold = regroupement de l’activité ancienne par membre dans les totaux
stats-member-heading = Activité de { $member }
stats-member-week = Cette semaine : { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} ({ $rank ->
    [1] 1ᵉʳ
   *[other] { $rank }ᵉ
} parmi les membres qui ont écrit).
stats-member-week-none = Cette semaine : aucun message pour l’instant.
stats-member-month = Ce mois-ci : { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} ({ $rank ->
    [1] 1ᵉʳ
   *[other] { $rank }ᵉ
} parmi les membres qui ont écrit).
stats-member-month-none = Ce mois-ci : aucun message pour l’instant.
stats-member-opted-out = Ce membre a choisi de ne pas figurer dans les classements : compté dans les totaux, jamais nommé.
stats-channel-heading = Activité dans { $channel }
stats-channel-week = Cette semaine : { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} de { $posters ->
    [one] { $posters } membre
   *[other] { $posters } membres
}.
stats-channel-month = Ce mois-ci : { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} de { $posters ->
    [one] { $posters } membre
   *[other] { $posters } membres
}.
stats-me-ranked = Tu figures dans les classements de la communauté ; `/stats retrait` t’en retire.
stats-me-opted-out = Tu ne figures pas dans les classements (tu restes compté dans les totaux) ; `/stats retrait` à nouveau pour y revenir.
stats-optout-done = C’est fait : ton nom n’apparaît plus dans les classements ni les rapports. Tu restes compté dans les totaux. Relance `/stats retrait` pour revenir.
stats-optout-undone = Te revoilà : tu figures à nouveau dans les classements.
stats-decimal-separator = ,
