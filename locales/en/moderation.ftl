# Automatic moderation: what a case records and what a member is told.
automod-case-reason = { $rule } — section { $section }: { $section_title }
automod-escalation-note = escalation: { $points } points
automod-dm-default = Your message in { $channel } breaks section { $section } of the charter ({ $section_title }): { $rule }.
