# The scheduler: what a job does, the notice of a job given up, /schedule list.
schedule-job-lift-ban = end of { $user }'s temporary ban (case #{ $case })
schedule-job-remind-review = reminder of review item #{ $item }
schedule-job-close-poll = close of poll #{ $poll }
schedule-job-unreadable = unreadable job
schedule-given-up = Scheduled job given up after { $attempts } of { $max } attempts: { $job }. Last error: { $error }
schedule-ban-ended-reason = temporary ban ended (case #{ $case })
schedule-list-empty = No scheduled jobs.
schedule-list-header = Scheduled jobs: { $total }
schedule-list-line = • { $job } — { $due }
schedule-list-attempts = { $attempts } of { $max } attempts failed
schedule-list-last-error = last error: { $error }
schedule-list-more = … and { $more } more.
