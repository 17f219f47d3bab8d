//! `/lockdown`, planned (pure): in a crisis, posting in chosen channels is frozen by an overwrite
//! for `@everyone` that denies sending, threads and reactions, and the overwrite the channel had
//! before is kept, so that lifting the lockdown puts back exactly what was there (or nothing, if
//! there was no overwrite). Permissions are Discord's bit values.

use crate::ids::ChannelId;

/// Send messages.
pub const SEND_MESSAGES: u64 = 1 << 11;
/// Add reactions.
pub const ADD_REACTIONS: u64 = 1 << 6;
/// Create public threads.
pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
/// Create private threads.
pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
/// Send messages in threads.
pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;

/// What a lockdown denies to `@everyone`.
pub const FROZEN: u64 = SEND_MESSAGES
    | ADD_REACTIONS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | SEND_MESSAGES_IN_THREADS;

/// A permission overwrite: the bits it allows and denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overwrite {
    pub allow: u64,
    pub deny: u64,
}

/// A channel's `@everyone` overwrite before its lockdown (`None`: it had none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locked {
    pub channel: ChannelId,
    pub before: Option<Overwrite>,
}

/// The overwrite that freezes a channel whose `@everyone` overwrite is `before`: what it
/// allowed stays allowed except posting, what it denied stays denied, and posting is denied.
pub fn frozen(before: Option<Overwrite>) -> Overwrite {
    let before = before.unwrap_or(Overwrite { allow: 0, deny: 0 });
    Overwrite {
        allow: before.allow & !FROZEN,
        deny: before.deny | FROZEN,
    }
}

/// What lifting a lockdown does to a channel: put its overwrite back, or remove the one the
/// lockdown added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restore {
    Put(Overwrite),
    Remove,
}

/// How `locked` is restored.
pub fn restore(locked: &Locked) -> Restore {
    match locked.before {
        Some(overwrite) => Restore::Put(overwrite),
        None => Restore::Remove,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW_CHANNEL: u64 = 1 << 10;
    const ATTACH_FILES: u64 = 1 << 15;

    #[test]
    fn a_lockdown_denies_posting_and_keeps_the_rest_of_the_overwrite() {
        let before = Overwrite {
            allow: VIEW_CHANNEL | SEND_MESSAGES,
            deny: ATTACH_FILES,
        };
        let locked = frozen(Some(before));
        assert_eq!(locked.allow, VIEW_CHANNEL);
        assert_eq!(locked.deny, ATTACH_FILES | FROZEN);
        assert_eq!(
            frozen(None),
            Overwrite {
                allow: 0,
                deny: FROZEN
            }
        );
    }

    #[test]
    fn lifting_it_puts_back_exactly_what_was_there() {
        let before = Overwrite {
            allow: VIEW_CHANNEL,
            deny: ATTACH_FILES,
        };
        let channel = ChannelId(1);
        assert_eq!(
            restore(&Locked {
                channel,
                before: Some(before)
            }),
            Restore::Put(before)
        );
        assert_eq!(
            restore(&Locked {
                channel,
                before: None
            }),
            Restore::Remove
        );
    }
}
