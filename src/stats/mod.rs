//! Statistics and the community's weekly and monthly reports (pure: no I/O, no clock). The
//! store reads a period's counts into [`PeriodFacts`]; [`report::build`] turns them into a
//! [`Report`] in the server's time zone ([`period`]); [`charts`] draws it as PNG pictures and
//! [`export`] writes it as CSV and as one self-contained HTML page.
//!
//! Privacy: nothing here or in the counters holds message content; members who opted out of
//! rankings are counted in totals and never named.

pub mod charts;
pub mod export;
pub mod facts;
pub mod period;
pub mod report;
pub mod schedule;
pub mod wording;

#[cfg(test)]
mod tests;

pub use facts::{PeriodFacts, ReportFacts};
pub use period::Period;
pub use report::Report;
