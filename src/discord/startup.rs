//! Start-up when Discord does not answer yet (the network is not up, a proxy is restarting,
//! Discord has an outage): Steward asks for the gateway until it answers, waiting 1 s, then
//! twice as long each time up to a minute, with jitter so that many processes do not retry in
//! step, and says each time which address it tried and which variable sets it. A token Discord
//! refuses stops Steward at once: retrying cannot fix it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use rand::Rng;
use serenity::all::{Http, HttpError};
use tracing::warn;

/// The first wait after a failed attempt.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);
/// The longest wait between two attempts.
pub const MAX_RETRY: Duration = Duration::from_secs(60);

/// How waiting for Discord ended.
pub enum Reached {
    /// Discord answered: start.
    Discord,
    /// Asked to stop meanwhile.
    ShutDown,
}

/// The wait before attempt `attempt + 1` (from 0), jittered by up to a fifth either way.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    let base = FIRST_RETRY.saturating_mul(2u32.saturating_pow(attempt.min(16)));
    base.min(MAX_RETRY).mul_f64(1.0 + jitter.clamp(-0.2, 0.2))
}

/// Asks for the gateway until Discord answers, `shutdown` completes, or the token is refused.
pub async fn wait_for_discord(
    http: &Http,
    address: &str,
    mut shutdown: Pin<&mut impl Future<Output = ()>>,
) -> anyhow::Result<Reached> {
    let mut attempt = 0;
    loop {
        let error = match http.get_bot_gateway().await {
            Ok(_) => return Ok(Reached::Discord),
            Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(response)))
                if response.status_code.as_u16() == 401 =>
            {
                anyhow::bail!(
                    "Discord refused DISCORD_TOKEN (401 Unauthorized): put the bot's token there"
                );
            }
            Err(e) => e,
        };
        let delay = retry_delay(attempt, rand::rng().random_range(-0.2..=0.2));
        warn!(
            %address,
            error = %error,
            retry_in_s = delay.as_secs_f64(),
            "Discord did not answer (address set by DISCORD_API_URL); retrying"
        );
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = shutdown.as_mut() => return Ok(Reached::ShutDown),
        }
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_a_minute_with_bounded_jitter() {
        assert_eq!(retry_delay(0, 0.0), Duration::from_secs(1));
        assert_eq!(retry_delay(3, 0.0), Duration::from_secs(8));
        assert_eq!(retry_delay(40, 0.0), MAX_RETRY);
        assert_eq!(retry_delay(0, 0.5), Duration::from_millis(1200));
        assert_eq!(retry_delay(0, -0.5), Duration::from_millis(800));
    }
}
