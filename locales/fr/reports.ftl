# « Signaler aux modérateurs » : le formulaire et ce qui est dit à qui signale.
report-limited = Vous avez fait { $count } signalements en { $minutes } minutes : réessayez plus tard.
report-modal-title = Signaler aux modérateurs
report-reason-label = Pourquoi ce message pose problème ?
report-gone = Ce message n'existe plus.
report-thanks = Merci : les modérateurs vont examiner ce message. Son auteur ne saura pas qui l'a signalé.
