//! Rules A7 and P8: marketing goes only to those who opted in, labelled as
//! advertising, and a withdrawn consent stops it at once.
//!
//! An owner writes a campaign (`POST /admin/marketing`) for one channel; a
//! background job sends it, a bounded step at a time, to the members whose
//! latest consent of that channel's kind (`marketing_email`,
//! `marketing_sms`, given at signup, rule S2) is an acceptance. Each notice
//! starts with "(광고)" and the platform's name and ends with how to refuse
//! further ones for free (Act on Promotion of Information and Communications
//! Network Utilization art. 50). Each notice also carries the consent it
//! needs, and the deliverer reads that consent again when it sends
//! (`kernel::outbox::deliver`): one withdrawn after the notice was queued
//! stops it (P8). Withdrawing is a privacy-rights request of kind
//! `marketing_email` or `marketing_sms`, done before its answer.

use crate::kernel::background::{self, Advance, Job};
use crate::kernel::crypto::{at, new_id};
use crate::kernel::engine::{Access, AdminRole, Cx, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::{Contact, ToEach};
use crate::kernel::ports::{PortError, Stmt};
use crate::kernel::problem::Problem;
use crate::kernel::reads::FromResult;
use crate::kernel::sealed::SealedText;
use crate::personal_data::place::MARKETING_TEXT;
use crate::{row, stmt, use_case};
use serde_json::{json, Value as Json};

crate::text_enum!(
    /// How a campaign reaches members, each by its own consent.
    pub enum MarketingChannel {
        Email = "email",
        Sms = "sms",
    }
);

impl MarketingChannel {
    /// The consent (a terms document's kind) this channel needs.
    pub fn consent_kind(self) -> &'static str {
        match self {
            MarketingChannel::Email => "marketing_email",
            MarketingChannel::Sms => "marketing_sms",
        }
    }
}

/// The template of marketing notices (an e-mail's subject says "(광고)").
pub const TEMPLATE: &str = "marketing";
/// The sending job's kind.
pub const JOB: &str = "marketing.send";
/// The longest campaign text.
pub const TEXT_MAX: usize = 1000;
/// Members a step of the sending job reaches.
const MEMBERS_PER_STEP: i64 = 50;

/// The statement that records the withdrawal of `member_id`'s consent of
/// `kind` now, against the document's current version (P8).
pub fn withdraw_consent(env: &Env, member_id: &str, kind: &str) -> Stmt {
    // Sealed as signup's consents are: bound to the member.
    let id = new_id(env.rng, "cns");
    let ip = env.client_ip.map(|ip| {
        env.keys
            .seal_for(env.rng, &at("consents.ip", member_id), ip)
    });
    stmt!(
        "INSERT INTO consents (id, member_id, document_kind, document_version, accepted, at, ip_enc)
         SELECT ?, ?, kind, version, 0, ?, ? FROM terms_documents WHERE kind = ? AND current = 1",
        id.as_str(),
        member_id,
        env.now.to_rfc3339(),
        ip,
        kind
    )
}

#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub channel: MarketingChannel,
    pub text: String,
}

crate::reply!(
    /// A campaign on its way: its job sends it (`GET /admin/jobs/{id}`).
    pub struct MarketingCampaign {
        pub campaign_id: String,
        pub channel: MarketingChannel,
        pub job_id: String,
    }
);

/// `POST /admin/marketing`: an owner sends a campaign to the members who
/// opted in to its channel (A7).
pub struct SendCampaign;
use_case!(SendCampaign, "admin.marketing", |_uc| Access::Admin(&[AdminRole::Owner]), CampaignInput => ());

impl SendCampaign {
    fn reads(&self, _: &CampaignInput, _: &Env) {}

