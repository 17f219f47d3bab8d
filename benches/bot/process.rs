//! Steward, the process: started pinned to its core, read through /proc and its metrics endpoint, waited for.

use super::*;

/// `steward run`, killed when dropped; its output goes to a file.
pub(crate) struct Bot {
    pub(crate) child: Child,
    pub(crate) pid: u32,
    pub(crate) log: PathBuf,
}

impl Bot {
    pub(crate) fn start(
        taskset: Option<&Path>,
        fake: &FakeDiscord,
        database: &str,
        rules: &Path,
        metrics: SocketAddr,
        dir: &Path,
    ) -> Bot {
        let steward = env!("CARGO_BIN_EXE_steward");
        let mut command = match taskset {
            Some(taskset) => {
                let mut command = Command::new(taskset);
                command.args(["-c", &BOT_CORE.to_string(), steward]);
                command
            }
            None => Command::new(steward),
        };
        let log = dir.join("steward.log");
        let out = std::fs::File::create(&log).expect("a log file");
        let err = out.try_clone().expect("a log file");
        let child = command
            .arg("run")
            .current_dir(dir)
            .env_clear()
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", fake.base_url())
            .env("DATABASE_URL", database)
            .env("RULES_DIR", rules)
            .env("METRICS_ADDR", metrics.to_string())
            .env("LOG_LEVEL", log_level())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("steward starts");
        // taskset execs steward: same process.
        let pid = child.id();
        Bot { child, pid, log }
    }

    pub(crate) fn log_summary(&self) -> LogSummary {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut summary = LogSummary::default();
        for line in text.lines() {
            summary.lines += 1;
            let warning = line.contains(" WARN ");
            let error = line.contains(" ERROR ");
            summary.warnings += usize::from(warning);
            summary.errors += usize::from(error);
            if (warning || error) && summary.first_problem.is_none() {
                summary.first_problem = Some(line.chars().take(300).collect());
            }
        }
        summary
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Default)]
pub(crate) struct LogSummary {
    pub(crate) lines: usize,
    pub(crate) warnings: usize,
    pub(crate) errors: usize,
    pub(crate) first_problem: Option<String>,
}

/// Steward's `LOG_LEVEL`: this process's own, else `info` (Steward's default).
pub(crate) fn log_level() -> String {
    std::env::var("LOG_LEVEL").unwrap_or_else(|_| "info".to_string())
}

pub(crate) fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Pins every thread of this process to `core`.
pub(crate) fn pin_self(taskset: &Path, core: usize) -> bool {
    Command::new(taskset)
        .args([
            "-a",
            "-p",
            "-c",
            &core.to_string(),
            &std::process::id().to_string(),
        ])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub(crate) fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address")
}

/// `VmRSS` of process `pid`, in KiB.
pub(crate) fn rss_kib(pid: u32) -> Option<u64> {
    status_field(pid, "VmRSS:")
}

/// `VmHWM` (peak RSS) of process `pid`, in KiB.
pub(crate) fn peak_kib(pid: u32) -> Option<u64> {
    status_field(pid, "VmHWM:")
}

pub(crate) fn status_field(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// User + system CPU time of process `pid` (every thread), from `/proc/<pid>/stat`.
pub(crate) fn cpu_time(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    // The command name (field 2) may hold spaces: count from the ')' that ends it.
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After ')': state is field 3, utime field 14, stime field 15.
    let ticks = |n: usize| {
        fields
            .get(n - 3)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((ticks(14) + ticks(15)) * 1000 / clock_ticks())
}

pub(crate) fn clock_ticks() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .filter(|&t| t > 0)
            .unwrap_or(100)
    })
}

// ---- Steward, seen from outside ----

/// `steward_messages_judged_total` from Steward's `/metrics` (0 before the first message);
/// `None` when it does not answer.
pub(crate) async fn judged(addr: SocketAddr) -> Option<u64> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).await.ok()?;
    if !text.starts_with("HTTP/1.") || !text.contains(" 200 ") {
        return None;
    }
    let value = text
        .lines()
        .find_map(|l| l.strip_prefix("steward_messages_judged_total "))
        .map_or(Some(0.0), |v| v.trim().parse::<f64>().ok())?;
    Some(value as u64)
}

/// Polls the counter every 10 ms until it reaches `target`; `None` after `patience`.
pub(crate) async fn wait_judged(addr: SocketAddr, target: u64, patience: Duration) -> Option<u64> {
    let deadline = Instant::now() + patience;
    loop {
        if let Some(n) = judged(addr).await
            && n >= target
        {
            return Some(n);
        }
        if Instant::now() > deadline {
            eprintln!("gave up waiting for {target} judged messages");
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub(crate) async fn wait_for_commands(fake: &FakeDiscord, mark: usize, patience: Duration) {
    let registered =
        |r: &fake_discord::Recorded| r.index >= mark && r.is("PUT", "/applications/{a}/commands");
    fake.wait_for(registered, patience).await;
}

/// Waits until `count` message DELETEs, DMs and mod-log posts arrived since request `mark`;
/// `false` after `patience`.
pub(crate) async fn wait_actions(
    fake: &FakeDiscord,
    mark: usize,
    count: usize,
    patience: Duration,
) -> bool {
    let deadline = Instant::now() + patience;
    loop {
        let (deletes, dms, posts, _) = requests_since(fake, mark);
        if deletes >= count && dms >= count && posts >= count {
            return true;
        }
        if Instant::now() > deadline {
            eprintln!(
                "gave up waiting for {count} deletes, DMs and mod-log posts \
                 ({deletes}, {dms} and {posts} came)"
            );
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits (at most 30 s) until Steward uses less than 2 % of a core over half a second.
pub(crate) async fn wait_idle(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = cpu_time(pid);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = cpu_time(pid);
        if now.saturating_sub(last) < Duration::from_millis(10) {
            return;
        }
        last = now;
    }
}

/// (message DELETEs, DMs sent, mod-log posts, other requests) since request `mark`.
pub(crate) fn requests_since(fake: &FakeDiscord, mark: usize) -> (usize, usize, usize, usize) {
    let world = fake.world();
    let guild = world.guild();
    let (mut deletes, mut dms, mut posts, mut other) = (0, 0, 0, 0);
    for request in fake.requests().iter().filter(|r| r.index >= mark) {
        if request.is("DELETE", "/channels/{c}/messages/{m}") {
            deletes += 1;
        } else if request.is("POST", "/users/@me/channels") {
            // Opening the DM channel belongs with the DM.
        } else if request.is("POST", "/channels/{c}/messages") {
            let channel: u64 = request
                .path
                .split('/')
                .nth(4)
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            if channel == ids::MOD_LOG {
                posts += 1;
            } else if guild.channel_by_id(channel).is_none() {
                dms += 1;
            } else {
                other += 1;
            }
        } else {
            other += 1;
        }
    }
    (deletes, dms, posts, other)
}

// ---- The world and the data ----
