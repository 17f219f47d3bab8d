//! [`Data`], the state every event and command shares: the active charter and the members'
//! windows, storage, the activity counters, guild settings (read once, kept up to date), and the
//! coalesced edits of poll and giveaway messages.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tracing::warn;

use super::{Error, giveaway, invites, poll_edits, welcome};
use crate::activity::ActivityCounters;
use crate::charter::report::ReportSettings;
use crate::charter::{Charter, Tracker};
use crate::facts::MessageFacts;
use crate::first_messages::FirstMessages;
use crate::ids::GuildId;
use crate::store::{GuildSettings, Store};

/// State shared by every event and command.
pub struct Data {
    /// The active charter; replaced whole by a successful reload.
    pub charter: RwLock<Arc<Charter>>,
    pub rules_dir: PathBuf,
    pub store: Store,
    pub tracker: Mutex<Tracker>,
    pub activity: Mutex<ActivityCounters>,
    /// Newcomers' first messages, watched for an answer.
    pub first_messages: Mutex<FirstMessages>,
    /// Guild settings, read once from storage and kept up to date by `/setup`.
    settings: RwLock<HashMap<GuildId, GuildSettings>>,
    /// How long a review item waits before it is recalled ([`super::RunOptions::review_remind_after`]).
    pub review_remind_after: Option<Duration>,
    /// The shortest a poll may stay open ([`super::RunOptions::poll_min_duration`]).
    pub poll_min_duration: Duration,
    /// Poll messages waiting for their coalesced edit.
    pub poll_edits: poll_edits::PollEdits,
    /// Coalesced edits of giveaway messages.
    pub(super) giveaways: giveaway::Live,
    /// Every guild's invites, and the joins waiting for their attribution.
    pub(super) invites: invites::Invites<welcome::PendingJoin>,
    /// `/massban` lists waiting for their moderator's confirmation.
    pub(super) massbans: super::massban::PendingMassBans,
    /// The raid detector's windows and the raids in progress.
    pub(super) raids: super::raid::RaidBoard,
    /// Guilds already told that their invites cannot be read.
    invites_hidden: Mutex<HashSet<GuildId>>,
}

impl Data {
    pub fn new(charter: Charter, rules_dir: PathBuf, store: Store) -> Data {
        Data {
            tracker: Mutex::new(charter.tracker()),
            charter: RwLock::new(Arc::new(charter)),
            rules_dir,
            store,
            activity: Mutex::new(ActivityCounters::default()),
            first_messages: Mutex::new(FirstMessages::default()),
            settings: RwLock::new(HashMap::new()),
            review_remind_after: None,
            poll_min_duration: crate::community::poll::MIN_DURATION,
            poll_edits: poll_edits::PollEdits::new(poll_edits::EDIT_EVERY),
            giveaways: giveaway::Live::default(),
            invites: invites::Invites::default(),
            invites_hidden: Mutex::new(HashSet::new()),
            massbans: super::massban::PendingMassBans::default(),
            raids: super::raid::RaidBoard::default(),
        }
    }

    /// The active charter.
    pub fn charter(&self) -> Arc<Charter> {
        self.charter.read().expect("charter lock").clone()
    }

    /// How the active charter wants reports made (`[report]`, or the defaults).
    pub fn report_settings(&self) -> ReportSettings {
        self.charter().report.clone().unwrap_or_default()
    }

    /// Replaces the charter; member windows start afresh for the new rules.
    pub fn set_charter(&self, charter: Charter) {
        *self.tracker.lock().expect("tracker lock") = charter.tracker();
        *self.charter.write().expect("charter lock") = Arc::new(charter);
    }

    /// A guild's settings, from memory or storage.
    pub async fn settings(&self, guild: GuildId) -> Result<GuildSettings, Error> {
        if let Some(s) = self.settings.read().expect("settings lock").get(&guild) {
            return Ok(s.clone());
        }
        let loaded = self.store.guild_settings(guild).await?;
        // A `/setup` saved while this read was under way is newer: it wins.
        Ok(self
            .settings
            .write()
            .expect("settings lock")
            .entry(guild)
            .or_insert(loaded)
            .clone())
    }

    /// Saves a guild's settings and keeps them in memory.
    pub async fn save_settings(&self, settings: GuildSettings) -> Result<(), Error> {
        self.store.save_guild_settings(&settings).await?;
        self.settings
            .write()
            .expect("settings lock")
            .insert(settings.guild, settings);
        Ok(())
    }

    /// Settings of every guild seen so far.
    pub fn known_settings(&self) -> Vec<GuildSettings> {
        self.settings
            .read()
            .expect("settings lock")
            .values()
            .cloned()
            .collect()
    }

    /// Whether moderators of `guild` must now be told that its invites cannot be read: `true`
    /// the first time only.
    pub fn invites_hidden_told(&self, guild: GuildId) -> bool {
        self.invites_hidden
            .lock()
            .expect("invites hidden lock")
            .insert(guild)
    }

    /// Counts a new message by a member ([`crate::activity::count_message`]).
    pub fn count(&self, facts: &MessageFacts) {
        let mut activity = self.activity.lock().expect("activity lock");
        let mut first = self.first_messages.lock().expect("first messages lock");
        crate::activity::count_message(&mut activity, &mut first, facts);
    }

    /// Writes the activity counted so far; a failed batch is kept for the next flush.
    pub async fn flush_activity(&self) {
        let firsts = self
            .first_messages
            .lock()
            .expect("first messages lock")
            .take(super::review::now_ms());
        if let Err(e) = self.store.record_first_messages(&firsts).await {
            warn!(error = %e, "newcomers' first messages not written; kept for the next flush");
            self.first_messages
                .lock()
                .expect("first messages lock")
                .restore(firsts);
        }
        let batch = self.activity.lock().expect("activity lock").take();
        if batch.is_empty() {
            return;
        }
        let written = async {
            self.store.add_activity(&batch.messages).await?;
            self.store.add_member_events(&batch.members).await
        }
        .await;
        if let Err(e) = written {
            warn!(error = %e, "activity not flushed; kept for the next flush");
            self.activity.lock().expect("activity lock").restore(batch);
        }
    }
}
