# What a member is told when a command cannot run: refusals (UserError) and the framework's own
# errors. Never internal details.
error-guild-only = This command only works in a server.
error-dm-only = This command only works in private messages.
error-nsfw-only = This command only works in an age-restricted channel.
error-owner-only = Only the bot's owners may use this command.
error-moderators-only = For moderators only.
error-admins-only = For administrators only (Manage Server).
error-no-case = No case #{ $number }.
error-no-item = No item #{ $id }.
error-no-section = The charter has no section { $number }.
error-invalid-duration = Invalid duration "{ $text }": write a number and a unit (s, m, h, d, w), such as 10m, 1h30m or 7d.
error-missing-permissions = You lack permissions for `/{ $command }`: { $permissions }.
error-permissions-unknown = Your permissions for `/{ $command }` could not be checked; nothing was done.
error-bot-missing-permissions = Steward lacks permissions for this command: { $permissions }.
error-cooldown = You are too fast: wait { $seconds } seconds before trying again.
error-argument = This value could not be read: `{ $input }`.
error-argument-missing = An option of this command could not be read.
error-subcommand-required = Choose one of: { $subcommands }.
error-check-failed = You may not use this command here.
error-outdated = This command has just changed: try again in a minute.
error-internal = Something went wrong; nothing was done. The error is in Steward's logs.
# Permission names in refusals.
error-unknown-language = Steward does not speak “{ $code }”. Languages: { $known }. Nothing was changed.
