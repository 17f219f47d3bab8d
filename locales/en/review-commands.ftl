# /review queue, /review show and /review stats.
review-cmd-queue-title = Review queue — { $total } · page { $page }/{ $pages }
review-cmd-queue-empty = The queue is empty.
review-cmd-reports = { $count ->
    [one] { $count } report
   *[other] { $count } reports
}
review-cmd-stats-title = Review statistics
review-cmd-stats-rule = `{ $rule }`: { $held } held, { $flagged } flagged, { $reported } reported — { $approved } approved, { $removed } removed, { $dismissed } dismissed, { $open } open (approval { $rate })
review-cmd-stats-none = No items yet.
review-cmd-stats-health = Open: { $open } · oldest waiting: { $oldest } · median time to decision: { $median }
