//! The community half, pure: what members take part in (polls), decided from plain data and
//! `now`, with no I/O.

pub mod poll;
pub mod poll_chart;
