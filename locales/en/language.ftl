# The language, in its own words (the choice in /setup language).
language-name = English
