# Referrals (parrainage): what members and moderators are told about the members they brought.
referral-job-qualify = count the referral of { $user }'s join
referral-tier-reached = 🎉 { $member } has brought { $count } members who stayed: welcome to **{ $role }**!
referral-invite = Your personal invite: { $url }
    Members who join through it and stay are counted as your referrals.
referral-invite-failed = Steward could not create an invite here (it needs the Create Invite permission in the welcome channel). A moderator has to fix that.
referral-me = You brought **{ $qualified }** members who stayed, and **{ $pending }** still settling in.
referral-me-tier = Your tier: **{ $role }**.
referral-me-next = { $missing } more to reach **{ $role }**.
referral-me-rule = A referral counts when the newcomer stays { $days } days and posts { $messages } messages without a sanction.
referral-top-none = No referral has counted in this period yet.
referral-top-title = **Top referrers** (members brought who stayed)
referral-member-none = { $member } has brought no one yet (through an invite Steward could attribute).
referral-member-title = **Joins attributed to { $member }** ({ $count })
referral-confidence-exact = exact
referral-confidence-ambiguous = ambiguous
referral-confidence-vanity = vanity URL
referral-confidence-unknown = unknown
referral-status-qualified = counted
referral-status-pending = waiting
referral-status-lapsed = not counted ({ $why ->
        [left] left before qualifying
        [sanctioned] sanctioned
       *[inactive] inactive
    })
referral-status-rejoin = rejoin, not counted
referral-status-none = not counted
