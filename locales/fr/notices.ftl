# Avis du journal de modération : ce que Steward n'a pas pu faire, et pourquoi. Les permissions
# gardent le nom que Discord leur donne dans son API et sa documentation.
notice-title = Action impossible
action-error-missing-permission = Steward n'a pas la permission { $permission }.
action-error-hierarchy = <@{ $target }> a un rôle égal ou supérieur à celui de Steward : placez le rôle de Steward au-dessus.
action-error-owner = Le propriétaire du serveur ne peut pas être sanctionné.
action-error-discord = Steward n'a pas pu { $step } : { $detail }
action-error-storage = Steward n'a pas pu { $step } : { $detail }
action-error-step-delete-message = supprimer le message
action-error-step-timeout = exclure temporairement le membre
action-error-step-lift-timeout = lever l'exclusion temporaire
action-error-step-kick = expulser le membre
action-error-step-ban = bannir le membre
action-error-step-unban = lever le bannissement
action-error-step-record-case = enregistrer le cas
action-error-step-schedule-unban = programmer la levée du bannissement
action-error-step-enqueue = mettre le message en examen
action-error-step-webhook = obtenir un webhook dans le salon
action-error-step-restore = rétablir le message
action-error-unknown-ban = Ce membre n'est pas banni.
action-error-out-of-range = Discord n'accepte pas cette date.
action-error-no-case = La levée du bannissement n'a pas été programmée : aucun cas enregistré.
action-error-step-settings = lire les réglages du serveur
