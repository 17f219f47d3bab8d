# L'acceptation de la charte : les nouveaux membres la lisent et l'acceptent.
acceptance-gate-newcomer = Bienvenue { $member } ! Lis la { $charter } et accepte-la pour participer.
acceptance-gate-everyone = La { $charter } a changé : lisez-la et acceptez-la pour continuer à participer.
acceptance-read-button = Lire la charte
acceptance-accept-button = J'accepte
acceptance-version = Version { $version }
acceptance-accepted = Merci : tu as accepté la charte (version { $version }).
acceptance-not-asked = Ce serveur ne demande pas d'accepter sa charte.
acceptance-already = Tu as déjà accepté cette version de la charte ({ $at }).
acceptance-outdated = La charte a changé depuis cet affichage : appuie de nouveau sur « Lire la charte » pour lire la nouvelle version.
acceptance-kick-reason = N'a pas accepté la charte à temps.
acceptance-job-remind = rappeler à { $user } d'accepter la charte
acceptance-job-deadline = retirer { $user } s'il n'a pas accepté la charte
acceptance-asked = L'invitation à lire la charte est publiée : les membres acceptent la version { $version } avec son bouton.
acceptance-of = { $member } a accepté la version { $version } le { $at }.
acceptance-of-outdated = { $member } a accepté la version { $version } le { $at } ; la charte en est à la version { $current }.
acceptance-of-none = { $member } n'a pas accepté la charte.
