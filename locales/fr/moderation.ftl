# Modération automatique : ce qu'un cas enregistre et ce qui est dit au membre.
automod-case-reason = { $rule } — article { $section }: { $section_title }
automod-escalation-note = escalade : { $points } points
automod-dm-default = Votre message dans { $channel } enfreint l'article { $section } de la charte ({ $section_title }) : { $rule }.
