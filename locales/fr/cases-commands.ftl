# Réponse des actions manuelles, /case, /cases et /mycases.
cases-cmd-recorded = Cas #{ $number } enregistré : { $kind } pour <@{ $user }>.
cases-cmd-reason-corrected = Motif du cas #{ $number } corrigé.
cases-cmd-rule = Règle
cases-cmd-section = Article
cases-cmd-corrections = Corrections
cases-cmd-correction = { $date } <@{ $by }> : « { $old } » → « { $new } »
cases-cmd-count = Cas : **{ $count }**
cases-cmd-points = Points d'escalade actifs ({ $window }) : **{ $points }**
cases-cmd-record-of = Dossier de { $name }
cases-cmd-mine-none = Vous n'avez aucun cas sur ce serveur.
cases-cmd-mine-title = Vos cas
cases-cmd-mine-total = Total : **{ $count }**
cases-cmd-kind-count = { $kind } : { $count }
