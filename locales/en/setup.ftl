# /setup: the settings saved, as the invoker reads them.
setup-saved =
    Settings saved.
    mod-log: { $mod_log }
    review: { $review }
    welcome: { $welcome }
    stats: { $stats }
    moderator roles: { $roles }
    language: { $language }
first-contact-title = Steward is here: a few steps to finish setting it up
first-contact-channels = **Channels** (choose them with `/setup`):
first-contact-mod-log = mod log
first-contact-review = review queue
first-contact-welcome = welcome channel
first-contact-stats = weekly report
first-contact-channel-set = ✓ { $what }
first-contact-channel-missing = ✗ { $what }: `/setup { $option }:#channel`
first-contact-permissions-ok = ✓ Steward's role has every permission it needs.
first-contact-permissions-missing = **Permissions** Steward's role lacks: { $list }. Give them to its role in Server Settings > Roles.
first-contact-intents-missing = **Privileged intents** to turn on in the developer portal (Bot > Privileged Gateway Intents): { $list }.
first-contact-try = Read the charter with `/charter show` and try it on a text with `/charter test`.
