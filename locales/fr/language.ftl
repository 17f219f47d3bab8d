# La langue, dans ses propres mots (le choix de /setup language).
language-name = Français
