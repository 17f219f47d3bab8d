# "Report to moderators": the form and what the reporter is told.
report-limited = You made { $count } reports within { $minutes } minutes: please try again later.
report-modal-title = Report to moderators
report-reason-label = What is wrong with this message?
report-gone = This message no longer exists.
report-thanks = Thank you: moderators will look at this message. Its author will not know who reported it.
