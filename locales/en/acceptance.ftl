# The charter gate: newcomers read the charter and accept it.
acceptance-gate-newcomer = Welcome { $member }! Read the { $charter } and accept it to take part.
acceptance-gate-everyone = The { $charter } has changed: read it and accept it to keep taking part.
acceptance-read-button = Read the charter
acceptance-accept-button = I accept
acceptance-version = Version { $version }
acceptance-accepted = Thank you: you accepted the charter (version { $version }).
acceptance-not-asked = This server does not ask members to accept its charter.
acceptance-already = You already accepted this version of the charter ({ $at }).
acceptance-outdated = The charter changed since this was shown: press "Read the charter" again to read the new version.
acceptance-kick-reason = Did not accept the charter in time.
acceptance-job-remind = remind { $user } to accept the charter
acceptance-job-deadline = remove { $user } if they have not accepted the charter
acceptance-asked = The charter's invitation is posted: members accept version { $version } with its button.
acceptance-of = { $member } accepted version { $version } on { $at }.
acceptance-of-outdated = { $member } accepted version { $version } on { $at }; the charter is now at version { $current }.
acceptance-of-none = { $member } has not accepted the charter.
