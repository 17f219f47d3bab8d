//! `steward doctor`: what an operator checks before going live, one line each, with what to do
//! when something is wrong. This module holds the report and the pure judgements (intents from
//! the application's flags, the role order); `discord::doctor` asks Discord, `cli` asks the
//! configuration, the database and the charter. Operator-facing, so in English like the rest of
//! the command line.

use std::fmt;

/// Application flag: the Server Members intent is enabled (a verified bot's, then an
/// unverified one's).
pub const GATEWAY_GUILD_MEMBERS: u64 = 1 << 14;
/// Application flag: the Server Members intent, for bots in fewer than 100 servers.
pub const GATEWAY_GUILD_MEMBERS_LIMITED: u64 = 1 << 15;
/// Application flag: the Message Content intent is enabled (verified bots).
pub const GATEWAY_MESSAGE_CONTENT: u64 = 1 << 18;
/// Application flag: the Message Content intent, for bots in fewer than 100 servers.
pub const GATEWAY_MESSAGE_CONTENT_LIMITED: u64 = 1 << 19;

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What was checked and what was found.
    pub what: String,
    /// What to do, when something is wrong; `None` when all is well.
    pub fix: Option<String>,
}

/// Every finding, in the order they were made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    /// Notes something that is fine.
    pub fn ok(&mut self, what: impl Into<String>) {
        self.findings.push(Finding {
            what: what.into(),
            fix: None,
        });
    }

    /// Notes a problem and what to do about it.
    pub fn problem(&mut self, what: impl Into<String>, fix: impl Into<String>) {
        self.findings.push(Finding {
            what: what.into(),
            fix: Some(fix.into()),
        });
    }

    /// Whether every check passed.
    pub fn all_ok(&self) -> bool {
        self.findings.iter().all(|f| f.fix.is_none())
    }

    /// Adds the findings of `other` after these.
    pub fn extend(&mut self, other: Report) {
        self.findings.extend(other.findings);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            match &finding.fix {
                None => writeln!(f, "ok       {}", finding.what)?,
                Some(fix) => writeln!(f, "PROBLEM  {} — {fix}", finding.what)?,
            }
        }
        Ok(())
    }
}

/// Judges the privileged intents Steward needs from the application's `flags`.
pub fn intents(report: &mut Report, flags: u64) {
    for (name, enabled, why) in privileged_intents(flags) {
        if enabled {
            report.ok(format!("intent: {name} enabled"));
        } else {
            report.problem(
                format!("intent: {name} is not enabled ({why})"),
                format!(
                    "turn on {name} under Bot > Privileged Gateway Intents in the developer portal"
                ),
            );
        }
    }
}

/// The privileged intents Steward needs, by their portal names: whether the application's
/// `flags` enable each, and what it is for.
pub fn privileged_intents(flags: u64) -> Vec<(&'static str, bool, &'static str)> {
    let needed = [
        (
            "Server Members Intent",
            GATEWAY_GUILD_MEMBERS | GATEWAY_GUILD_MEMBERS_LIMITED,
            "joins, leaves and roles",
        ),
        (
            "Message Content Intent",
            GATEWAY_MESSAGE_CONTENT | GATEWAY_MESSAGE_CONTENT_LIMITED,
            "reading messages to moderate them",
        ),
    ];
    needed
        .into_iter()
        .map(|(name, bits, why)| (name, flags & bits != 0, why))
        .collect()
}

/// A role of a server, for the role-order check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleFacts {
    pub name: String,
    pub position: u16,
    /// How many of the members read hold it.
    pub members: usize,
}

/// The roles held by members that Steward cannot act on: at or above Steward's highest role.
pub fn roles_out_of_reach(bot_top: u16, roles: &[RoleFacts]) -> Vec<&RoleFacts> {
    let mut above: Vec<&RoleFacts> = roles
        .iter()
        .filter(|r| r.members > 0 && r.position >= bot_top)
        .collect();
    above.sort_by_key(|r| std::cmp::Reverse(r.position));
    above
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_intents_are_problems_with_a_fix() {
        let mut report = Report::default();
        intents(&mut report, GATEWAY_GUILD_MEMBERS_LIMITED);
        assert!(!report.all_ok());
        let text = report.to_string();
        assert!(
            text.contains("ok       intent: Server Members Intent enabled"),
            "{text}"
        );
        assert!(
            text.contains("PROBLEM  intent: Message Content Intent is not enabled"),
            "{text}"
        );
        let mut report = Report::default();
        intents(
            &mut report,
            GATEWAY_GUILD_MEMBERS | GATEWAY_MESSAGE_CONTENT_LIMITED,
        );
        assert!(report.all_ok(), "{report}");
    }

    #[test]
    fn roles_at_or_above_the_bot_that_members_hold_are_out_of_reach() {
        let role = |name: &str, position, members| RoleFacts {
            name: name.into(),
            position,
            members,
        };
        let roles = [
            role("Admins", 5, 2),
            role("Steward", 3, 0),
            role("Empty", 4, 0),
            role("Members", 1, 40),
        ];
        let names: Vec<&str> = roles_out_of_reach(3, &roles)
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(names, ["Admins"]);
    }
}
