# Polls: refusals of /poll create, answers to votes, the poll message, the results.
poll-refusal-empty-question = The question is empty.
poll-refusal-question-too-long = The question is too long ({ $max } characters at most).
poll-refusal-too-few-options = A poll needs at least { $min } options, separated by `;` (Yes; No).
poll-refusal-too-many-options = { $count } options is too many: { $max } at most.
poll-refusal-option-too-long = The option “{ $option }” is too long ({ $max } characters at most).
poll-refusal-duplicate-option = The option “{ $option }” is given twice.
poll-refusal-too-short = A poll stays open for { $min } at least.
poll-refusal-too-long = A poll stays open for { $max } at most.
poll-refusal-native-extras = A native Discord poll has none of Steward's extras: leave anonymous, hidden, role and multiple unset.
poll-refusal-native-hours = A native Discord poll lasts a whole number of hours (1h to 32d).
poll-vote-closed = This poll is closed.
poll-vote-role-required = This poll is open to members with { $role } only.
poll-vote-invalid = That choice is not one of this poll's options.
poll-vote-anonymous-final = You already voted in this anonymous poll; an anonymous vote is final, since nobody keeps what you chose.
poll-vote-recorded = Your vote is recorded: { $choice }.
poll-vote-changed = Your vote is changed to: { $choice }. It counts once.
poll-unknown = There is no poll #{ $id } in this server.
poll-voters = { $count ->
    [one] 1 voter
   *[other] { $count } voters
}
poll-closes = Closes { $when }
poll-closed-at = Closed { $when }
poll-mode-single = One choice
poll-mode-multiple = Several choices
poll-mode-anonymous = anonymous: nobody can see who voted for what; a vote is final
poll-mode-public = public: moderators can see who voted for what; you may change your vote
poll-mode-hidden = Results are shown when the poll closes.
poll-mode-role = Open to { $role }
poll-select-placeholder = Choose…
poll-footer = Poll #{ $id }
poll-results-title = Results of poll #{ $id }: { $question }
poll-results-line = { $bar } **{ $option }** — { $votes } · { $percent } %
poll-results-nobody = Nobody voted.
poll-results-no-csv = Anonymous poll: who voted for what is not stored, so there is no list of votes.
poll-chart-caption = { $votes } · { $percent } %
poll-created = Poll #{ $id } is posted; it closes { $when }.
poll-closed-now = Poll #{ $id } is closed; its results are posted.
poll-already-closed = Poll #{ $id } is already closed.
poll-not-posted = Poll #{ $id } could not be posted in this channel, so it is withdrawn: { $error }
