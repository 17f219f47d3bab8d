# Ce qu'on dit à un membre quand une commande ne peut pas s'exécuter : refus (UserError) et
# erreurs du framework lui-même. Jamais de détails internes.
error-guild-only = Cette commande ne fonctionne que sur un serveur.
error-dm-only = Cette commande ne fonctionne qu'en message privé.
error-nsfw-only = Cette commande ne fonctionne que dans un salon soumis à une limite d'âge.
error-owner-only = Seuls les propriétaires du bot peuvent utiliser cette commande.
error-moderators-only = Réservé aux modérateurs.
error-admins-only = Réservé aux administrateurs (Gérer le serveur).
error-no-case = Aucun cas #{ $number }.
error-no-item = Pas d'élément #{ $id }.
error-no-section = La charte n'a pas d'article { $number }.
error-invalid-duration = Durée invalide « { $text } » : écrivez un nombre et une unité (s, m, h, d, w), par exemple 10m, 1h30m ou 7d.
error-missing-permissions = Il vous manque des permissions pour `/{ $command }` : { $permissions }.
error-permissions-unknown = Vos permissions pour `/{ $command }` n'ont pas pu être vérifiées ; rien n'a été fait.
error-bot-missing-permissions = Il manque des permissions à Steward pour cette commande : { $permissions }.
error-cooldown = Vous allez trop vite : attendez { $seconds } secondes avant de réessayer.
error-argument = Cette valeur n'a pas pu être lue : `{ $input }`.
error-argument-missing = Une option de cette commande n'a pas pu être lue.
error-subcommand-required = Choisissez parmi : { $subcommands }.
error-check-failed = Vous ne pouvez pas utiliser cette commande ici.
error-outdated = Cette commande vient de changer : réessayez dans une minute.
error-internal = Une erreur est survenue ; rien n'a été fait. L'erreur est dans les journaux de Steward.
# Noms des permissions dans les refus.
error-unknown-language = Steward ne parle pas « { $code } ». Langues : { $known }. Rien n’a été modifié.
