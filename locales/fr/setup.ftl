# /setup : la configuration enregistrée, telle que la lit celui qui l'a faite.
setup-saved =
    Configuration enregistrée.
    mod-log : { $mod_log }
    examen : { $review }
    accueil : { $welcome }
    stats : { $stats }
    rôles modérateurs : { $roles }
    langue : { $language }
