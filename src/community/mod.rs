//! The community half, pure (no I/O, no clock, no global RNG): what members take part in, decided
//! from plain data: polls ([`poll`], their results chart [`poll_chart`]) and giveaways' provably
//! fair draws ([`giveaway`]) with the checks of a start and of an entry ([`giveaway_checks`]);
//! which invite brought a newcomer ([`referrals`]), when that counts as a referral
//! ([`qualification`]), how newcomers are welcomed ([`welcome`]) and accept the charter
//! ([`acceptance`]); the checklist a server that was never set up gets ([`first_contact`]).

pub mod acceptance;
pub mod first_contact;
pub mod giveaway;
pub mod giveaway_checks;
pub mod poll;
pub mod poll_chart;
pub mod qualification;
pub mod referrals;
pub mod welcome;
