# /charter test et /charter reload.
charter-test-allowed = Autorisé : aucune règle ne s'applique.
charter-test-outcome = Résultat : **{ $outcome }**{ $sanction }
charter-test-match = • `{ $rule }` (article { $section }) — { $trigger } « { $text } »
charter-reloaded = Charte rechargée : { $rules } règles actives.
charter-refused = Charte refusée, la précédente reste active :
