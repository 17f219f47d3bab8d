//! Integration tests, one binary: the shipped charter, and the `steward` command line.

mod cli;
mod shipped_charter;
mod support;
