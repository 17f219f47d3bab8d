//! Referral attribution: which invite brought a newcomer, found by comparing the server's invite
//! use counts before and after their join, with an honest [`Confidence`]. Discord does not say
//! which invite a member used; the use counts are the only evidence, so when two invites rose
//! together the joins are marked ambiguous, never guessed.
//!
//! Joins close together share one look at the invites (the adapter fetches them once for a
//! burst): [`attribute`] takes every join seen since the last look and the invites now, and
//! returns one attribution per join plus the snapshot to compare the next joins against.

use std::collections::BTreeMap;

use crate::ids::UserId;

/// One invite as Discord lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteFacts {
    pub code: String,
    /// Who created it (`None` for invites made by widgets or integrations).
    pub inviter: Option<UserId>,
    pub uses: u64,
    /// 0 for unlimited.
    pub max_uses: u64,
}

/// The invites of a server at one moment, by code, and the vanity URL's use count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InviteSnapshot {
    pub invites: BTreeMap<String, InviteFacts>,
    /// The vanity URL's use count, when the server has one and Steward may read it.
    pub vanity_uses: Option<u64>,
}

impl InviteSnapshot {
    /// A snapshot of `invites` and the vanity URL's use count.
    pub fn new(invites: impl IntoIterator<Item = InviteFacts>, vanity_uses: Option<u64>) -> Self {
        InviteSnapshot {
            invites: invites.into_iter().map(|i| (i.code.clone(), i)).collect(),
            vanity_uses,
        }
    }

    /// Records an invite created since the snapshot (INVITE_CREATE), with its use count. (A
    /// deleted invite stays until the next comparison: a one-use invite is deleted by Discord when
    /// it is used, and its disappearance is the evidence.)
    pub fn created(&mut self, invite: InviteFacts) {
        self.invites.insert(invite.code.clone(), invite);
    }
}

/// How sure an attribution is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// One invite's use count rose by exactly the joins seen (or one one-use invite vanished).
    Exact,
    /// Several invites rose at once: any of them may have brought the member.
    Ambiguous,
    /// The vanity URL's use count rose and nothing else did.
    Vanity,
    /// Nothing rose (server discovery, an invite Steward could not see, no permission to look).
    Unknown,
}

impl Confidence {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Exact => "exact",
            Confidence::Ambiguous => "ambiguous",
            Confidence::Vanity => "vanity",
            Confidence::Unknown => "unknown",
        }
    }

    /// Read back from storage (anything unrecognised is unknown).
    pub fn parse(text: &str) -> Confidence {
        match text {
            "exact" => Confidence::Exact,
            "ambiguous" => Confidence::Ambiguous,
            "vanity" => Confidence::Vanity,
            _ => Confidence::Unknown,
        }
    }
}

/// Which invite brought one newcomer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    pub confidence: Confidence,
    /// The invite, when exact.
    pub code: Option<String>,
    /// Its creator, when exact.
    pub inviter: Option<UserId>,
    /// The invites that may have been used, when ambiguous (codes, sorted).
    pub candidates: Vec<String>,
}

impl Attribution {
    /// Nothing known.
    pub fn unknown() -> Attribution {
        Attribution {
            confidence: Confidence::Unknown,
            code: None,
            inviter: None,
            candidates: Vec::new(),
        }
    }
}

/// What rose between two snapshots (only these few are copied out of them).
enum Rise {
    Invite {
        code: String,
        inviter: Option<UserId>,
        rose: u64,
    },
    /// A limited invite that was one use from its limit and is gone: used up.
    UsedUp {
        code: String,
        inviter: Option<UserId>,
    },
    Vanity(u64),
}

impl Rise {
    fn candidate(&self) -> String {
        match self {
            Rise::Invite { code, .. } | Rise::UsedUp { code, .. } => code.clone(),
            Rise::Vanity(_) => "vanity".to_string(),
        }
    }
}

fn exact(code: &str, inviter: Option<UserId>) -> Attribution {
    Attribution {
        confidence: Confidence::Exact,
        code: Some(code.to_string()),
        inviter,
        candidates: Vec::new(),
    }
}

/// Compares two snapshots in one walk over both (their invites are sorted by code).
fn rises(before: &InviteSnapshot, now: &InviteSnapshot) -> Vec<Rise> {
    let used_up = |gone: &InviteFacts| gone.max_uses > 0 && gone.uses + 1 >= gone.max_uses;
    let mut rises = Vec::new();
    let mut earlier = before.invites.values().peekable();
    for invite in now.invites.values() {
        while let Some(gone) = earlier.next_if(|b| b.code < invite.code) {
            if used_up(gone) {
                rises.push(Rise::UsedUp {
                    code: gone.code.clone(),
                    inviter: gone.inviter,
                });
            }
        }
        let was = earlier
            .next_if(|b| b.code == invite.code)
            .map_or(0, |b| b.uses);
        if invite.uses > was {
            rises.push(Rise::Invite {
                code: invite.code.clone(),
                inviter: invite.inviter,
                rose: invite.uses - was,
            });
        }
    }
    for gone in earlier.filter(|g| used_up(g)) {
        rises.push(Rise::UsedUp {
            code: gone.code.clone(),
            inviter: gone.inviter,
        });
    }
    if let (Some(was), Some(is)) = (before.vanity_uses, now.vanity_uses)
        && is > was
    {
        rises.push(Rise::Vanity(is - was));
    }
    rises
}

/// Attributes `joins` newcomers who joined after `before` was taken and before `now` was, in
/// join order; returns their attributions and the snapshot the next joins compare against
/// (`now`, kept).
///
/// When one invite rose by more than `joins` (members whose join events have not arrived yet),
/// only `joins` uses are consumed: the rest stays for the joins still to come.
pub fn attribute(
    before: &InviteSnapshot,
    mut now: InviteSnapshot,
    joins: usize,
) -> (Vec<Attribution>, InviteSnapshot) {
    let rises = rises(before, &now);
    let attributions = match rises.as_slice() {
        [] => vec![Attribution::unknown(); joins],
        [
            Rise::Invite {
                code,
                inviter,
                rose,
            },
        ] if *rose as usize >= joins => {
            // Leave the surplus for the joins whose events are still on their way.
            if let Some(entry) = now.invites.get_mut(code) {
                entry.uses -= *rose - joins as u64;
            }
            vec![exact(code, *inviter); joins]
        }
        [Rise::UsedUp { code, inviter }] if joins == 1 => vec![exact(code, *inviter)],
        [Rise::Vanity(rose)] if (*rose as usize) >= joins => {
            let vanity = Attribution {
                confidence: Confidence::Vanity,
                ..Attribution::unknown()
            };
            vec![vanity; joins]
        }
        _ => vec![ambiguous(&rises); joins],
    };
    (attributions, now)
}

fn ambiguous(rises: &[Rise]) -> Attribution {
    let mut candidates: Vec<String> = rises.iter().map(Rise::candidate).collect();
    candidates.sort();
    Attribution {
        confidence: Confidence::Ambiguous,
        candidates,
        ..Attribution::unknown()
    }
}

#[cfg(test)]
#[path = "referrals_tests.rs"]
mod tests;