    fn decide(&self, input: CampaignInput, (): (), env: &Env) -> Result<Plan, Problem> {
        let id = new_id(env.rng, "mkt");
        let (job, row, first) = background::start(
            env,
            JOB,
            json!({ "campaign": id, "channel": input.channel.as_str() }),
        );
        let writes = vec![
            stmt!(
                "INSERT INTO marketing_campaigns (id, channel, text, created_by, created_at, job_id) VALUES (?, ?, ?, ?, ?, ?)",
                id.as_str(),
                input.channel,
                SealedText::seal(env, MARKETING_TEXT, &id, &input.text),
                env.caller(),
                env.now.to_rfc3339(),
                job.as_str()
            ),
            row,
            crate::kernel::audit::audit(env, env.caller(), "admin.marketing", &id, input.channel.as_str()),
        ];
        Ok(Plan::ok(
            202,
            MarketingCampaign {
                campaign_id: id,
                channel: input.channel,
                job_id: job,
            },
            writes,
        )
        .effect(first))
    }
}

row!(
    struct CampaignRow {
        text: SealedText,
    }
);

row!(
    struct Recipient {
        id: String,
        email_enc: Option<String>,
        phone_enc: Option<String>,
    }
);

/// The job that sends campaign `params.campaign`: members in id order, a
/// step at a time; each notice's id is the campaign's and the member's, so
/// a step that runs again writes nothing twice.
pub struct SendMarketing;

#[async_trait::async_trait(?Send)]
impl Job for SendMarketing {
    fn kind(&self) -> &'static str {
        JOB
    }

    async fn step(&self, cx: &Cx<'_>, params: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let (Some(campaign), Some(channel)) = (
            params["campaign"].as_str(),
            params["channel"].as_str().and_then(MarketingChannel::parse),
        ) else {
            return Ok(Advance::Fail {
                reason: "detail.job_params_invalid",
            });
        };
        let after = cursor["after"].as_str().unwrap_or("");
        let db = |e: crate::kernel::ports::DbError| PortError(e.to_string());
        let unreadable = |e: crate::kernel::reads::ReadError| PortError(e.to_string());
        let mut read = cx
            .db
            .batch(&[
                stmt!("SELECT text FROM marketing_campaigns WHERE id = ?", campaign),
                stmt!(
                    "SELECT m.id, m.email_enc, m.phone_enc FROM members m
                     WHERE m.id > ? AND m.status IN ('active', 'approved') AND m.processing_suspended_at IS NULL
                       AND (SELECT c.accepted FROM consents c WHERE c.member_id = m.id AND c.document_kind = ?
                            ORDER BY c.at DESC, c.rowid DESC LIMIT 1) = 1
                     ORDER BY m.id LIMIT ?",
                    after,
                    channel.consent_kind(),
                    MEMBERS_PER_STEP
                ),
            ])
            .await
            .map_err(db)?
            .into_iter();
        let Some(c) = Option::<CampaignRow>::from_result(read.next().unwrap_or_default())
            .map_err(unreadable)?
        else {
            return Ok(Advance::Fail {
                reason: "detail.not_found",
            });
        };
        let members =
            Vec::<Recipient>::from_result(read.next().unwrap_or_default()).map_err(unreadable)?;
        let text = c
            .text
            .open(cx.keys, MARKETING_TEXT, campaign)
            .map_err(|_| PortError("campaign text unreadable".into()))?;
        let refuse = cx
            .config
            .area::<crate::kernel::notify::Links>()
            .app("privacy");
        let body = fill(
            "notice.marketing",
            Lang::Ko,
            &[("text", &text), ("link", &refuse)],
        );
        let contacts: Vec<Contact<'_>> = members
            .iter()
            .map(|m| Contact {
                member_id: &m.id,
                email_enc: m.email_enc.as_deref(),
                phone_enc: m.phone_enc.as_deref(),
            })
            .collect();
        ToEach {
            channel: channel.as_str(),
            template: TEMPLATE,
            body: &body,
            consent_kind: Some(channel.consent_kind()),
        }
        .send(cx, &contacts, |m| format!("ntc_{campaign}_{m}"))
        .await?;
        let n = i64::try_from(members.len()).unwrap_or(0);
        Ok(match members.last() {
            Some(last) if n == MEMBERS_PER_STEP => Advance::Next {
                cursor: json!({ "after": last.id }),
                units: n,
            },
            _ => Advance::Done { units: n },
        })
    }
}
