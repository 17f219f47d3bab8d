# Parrainage : ce que les membres et les modérateurs apprennent des membres qu'ils ont amenés.
referral-job-qualify = compter le parrainage de l'arrivée de { $user }
referral-tier-reached = 🎉 { $member } a parrainé { $count } membres restés parmi nous : bienvenue parmi les **{ $role }** !
referral-invite = Ton lien d'invitation personnel : { $url }
    Les membres qui arrivent par lui et restent comptent comme tes parrainages.
referral-invite-failed = Steward n'a pas pu créer d'invitation ici (il lui faut la permission Créer une invitation dans le salon d'accueil). Un modérateur doit corriger cela.
referral-me = Tu as parrainé **{ $qualified }** membres restés parmi nous, et **{ $pending }** encore en train de s'installer.
referral-me-tier = Ton palier : **{ $role }**.
referral-me-next = Encore { $missing } pour atteindre **{ $role }**.
referral-me-rule = Un parrainage compte quand le nouveau membre reste { $days } jours et poste { $messages } messages sans sanction.
referral-top-none = Aucun parrainage n'a encore compté sur cette période.
referral-top-title = **Meilleurs parrains** (membres amenés et restés)
referral-member-none = { $member } n'a encore amené personne (par une invitation que Steward a pu attribuer).
referral-member-title = **Arrivées attribuées à { $member }** ({ $count })
referral-confidence-exact = certaine
referral-confidence-ambiguous = ambiguë
referral-confidence-vanity = URL personnalisée
referral-confidence-unknown = inconnue
referral-status-qualified = compté
referral-status-pending = en attente
referral-status-lapsed = non compté ({ $why ->
        [left] parti avant de compter
        [sanctioned] sanctionné
       *[inactive] inactif
    })
referral-status-rejoin = retour, non compté
referral-status-none = non compté
