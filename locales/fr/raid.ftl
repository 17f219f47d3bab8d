# Mode raid : l'alerte et le bilan du journal de modération (langue du serveur), les réponses de /raid (langue du modérateur).
raid-alert-title = 🚨 Mode raid activé
raid-alert-joins = { $joins } membres sont arrivés en { $window }.
raid-alert-joins-young = { $joins } membres sont arrivés en { $window }, dont { $young } avec un compte de moins de { $age }.
raid-alert-repeated-link = { $members } nouveaux membres ont posté le même lien en { $window } : { $link }
raid-alert-repeated-text = { $members } nouveaux membres ont posté le même message en { $window } : « { $sample } »
raid-alert-mentions = { $mentions } mentions par { $members } membres en { $window }.
raid-alert-manual = Activé par { $moderator }.
raid-alert-members = Membres ({ $count })
raid-alert-ages = Âge des comptes : le plus jeune { $youngest }, médiane { $median }.
raid-alert-steps = Mesures prises
raid-alert-refused = Refusé par Discord
raid-alert-refused-hint = Steward a besoin de Gérer les salons pour le mode lent et de Gérer le serveur pour le niveau de vérification et les pauses.
raid-alert-ends = Se termine après { $quiet } sans nouveau signal (pour l'instant { $at }), avec `/raid desactiver`, ou avec le bouton.
raid-button-end = Terminer le mode raid
raid-step-slowmode = Mode lent de { $secs } s dans { $count ->
    [one] { $count } salon
   *[other] { $count } salons
}
raid-step-verification = Niveau de vérification relevé à { $level }
raid-step-invites = Invitations suspendues jusqu'à { $until }
raid-step-dms = Messages privés entre membres suspendus jusqu'à { $until }
raid-step-hold = Les messages des membres arrivés depuis moins de { $newer } sont retenus pour examen
raid-step-timeout = Les membres du raid sont exclus temporairement pour { $duration }
raid-step-kick = Les membres du raid sont expulsés
raid-steps-none = Aucune : la section `[raid]` de la charte ne liste aucune mesure.
raid-setting-slowmode = le mode lent de { $channel }
raid-setting-verification = le niveau de vérification
raid-setting-invites = la pause des invitations
raid-setting-dms = la pause des messages privés
raid-level = { $level ->
    [0] Aucun
    [1] Faible
    [2] Moyen
    [3] Élevé
   *[4] Très élevé
}
raid-ended-title = Mode raid terminé
raid-ended = Du { $start } au { $end }.
raid-summary-title = Mode raid terminé : bilan
raid-summary-lasted = Le mode raid a duré { $duration }.
raid-summary-by = Terminé par { $moderator }.
raid-summary-quiet = Terminé après la période calme.
raid-summary-members = { $members ->
    [one] { $members } membre arrivé pendant le raid
   *[other] { $members } membres arrivés pendant le raid
} ; { $actioned } exclus ou expulsés.
raid-summary-held = { $held ->
    [one] { $held } message de nouveau membre retenu pour examen.
   *[other] { $held } messages de nouveaux membres retenus pour examen.
}
raid-summary-restored = { $count ->
    [one] { $count } réglage remis comme avant.
   *[other] { $count } réglages remis comme avant.
}
raid-summary-refused = Non remis comme avant (à rétablir à la main) : { $settings }.
raid-case-reason = Raid : arrivé pendant un raid et correspond à sa signature
raid-not-moderator = Seuls les modérateurs peuvent terminer le mode raid.
raid-job-end = terminer le mode raid
raid-on-done = Le mode raid est activé. L'alerte du journal de modération liste les mesures prises.
raid-on-already = Le mode raid est déjà activé, depuis { $since }.
raid-on-no-section = La charte n'a pas de section `[raid]` : le mode raid n'a aucune mesure à prendre. Ajoutez-en une (voir le README) et rechargez.
raid-off-done = Le mode raid est terminé et tout ce qu'il a changé est remis comme avant. Le bilan est dans le journal de modération.
raid-off-none = Le mode raid n'est pas activé.
raid-status-on = Le mode raid est activé depuis { $since } ({ $trigger }). Il se termine { $ends } sauf nouveau signal.
raid-status-off = Le mode raid n'est pas activé.
raid-trigger = { $trigger ->
    [joins] une vague d'arrivées
    [repeated] le même message de nouveaux membres
    [mentions] une avalanche de mentions
   *[manual] activé à la main
}
