# /setup : la configuration enregistrée, telle que la lit celui qui l'a faite.
setup-saved =
    Configuration enregistrée.
    mod-log : { $mod_log }
    examen : { $review }
    accueil : { $welcome }
    stats : { $stats }
    rôles modérateurs : { $roles }
    langue : { $language }
first-contact-title = Steward est là : quelques étapes pour finir de l'installer
first-contact-channels = **Salons** (à choisir avec `/setup`) :
first-contact-mod-log = journal de modération
first-contact-review = file d'examen
first-contact-welcome = salon d'accueil
first-contact-stats = bilan hebdomadaire
first-contact-channel-set = ✓ { $what }
first-contact-channel-missing = ✗ { $what } : `/setup { $option }:#salon`
first-contact-permissions-ok = ✓ Le rôle de Steward a toutes les permissions nécessaires.
first-contact-permissions-missing = **Permissions** qui manquent au rôle de Steward : { $list }. Donnez-les à son rôle dans Paramètres du serveur > Rôles.
first-contact-intents-missing = **Intents privilégiés** à activer dans le portail développeur (Bot > Privileged Gateway Intents) : { $list }.
first-contact-try = Lisez la charte avec `/charter show` et essayez-la sur un texte avec `/charter test`.
