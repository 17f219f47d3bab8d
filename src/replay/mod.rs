//! Backtesting a charter on past messages.
