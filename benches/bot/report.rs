//! The figures gathered along the way, and their tables.

use super::*;

/// Figures gathered along the way.
#[derive(Default)]
pub(crate) struct Report {
    pub(crate) rss_connected: Option<u64>,
    pub(crate) rss_members: Option<u64>,
    pub(crate) rss_after_clean: Option<u64>,
    pub(crate) rss_after_offending: Option<u64>,
    pub(crate) rss_end: Option<u64>,
    pub(crate) rss_peak: Option<u64>,
    pub(crate) rss_members_anon: Option<u64>,
    pub(crate) rss_members_file: Option<u64>,
    /// serenity's cache alone (in this process) with 100,000 members: heap bytes with the global
    /// user map, without.
    pub(crate) cache_heap: (usize, usize),
    pub(crate) chunks: usize,
    pub(crate) chunk_mib: f64,
    pub(crate) chunks_handled: Option<Duration>,
    pub(crate) frame_bytes: usize,
    pub(crate) clean: Option<Throughput>,
    pub(crate) offending: Option<Throughput>,
    pub(crate) steady: Option<Steady>,
    pub(crate) fake_alone: Option<f64>,
    pub(crate) unknown_routes: usize,
    pub(crate) log: LogSummary,
}

impl Report {
    pub(crate) fn print(&self, plan: &Plan, full: bool, source: &str) {
        let mib = |kib: Option<u64>| {
            kib.map_or("?".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
        };
        println!();
        println!(
            "Whole bot, end to end ({}; {} members, {} events a burst, texts: {source})",
            if full {
                "full run"
            } else {
                "small run, debug build"
            },
            plan.members,
            plan.burst
        );
        println!();
        println!("| run | events | events/s | Steward CPU | µs CPU/event | fake CPU | actions |");
        println!("|---|---:|---:|---:|---:|---:|---|");
        for (name, run) in [("clean", &self.clean), ("1 % offending", &self.offending)] {
            let Some(run) = run else { continue };
            let rate = run.elapsed.map_or("timed out".to_string(), |e| {
                thousands(run.events as f64 / e.as_secs_f64())
            });
            let busy = run
                .elapsed
                .map_or(0.0, |e| run.bot_cpu.as_secs_f64() / e.as_secs_f64());
            let actions = if run.offending == 0 {
                format!("{} requests", run.other_requests)
            } else {
                format!(
                    "{}/{} deleted, {} DMs, {} mod-log posts, {} other requests; all in after {}",
                    run.deletes,
                    run.offending,
                    run.dms,
                    run.mod_log_posts,
                    run.other_requests,
                    run.actions_done
                        .map_or("?".to_string(), |d| format!("{:.2?}", d))
                )
            };
            println!(
                "| {name} | {} | {rate} | {:.2} s ({:.0} % of a core) | {:.1} | {:.2} s | {actions} |",
                thousands(run.events as f64),
                run.bot_cpu.as_secs_f64(),
                busy * 100.0,
                run.bot_cpu.as_secs_f64() * 1e6 / run.events as f64,
                run.fake_cpu.as_secs_f64(),
            );
        }
        if let Some(rate) = self.fake_alone {
            println!(
                "| the fake alone, to a client that only reads | {} | {} | | | | |",
                thousands(self.clean.as_ref().map_or(0, |c| c.events) as f64),
                thousands(rate)
            );
        }
        println!(
            "(MESSAGE_CREATE payloads: {} bytes on average)",
            self.frame_bytes
        );
        println!();
        if let Some(steady) = &self.steady {
            let l = &steady.latencies;
            let ms = |d: Option<&Duration>| {
                d.map_or("?".to_string(), |d| {
                    format!("{:.2} ms", d.as_secs_f64() * 1e3)
                })
            };
            println!(
                "Latency at {} events/s ({} events in {:.2?}, 1 % offending; Steward CPU {:.0} % of a core):",
                plan.steady_rate,
                steady.events,
                steady.sending,
                steady.bot_cpu.as_secs_f64() / steady.sending.as_secs_f64() * 100.0
            );
            println!("| offending sent → DELETE received | p50 | p90 | p99 | max | samples |");
            println!("|---|---:|---:|---:|---:|---:|");
            println!(
                "| | {} | {} | {} | {} | {}/{} |",
                ms(percentile(l, 0.50)),
                ms(percentile(l, 0.90)),
                ms(percentile(l, 0.99)),
                ms(l.last()),
                l.len(),
                steady.offending
            );
            let slowest: Vec<String> = steady
                .slowest
                .iter()
                .map(|(latency, sent)| {
                    format!(
                        "{} (sent at +{:.1} s)",
                        ms(Some(latency)),
                        sent.as_secs_f64()
                    )
                })
                .collect();
            println!("Slowest: {}", slowest.join(", "));
            let flushes: Vec<String> = steady
                .flushes
                .iter()
                .map(|(at, n)| {
                    format!(
                        "+{:.1} s ({} messages)",
                        at.as_secs_f64(),
                        thousands(*n as f64)
                    )
                })
                .collect();
            println!(
                "Activity flushes written during the run (seen within 100 ms): {}",
                if flushes.is_empty() {
                    "none".to_string()
                } else {
                    flushes.join(", ")
                }
            );
            println!();
        }
        println!("Memory (Steward's VmRSS):");
        println!("| when | RSS |");
        println!("|---|---:|");
        println!(
            "| connected, guild of 4 members | {} |",
            mib(self.rss_connected)
        );
        println!(
            "| after {} GUILD_MEMBERS_CHUNK ({} members, {:.1} MiB of JSON; handled in {}) | {} |",
            self.chunks,
            plan.members,
            self.chunk_mib,
            self.chunks_handled
                .map_or("?".to_string(), |d| format!("{d:.2?}")),
            mib(self.rss_members)
        );
        println!(
            "| of which anonymous / file-backed (the binary's pages) | {} / {} |",
            mib(self.rss_members_anon),
            mib(self.rss_members_file)
        );
        println!("| after the clean burst | {} |", mib(self.rss_after_clean));
        println!(
            "| after the 1 % burst | {} |",
            mib(self.rss_after_offending)
        );
        println!(
            "| at the end | {} (peak {}) |",
            mib(self.rss_end),
            mib(self.rss_peak)
        );
        let (with_users, without) = self.cache_heap;
        println!(
            "serenity's cache alone with these {} members (heap, in this process): {:.1} MiB with \
             the global user map (serenity's default), {:.1} MiB without it (Steward's setting)",
            plan.members,
            with_users as f64 / 1_048_576.0,
            without as f64 / 1_048_576.0
        );
        println!();
        println!(
            "Steward's log: {} lines, {} warnings, {} errors{}; unknown routes: {}",
            self.log.lines,
            self.log.warnings,
            self.log.errors,
            self.log
                .first_problem
                .as_ref()
                .map_or(String::new(), |p| format!(" (first: {p})")),
            self.unknown_routes
        );
        if full {
            let clean = self
                .clean
                .as_ref()
                .and_then(|c| c.elapsed.map(|e| c.events as f64 / e.as_secs_f64()));
            let offending = self
                .offending
                .as_ref()
                .and_then(|c| c.elapsed.map(|e| c.events as f64 / e.as_secs_f64()));
            let p99 = self
                .steady
                .as_ref()
                .and_then(|s| percentile(&s.latencies, 0.99).copied());
            let yes = |ok: Option<bool>| match ok {
                Some(true) => "yes",
                Some(false) => "no",
                None => "?",
            };
            println!();
            println!("Aims:");
            println!(
                "- >= 20,000 message events/s on one core: {} clean, {} with 1 %",
                yes(clean.map(|r| r >= 20_000.0)),
                yes(offending.map(|r| r >= 20_000.0))
            );
            println!(
                "- p99 under 20 ms at 1,000 events/s: {}",
                yes(p99.map(|p| p < Duration::from_millis(20)))
            );
            println!(
                "- under 100 MB with 100,000 cached members: {}",
                yes(self.rss_members.map(|k| k * 1024 < 100_000_000))
            );
        }
    }
}

/// Nearest rank.
pub(crate) fn percentile(sorted: &[Duration], q: f64) -> Option<&Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1)
}

pub(crate) fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
