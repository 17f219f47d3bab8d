# Used by the catalogue's own tests.
test-greeting = Hello { $name }, { $count ->
    [one] { $count } new message
   *[other] { $count } new messages
}
