//! What a request runs with: the deployment's configuration, the
//! platform's ports (`Cx`), and what `reads` and `decide` see (`Env`).

use super::access::Principal;
use crate::kernel::crypto::Keys;
use crate::kernel::memo::Memo;
use crate::kernel::ports::{BlobStore, Clock, Database, HttpClient, Queue, Random};
use chrono::{DateTime, Utc};

/// Configuration that a deployment may change. The kernel knows only the
/// dev switch (dev builds only); each area keeps its own settings type (fees, trial counts,
/// limits) and reads it with [`Config::area`], so the kernel imports no area.
#[derive(Clone, Default)]
pub struct Config {
    /// Dev builds only (cargo feature `dev`), when the local settings ask
    /// for it (`DEV_MODE=true`): see [`Config::dev`].
    #[cfg(feature = "dev")]
    pub dev: bool,
    areas: Vec<std::rc::Rc<dyn std::any::Any>>,
}

impl Config {
    /// Local development: responses carry `x-db-round-trips`, the
    /// `x-dev-clock-offset-secs` header moves the clock, `/__dev/*` and
    /// failure injection work. Always false in a release build, whatever
    /// the settings say: the code behind it is not compiled there.
    pub fn dev(&self) -> bool {
        #[cfg(feature = "dev")]
        return self.dev;
        #[cfg(not(feature = "dev"))]
        false
    }

    /// Dev builds: turns dev mode on when the local setting `DEV_MODE` is
    /// `true`. Release builds ignore the setting.
    pub fn dev_from_setting(&mut self, setting: Option<&str>) {
        #[cfg(feature = "dev")]
        {
            self.dev = setting == Some("true");
        }
        #[cfg(not(feature = "dev"))]
        let _ = setting;
    }

    /// Sets an area's settings (replacing earlier ones of the same type).
    pub fn with<T: std::any::Any>(mut self, settings: T) -> Config {
        self.areas.retain(|a| !a.is::<T>());
        self.areas.push(std::rc::Rc::new(settings));
        self
    }
    /// An area's settings: as set, or the area's defaults.
    pub fn area<T: std::any::Any + Default + Clone>(&self) -> T {
        self.areas
            .iter()
            .find_map(|a| a.downcast_ref::<T>())
            .cloned()
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("dev", &self.dev())
            .field("areas", &self.areas.len())
            .finish()
    }
}

/// The ports a request may use.
pub struct Cx<'a> {
    pub db: &'a dyn Database,
    /// Attendance shards (V4): a member's records live in
    /// `shards[sharding::shard_of(member_id, shards.len())]`.
    pub shards: &'a [&'a dyn Database],
    pub blobs: &'a dyn BlobStore,
    pub queue: &'a dyn Queue,
    /// Outbound HTTP to outside services (notice providers).
    pub http: &'a dyn HttpClient,
    pub clock: &'a dyn Clock,
    pub rng: &'a dyn Random,
    pub keys: &'a Keys,
    pub config: &'a Config,
    /// What this instance remembers between requests (`kernel::memo`).
    pub memo: &'a Memo,
}

impl<'a> Cx<'a> {
    /// The environment of work outside a request (no caller, no address):
    /// the sweep's steps and the jobs' decisions.
    pub fn background_env(&self) -> Env<'a> {
        Env {
            now: self.clock.now(),
            rng: self.rng,
            keys: self.keys,
            config: self.config,
            client_ip: None,
            who: None,
            memo: self.memo,
            from_memory: false,
        }
    }
}

/// What `reads` and `decide` see: the time, the caller, and pure helpers.
pub struct Env<'a> {
    pub now: DateTime<Utc>,
    pub rng: &'a dyn Random,
    pub keys: &'a Keys,
    pub config: &'a Config,
    pub client_ip: Option<&'a str>,
    /// The verified caller; `None` only for public access.
    pub who: Option<Principal>,
    /// What this instance remembers between requests (`kernel::memo`).
    pub memo: &'a Memo,
    /// The rows being decided on came from `memo` (`UseCase::recall`), not
    /// from this request's read round.
    pub from_memory: bool,
}

impl Env<'_> {
    /// The caller's id (member, applicant or admin); empty for public access.
    pub fn caller(&self) -> &str {
        self.who.as_ref().map_or("", |w| w.id.as_str())
    }
    /// The contact person behind a member session, when not the member's
    /// administrator (rule P10).
    pub fn person(&self) -> Option<&str> {
        self.who.as_ref().and_then(|w| w.person.as_deref())
    }
}
