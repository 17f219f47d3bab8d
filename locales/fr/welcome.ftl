# Nouveaux membres : ce que Steward enregistre et applique à une arrivée.
welcome-timeout-restored = Exclusion temporaire rétablie : le membre est parti pendant son exclusion puis revenu.
welcome-job-give-roles = donner à { $user } ses rôles de bienvenue ({ $roles })
