//! The community half's decisions (pure: no I/O, no clock, no global RNG): giveaways' provably
//! fair draws ([`giveaway`]) and the checks of a giveaway's start and of an entry
//! ([`giveaway_checks`]).

pub mod giveaway;
pub mod giveaway_checks;
