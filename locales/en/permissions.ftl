# Discord permissions, by the names Discord shows (refusals, notices, poise's errors).
permission-administrator = Administrator
permission-manage-guild = Manage Server
permission-manage-messages = Manage Messages
permission-moderate-members = Timeout Members
permission-kick-members = Kick Members
permission-ban-members = Ban Members
permission-manage-webhooks = Manage Webhooks
permission-manage-roles = Manage Roles
permission-create-invite = Create Invite
