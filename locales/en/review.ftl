# The review queue: items, buttons, decisions, what a sanction from the queue cites.
review-reported-reason = reported: { $reason }
review-item-reason = review item #{ $id }
review-restored-note = -# restored by moderators
review-title = Review #{ $id } — { $source }
review-source-hold = held
review-source-flag = flagged
review-source-report = reported
review-field-member = Member
review-field-channel = Channel
review-field-rules = Rules
review-field-attachments = Attachments
review-field-reports = Reports: { $count }
review-field-decision = Decision
review-button-approve = Approve
review-button-remove = Remove
review-button-dismiss = Dismiss
review-button-warn = Warn
review-button-timeout = Timeout { $length }
review-button-ban = Ban
review-decision-approve = approve
review-decision-remove = remove
review-decision-warn = warn
review-decision-timeout = timeout
review-decision-ban = ban
review-decision-dismiss = dismiss
review-only-moderators = Only moderators can decide.
review-already-decided = Already decided by { $by } at <t:{ $at }:f>: **{ $decision }**.
review-no-such-item = No such item.
review-not-carried-out = The item is decided, but not everything was done: { $problem }
review-message-link = message
# A recall of items waiting too long, in the review channel.
review-reminder = ⏰ Reminder: { $count ->
    [one] { $count } review item
   *[other] { $count } review items
} waiting longer than { $limit }.
