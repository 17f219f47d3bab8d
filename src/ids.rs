//! Discord snowflakes as the crate's own small types, so that nothing outside `discord/` needs
//! serenity's. Stored as `BIGINT` (snowflakes fit in 63 bits).

use std::fmt;

/// The first millisecond of 2015 (ms since the Unix epoch): snowflakes count time from it.
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

macro_rules! snowflake {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// The id as stored in the database.
            pub fn to_db(self) -> i64 {
                self.0 as i64
            }

            /// The id read back from the database.
            pub fn from_db(value: i64) -> Self {
                Self(value as u64)
            }

            /// When Discord created the object (ms since the Unix epoch), read from the id.
            pub fn created_at_ms(self) -> i64 {
                ((self.0 >> 22) + DISCORD_EPOCH_MS) as i64
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

snowflake! {
    /// A server.
    GuildId,
    /// A text channel or thread.
    ChannelId,
    /// A member or the bot.
    UserId,
    /// A role.
    RoleId,
    /// A message.
    MessageId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_round_trip_through_the_database_type() {
        let id = UserId(1_234_567_890_123_456_789);
        assert_eq!(UserId::from_db(id.to_db()), id);
        assert_eq!(id.to_string(), "1234567890123456789");
    }

    #[test]
    fn a_snowflake_tells_when_it_was_created() {
        // Discord's documented example: 175928847299117063 was created on 2016-04-30 11:18:25.796 UTC.
        assert_eq!(
            UserId(175_928_847_299_117_063).created_at_ms(),
            1_462_015_105_796
        );
    }
}
