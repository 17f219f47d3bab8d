# Le planificateur : ce que fait une tâche, l'avis d'une tâche abandonnée, /schedule list.
schedule-job-lift-ban = fin du bannissement temporaire de { $user } (cas #{ $case })
schedule-job-remind-review = rappel de l'élément d'examen #{ $item }
schedule-job-close-poll = clôture du sondage n° { $poll }
schedule-job-unreadable = tâche illisible
schedule-given-up = Tâche planifiée abandonnée après { $attempts } essais sur { $max } : { $job }. Dernière erreur : { $error }
schedule-ban-ended-reason = fin du bannissement temporaire (cas #{ $case })
schedule-list-empty = Aucune tâche planifiée.
schedule-list-header = Tâches planifiées : { $total }
schedule-list-line = • { $job } — { $due }
schedule-list-attempts = { $attempts } essai(s) échoué(s) sur { $max }
schedule-list-last-error = dernière erreur : { $error }
schedule-list-more = … et { $more } de plus.
