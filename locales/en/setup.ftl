# /setup: the settings saved, as the invoker reads them.
setup-saved =
    Settings saved.
    mod-log: { $mod_log }
    review: { $review }
    welcome: { $welcome }
    stats: { $stats }
    moderator roles: { $roles }
    language: { $language }
