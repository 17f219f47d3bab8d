# Sondages : refus de /poll create, réponses aux votes, le message du sondage, les résultats.
poll-refusal-empty-question = La question est vide.
poll-refusal-question-too-long = La question est trop longue ({ $max } caractères au plus).
poll-refusal-too-few-options = Un sondage a besoin d'au moins { $min } choix, séparés par `;` (Oui; Non).
poll-refusal-too-many-options = { $count } choix, c'est trop : { $max } au plus.
poll-refusal-option-too-long = Le choix « { $option } » est trop long ({ $max } caractères au plus).
poll-refusal-duplicate-option = Le choix « { $option } » figure deux fois.
poll-refusal-too-short = Un sondage reste ouvert au moins { $min }.
poll-refusal-too-long = Un sondage reste ouvert { $max } au plus.
poll-refusal-native-extras = Un sondage natif de Discord n'a aucun des ajouts de Steward : laissez anonyme, masque, role et plusieurs vides.
poll-refusal-native-hours = Un sondage natif de Discord dure un nombre entier d'heures (de 1h à 32d).
poll-vote-closed = Ce sondage est clos.
poll-vote-role-required = Ce sondage est réservé aux membres ayant le rôle { $role }.
poll-vote-invalid = Ce choix ne fait pas partie des réponses de ce sondage.
poll-vote-anonymous-final = Vous avez déjà voté à ce sondage anonyme ; un vote anonyme est définitif, puisque personne ne garde ce que vous avez choisi.
poll-vote-recorded = Votre vote est enregistré : { $choice }.
poll-vote-changed = Votre vote est changé pour : { $choice }. Il compte une seule fois.
poll-unknown = Il n'y a pas de sondage n° { $id } sur ce serveur.
poll-voters = { $count ->
    [one] 1 votant
   *[other] { $count } votants
}
poll-closes = Clôture { $when }
poll-closed-at = Clos { $when }
poll-mode-single = Un seul choix
poll-mode-multiple = Plusieurs choix
poll-mode-anonymous = anonyme : personne ne peut voir qui a voté quoi ; un vote est définitif
poll-mode-public = public : les modérateurs peuvent voir qui a voté quoi ; vous pouvez changer votre vote
poll-mode-hidden = Les résultats s'affichent à la clôture.
poll-mode-role = Réservé à { $role }
poll-select-placeholder = Choisissez…
poll-footer = Sondage n° { $id }
poll-results-title = Résultats du sondage n° { $id } : { $question }
poll-results-line = { $bar } **{ $option }** — { $votes } · { $percent } %
poll-results-nobody = Personne n'a voté.
poll-results-no-csv = Sondage anonyme : qui a voté quoi n'est pas conservé, il n'y a donc pas de liste des votes.
poll-chart-caption = { $votes } · { $percent } %
poll-created = Le sondage n° { $id } est publié ; il se clôt { $when }.
poll-closed-now = Le sondage n° { $id } est clos ; ses résultats sont publiés.
poll-already-closed = Le sondage n° { $id } est déjà clos.
poll-not-posted = Le sondage n° { $id } n'a pas pu être publié dans ce salon ; il est retiré : { $error }
