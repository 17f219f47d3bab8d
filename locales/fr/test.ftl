# Utilisé par les tests du catalogue.
test-greeting = Bonjour { $name }, { $count ->
    [one] { $count } nouveau message
   *[other] { $count } nouveaux messages
}
