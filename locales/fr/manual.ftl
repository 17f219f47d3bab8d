# Modération manuelle : ce qui est dit au membre, ce qu'un cas enregistre, et pourquoi une demande est refusée.
manual-dm-warn = vous avez reçu un avertissement
manual-dm-timeout = vous êtes exclu·e temporairement pour { $duration }
manual-dm-untimeout = votre exclusion temporaire est levée
manual-dm-kick = vous avez été expulsé·e
manual-dm-ban = vous avez été banni·e
manual-dm-ban-for = vous avez été banni·e pour { $duration }
manual-dm-unban = votre bannissement est levé
manual-dm-note = une note a été ajoutée à votre dossier
manual-dm-head = **{ $guild }** : { $what }.
manual-dm-head-anonymous = Modération : { $what }.
manual-dm-reason = Motif : { $reason }
manual-dm-section = Article { $section } de la charte : { $title }
manual-case-reason = { $reason } — article { $section }: { $title }

refusal-self = Vous ne pouvez pas vous sanctionner vous-même.
refusal-bot = Steward ne peut pas être sanctionné.
refusal-owner = Le propriétaire du serveur ne peut pas être sanctionné.
refusal-above-moderator = <@{ $target }> a un rôle égal ou supérieur au vôtre : vous ne pouvez pas agir sur ce membre.
refusal-above-bot = <@{ $target }> a un rôle égal ou supérieur à celui de Steward : placez le rôle de Steward au-dessus.
refusal-bot-lacks = Steward n'a pas la permission { $permission }.
refusal-timeout-too-long = Discord limite une exclusion temporaire à 28 jours : { $duration } est trop long. Aucune action.
refusal-zero-duration = La durée doit être positive.
refusal-purge-too-long = La purge des messages va de 0 à { $max } jours.
refusal-unknown-section = La charte n'a pas d'article { $section }.
refusal-not-loaded = Le serveur n'est pas encore chargé ; réessayez dans un instant.
refusal-failed = Steward n'a pas pu { $step } : { $detail }
refusal-not-a-member = <@{ $target }> n'est pas membre du serveur.
purge-refusal-count = Une purge supprime de 1 à { $max } messages.
purge-refusal-empty-text = Le texte à chercher est vide.
purge-nothing = Aucun message à supprimer ici : aucun ne correspond parmi ceux des 14 derniers jours (les messages épinglés sont gardés).
purge-done = { $count ->
    [one] { $count } message supprimé
   *[other] { $count } messages supprimés
} : { $authors }. Chaque membre concerné a un cas.
purge-age-limit = Les messages de plus de 14 jours restent : Discord ne les supprime pas en masse.
purge-case-reason = messages supprimés par { $moderator } avec /purge dans { $channel }
lockdown-already = { $channel } est déjà verrouillé.
lockdown-not-a-channel = Ce n’est pas un salon du serveur.
lockdown-failed = { $channel } n’a pas pu être verrouillé : Steward n’a pas pu modifier ses permissions. Rien n’a changé.
lockdown-on-done = { $channel } est verrouillé : les membres peuvent le lire, pas y écrire. `/verrouillage desactiver` le rouvre exactement comme avant.
lockdown-none = Aucun salon n’est verrouillé.
lockdown-off-done = Rouverts, exactement comme avant : { $channels }.
lockdown-off-failed = Ces salons n’ont pas pu être rouverts (Steward n’a pas pu modifier leurs permissions) et restent verrouillés : { $channels }. Réessayez quand Steward aura la permission Gérer les rôles.
lockdown-notice-on = 🔒 Les modérateurs ont mis ce salon en pause quelque temps. Vous pouvez toujours le lire ; l’écriture revient bientôt.
lockdown-notice-off = 🔓 Ce salon est de nouveau ouvert. Merci de votre patience.
massban-refusal-window = Indiquez une durée comme `10m` ou `2h`, 24 heures au plus.
massban-refusal-reason = Indiquez un motif : il figure dans chaque cas et dans le journal d’audit.
massban-nobody = Personne ne correspond : aucun membre à portée n’est arrivé dans ce délai.
massban-not-loaded = Le serveur n’est pas encore chargé ; réessayez dans un instant.
massban-confirm = { $count ->
    [one] { $count } membre arrivé
   *[other] { $count } membres arrivés
} depuis { $within } : { $members }
    Les bannir tous ? Les bots, les modérateurs et les membres hors de portée ne sont pas dans la liste.
massban-confirm-raid = { $count ->
    [one] { $count } membre du dernier raid arrivé
   *[other] { $count } membres du dernier raid arrivés
} depuis { $within } : { $members }
    Les bannir tous ? Les bots, les modérateurs et les membres hors de portée ne sont pas dans la liste.
massban-button-confirm = Bannir { $count }
massban-button-cancel = Annuler
massban-not-yours = Seul le modérateur qui a demandé peut répondre.
massban-expired = Cette liste a expiré : relancez `/bannissement-massif`.
massban-cancelled = Annulé : personne n’a été banni.
massban-done = { $count ->
    [one] { $count } membre banni
   *[other] { $count } membres bannis
} ; chacun a un cas.
massban-failed = { $count } n’ont pas pu être bannis (déjà partis, ou hors de portée de Steward).
