//! The server the bench builds (members, settings, texts), Steward's flushes seen in its SQLite file, and the heap serenity's cache alone holds.

use super::*;

/// Steward's activity counters as its 30 s flush writes them (`message_activity`), read on a
/// read-only connection of its SQLite file: how the bench sees a flush happen.
pub(crate) struct Activity {
    pub(crate) pool: Option<sqlx::SqlitePool>,
}

impl Activity {
    pub(crate) async fn open(database: &str) -> Activity {
        let pool = sqlx::SqlitePool::connect(&format!("{database}?mode=ro")).await;
        Activity { pool: pool.ok() }
    }

    /// Messages counted in the database so far.
    pub(crate) async fn written(&self) -> Option<u64> {
        let pool = self.pool.as_ref()?;
        let sum: i64 =
            sqlx::query_scalar("SELECT COALESCE(SUM(messages), 0) FROM message_activity")
                .fetch_one(pool)
                .await
                .ok()?;
        u64::try_from(sum).ok()
    }

    /// Waits until `count` messages are written; `false` after `patience`.
    pub(crate) async fn wait_for(&self, count: u64, patience: Duration) -> bool {
        let deadline = Instant::now() + patience;
        while Instant::now() < deadline {
            if self.written().await.is_some_and(|n| n >= count) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        eprintln!("gave up waiting for the activity flush");
        false
    }

    /// Polls every 100 ms until aborted, pushing (time since `began`, messages written) for
    /// every flush seen.
    pub(crate) async fn watch(self, began: Instant, flushes: Arc<Mutex<Vec<(Duration, u64)>>>) {
        let mut last = self.written().await.unwrap_or(0);
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let Some(now) = self.written().await else {
                continue;
            };
            if now > last {
                flushes
                    .lock()
                    .expect("flushes")
                    .push((began.elapsed(), now - last));
                last = now;
            }
        }
    }
}

// ---- serenity's cache alone ----

/// Bytes in use on the heap of this process, counted by [`Counting`].
pub(crate) static IN_USE: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting the bytes in use (for [`cache_alone`]).
pub(crate) struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        IN_USE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        IN_USE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        IN_USE.fetch_add(new_size, Ordering::Relaxed);
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
pub(crate) static ALLOCATOR: Counting = Counting;

/// The heap a serenity cache holds once it has the bench's guild and `pool` (fed the same
/// GUILD_CREATE and GUILD_MEMBERS_CHUNK payloads, in this process): (with the global user map,
/// without it), in bytes. Run before anything else, so that nothing else allocates meanwhile.
pub(crate) fn cache_alone(pool: &[MemberSpec]) -> (usize, usize) {
    let world = world();
    let heap = |cache_users: bool| {
        let mut settings = serenity::cache::Settings::default();
        settings.max_messages = 0;
        settings.cache_users = cache_users;
        let before = IN_USE.load(Ordering::Relaxed);
        let cache = serenity::cache::Cache::new_with_settings(settings);
        let create = world.guild().to_create_json(world.bot.id);
        let mut create: GuildCreateEvent = serde_json::from_value(create).expect("GUILD_CREATE");
        cache.update(&mut create);
        drop(create);
        let count = pool.len().div_ceil(CHUNK_SIZE);
        for (i, members) in pool.chunks(CHUNK_SIZE).enumerate() {
            let chunk = members_chunk(world.guild().id, members, i, count);
            let mut chunk: GuildMembersChunkEvent =
                serde_json::from_value(chunk).expect("GUILD_MEMBERS_CHUNK");
            cache.update(&mut chunk);
        }
        let held = IN_USE.load(Ordering::Relaxed).saturating_sub(before);
        drop(cache);
        held
    };
    (heap(true), heap(false))
}

/// The default world with four more text channels and a "Regular" role.
pub(crate) fn world() -> World {
    let mut world = World::default_guild();
    let guild = world.guild_mut();
    for (i, name) in ["help", "random", "dev", "off-topic"].iter().enumerate() {
        guild.channels.push(ChannelSpec {
            position: 3 + i as u16,
            ..ChannelSpec::text(snowflake_at(GUILD_BORN_MS, 20 + i as u64), name)
        });
    }
    guild.roles.push(RoleSpec::new(
        regular_role(),
        "Regular",
        Permissions::empty(),
        1,
    ));
    world
}

pub(crate) fn regular_role() -> u64 {
    snowflake_at(GUILD_BORN_MS, 4)
}

/// `count` members: accounts a minute apart from 2020, joined in 2021, every other one with a
/// display name, one in three with the "Regular" role.
pub(crate) fn members(count: usize) -> Vec<MemberSpec> {
    let joined = timestamp_at(1_609_459_200_000);
    (0..count as u64)
        .map(|i| {
            let mut user = UserSpec::new(
                snowflake_at(ACCOUNTS_BORN_MS + i * 60_000, i & 0xFFF),
                &format!("member_{i}"),
            );
            if i % 2 == 0 {
                user.global_name = Some(format!("Member {i}"));
            }
            let roles = if i % 3 == 0 {
                vec![regular_role()]
            } else {
                vec![]
            };
            MemberSpec::new(user, roles, &joined)
        })
        .collect()
}

pub(crate) async fn save_settings(database: &str) {
    let store = Store::connect(database).await.expect("the database opens");
    store.migrate().await.expect("the database migrates");
    let mut settings = GuildSettings::defaults(GuildId(ids::GUILD));
    settings.mod_log_channel = Some(ChannelId(ids::MOD_LOG));
    store
        .save_guild_settings(&settings)
        .await
        .expect("settings saved");
    store.close().await;
}

/// The corpus's texts that the charter does not flag on their own, or generated ones.
pub(crate) fn texts(root: &Path, charter: &Charter) -> Texts {
    let path = root.join(DATA_FILE);
    let read = std::fs::File::open(&path).map(|file| {
        std::io::BufReader::new(file)
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| {
                let value: Value = serde_json::from_str(&line).ok()?;
                Some(value.get("content")?.as_str()?.to_string())
            })
            .collect::<Vec<String>>()
    });
    match read {
        Ok(all) if !all.is_empty() => {
            let total = all.len();
            let clean: Vec<String> = all
                .into_iter()
                .filter(|t| {
                    !t.trim().is_empty() && !charter.evaluate(&Message::text(t)).is_flagged()
                })
                .collect();
            Texts {
                source: format!(
                    "{} ({} of its {} messages: those the charter flags left out)",
                    path.display(),
                    clean.len(),
                    total
                ),
                clean,
            }
        }
        _ => {
            println!(
                "{} not found (the shared data set is not beside the project): generated texts instead",
                path.display()
            );
            Texts {
                clean: generated(20_000, charter),
                source: "generated (the corpus was not found)".to_string(),
            }
        }
    }
}

/// Chat-like lines from a small vocabulary (seeded), those the charter flags left out.
pub(crate) fn generated(count: usize, charter: &Charter) -> Vec<String> {
    const WORDS: [&str; 40] = [
        "hi", "anyone", "know", "how", "to", "install", "the", "driver", "for", "my", "card", "is",
        "it", "working", "now", "thanks", "i", "tried", "apt", "update", "but", "still", "get",
        "an", "error", "what", "version", "are", "you", "on", "kernel", "sound", "after", "reboot",
        "wifi", "does", "not", "show", "up", "ok",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = 3 + (next() % 10) as usize;
            (0..len)
                .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !charter.evaluate(&Message::text(t)).is_flagged())
        .collect()
}
