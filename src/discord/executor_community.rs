//! The executor's community steps: the charter's invitation (a post or a DM) and a newcomer's
//! roles, resolved by id or name among the server's roles.

use serenity::all::{ChannelId, GuildId, RoleId, UserId};
use tracing::info;

use super::{ActionError, Executor, user};
use crate::community::acceptance::GateTarget;
use crate::discord::convert::names_role;
use crate::facts::Permission;
use crate::i18n::Lang;
use crate::moderation::Step;

impl Executor {
    /// Posts the invitation to read and accept the charter (a closed DM is not a failure).
    pub(super) async fn charter_gate(
        &self,
        target: GateTarget,
        title: &crate::charter::Text,
        lang: Lang,
        guild: crate::ids::GuildId,
    ) -> Result<(), ActionError> {
        use crate::discord::render::acceptance::gate;
        match target {
            GateTarget::Channel { channel, mention } => {
                ChannelId::new(channel.0.max(1))
                    .send_message(&self.http, gate(title, lang, guild, mention))
                    .await
                    .map_err(ActionError::discord(Step::Welcome))?;
            }
            GateTarget::Dm(member) => {
                if let Err(e) = user(member)
                    .direct_message(self, gate(title, lang, guild, None))
                    .await
                {
                    info!(user = %member, error = %e, "charter invitation not delivered");
                }
            }
        }
        Ok(())
    }

    /// Gives `member` the roles the charter names (by id, or by name ignoring case).
    pub(super) async fn give_roles(
        &self,
        guild: GuildId,
        member: UserId,
        roles: &[String],
    ) -> Result<(), ActionError> {
        self.check(guild, None, Permission::ManageRoles, None)?;
        let cached: Option<Vec<(RoleId, String)>> = self
            .cache
            .guild(guild)
            .map(|g| g.roles.values().map(|r| (r.id, r.name.clone())).collect());
        let known = match cached {
            Some(known) => known,
            None => guild
                .roles(&self.http)
                .await
                .map_err(ActionError::discord(Step::GiveRoles))?
                .into_values()
                .map(|r| (r.id, r.name))
                .collect(),
        };
        for wanted in roles {
            let found = known
                .iter()
                .find(|(id, name)| names_role(wanted, *id, name));
            let Some((role, _)) = found else {
                return Err(ActionError::UnknownRole {
                    name: wanted.clone(),
                });
            };
            self.http
                .add_member_role(guild, member, *role, Some("[welcome] roles"))
                .await
                .map_err(ActionError::discord(Step::GiveRoles))?;
        }
        Ok(())
    }
}
