# Newcomers: what Steward records and applies when someone joins.
welcome-timeout-restored = Timeout restored: the member left while timed out and came back.
welcome-job-give-roles = give { $user } their welcome roles ({ $roles })
