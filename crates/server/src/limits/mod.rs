//! Brute-force protection: token buckets per client address and per account for logging in, signing up and
//! password resets. A refused attempt is a 429 with `Retry-After`.
//!
//! - IPv6 clients are keyed by their /64 (one home or phone gets a whole /64, so rotating addresses inside it
//!   gains nothing); IPv4-mapped addresses count as their IPv4 address.
//! - Log-ins count every attempt per address, but only *failures* per account: once an account has had too
//!   many wrong passwords, only browsers that have signed in to it before (a signed device cookie, see
//!   made in the HTTP layer) may keep trying, so an attacker's guesses never lock its owner out.
//! - With SQLite (one process) the buckets live in memory (`memory.rs`, the `governor` crate); with
//!   PostgreSQL they live in the database (`shared.rs`), so every replica counts against the same ones.
//! - [`Limiters::prune`] runs on a timer ([`spawn_pruner`]) and forgets idle keys, so memory and the table
//!   stay bounded however many addresses or names are tried.

use crate::error::Error;
use std::net::{IpAddr, Ipv6Addr};
use std::time::Duration;

mod memory;
mod shared;

/// A limit: `burst` attempts at once, refilled evenly over `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts allowed in a burst (and per period).
    pub burst: u32,
    /// The time over which the burst refills.
    pub period: Duration,
}

/// The limits in force (defaults follow OWASP's guidance: a few attempts a minute, tens an hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Log-in attempts from one address.
    pub login_per_ip: Limit,
    /// Failed log-ins for one account, from anywhere (then only its known browsers may try).
    pub login_per_account: Limit,
    /// Sign-ups from one address.
    pub signup_per_ip: Limit,
    /// Password-reset requests from one address.
    pub reset_per_ip: Limit,
    /// Password-reset emails for one account.
    pub reset_per_account: Limit,
    /// New passwords sent with a reset link, from one address.
    pub reset_use_per_ip: Limit,
    /// New passwords sent with one reset link.
    pub reset_use_per_link: Limit,
    /// Error reports from one address.
    pub reports_per_ip: Limit,
    /// Confirmation emails (a resend, or a change of address) asked for from one address.
    pub verify_mail_per_ip: Limit,
    /// Confirmation emails for one account.
    pub verify_mail_per_account: Limit,
    /// Multiplies every burst; 0 turns the limits off (`VINANO_RATE_LIMIT_SCALE`).
    pub scale: u32,
}

const MINUTE: Duration = Duration::from_secs(60);

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            login_per_ip: Limit { burst: 30, period: 15 * MINUTE },
            login_per_account: Limit { burst: 10, period: 15 * MINUTE },
            signup_per_ip: Limit { burst: 10, period: 60 * MINUTE },
            reset_per_ip: Limit { burst: 10, period: 60 * MINUTE },
            reset_per_account: Limit { burst: 3, period: 60 * MINUTE },
            reset_use_per_ip: Limit { burst: 10, period: 60 * MINUTE },
            reset_use_per_link: Limit { burst: 5, period: 60 * MINUTE },
            reports_per_ip: Limit { burst: 60, period: 60 * MINUTE },
            verify_mail_per_ip: Limit { burst: 10, period: 60 * MINUTE },
            verify_mail_per_account: Limit { burst: 5, period: 60 * MINUTE },
            scale: 1,
        }
    }
}

/// What an attempt is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Logging in.
    Login,
    /// Signing up.
    Signup,
    /// Asking for a password-reset email.
    Reset,
    /// Choosing a new password with a reset link (keyed by the link's hash).
    ResetUse,
    /// Sending an error report.
    Report,
    /// Asking for a confirmation email (keyed by the account's id).
    VerifyMail,
}

/// The bucket an address counts in: IPv4 as it is, IPv6 by its /64.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// Whole seconds to wait, rounded up.
fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl Action {
    /// The name its buckets go by in the shared table.
    fn scope(self) -> (&'static str, &'static str) {
        match self {
            Action::Login => ("login-ip", "login-account"),
            Action::Signup => ("signup-ip", "signup-account"),
            Action::Reset => ("reset-ip", "reset-account"),
            Action::ResetUse => ("reset-use-ip", "reset-use-link"),
            Action::Report => ("report-ip", "report-account"),
            Action::VerifyMail => ("verify-mail-ip", "verify-mail-account"),
        }
    }
}

impl RateLimits {
    /// The limits an action counts against: per address, and per account when it has one.
    fn of(&self, action: Action) -> (Limit, Option<Limit>) {
        match action {
            Action::Login => (self.login_per_ip, None),
            Action::Signup => (self.signup_per_ip, None),
            Action::Reset => (self.reset_per_ip, Some(self.reset_per_account)),
            Action::ResetUse => (self.reset_use_per_ip, Some(self.reset_use_per_link)),
            Action::Report => (self.reports_per_ip, None),
            Action::VerifyMail => (self.verify_mail_per_ip, Some(self.verify_mail_per_account)),
        }
    }
}

/// Where the buckets live.
#[derive(Debug)]
enum Store {
    Memory(Box<memory::Memory>),
    Shared(shared::Shared),
}

/// The live limiters.
#[derive(Debug)]
pub struct Limiters {
    limits: RateLimits,
    store: Store,
}

impl Limiters {
    /// Limiters for these limits, in this process's memory.
    pub fn new(limits: RateLimits) -> Self {
        Self { store: Store::Memory(Box::new(memory::Memory::new(&limits))), limits }
    }

    /// Limiters kept in the database's `rate_limits` table, shared by every process on it; keys are stored
    /// as HMACs under a key derived from `key`.
    pub fn shared(limits: RateLimits, db: sqlx::AnyPool, key: crate::storage::crypto::MasterKey) -> Self {
        Self { store: Store::Shared(shared::Shared::new(db, key)), limits }
    }

    /// Whether the buckets are shared through the database.
    pub fn is_shared(&self) -> bool {
        matches!(self.store, Store::Shared(_))
    }

    /// Counts one attempt; `Err` is the 429 to answer with. `account` is the normalised key the attempt
    /// names (an email, a user id, a reset link's hash), whether or not such an account exists. Log-ins
    /// count here per address only: their per-account limit is on failures ([`Limiters::login_failed`]).
    pub async fn attempt(
        &self,
        action: Action,
        ip: Option<IpAddr>,
        account: Option<&str>,
    ) -> Result<(), Error> {
        // Requests without a known address (tests through the router, a local socket) share one bucket.
        let ip = bucket(ip.unwrap_or(IpAddr::from([0, 0, 0, 0])));
        let account = account.map(|a| a.trim().to_lowercase());
        let result = match &self.store {
            Store::Memory(m) => m.attempt(action, ip, account.as_deref()),
            Store::Shared(s) => {
                let (by_ip, by_account) = self.limits.of(action);
                let (ip_scope, account_scope) = action.scope();
                let scale = self.limits.scale;
                match s.take(ip_scope, &ip.to_string(), by_ip, scale).await? {
                    Err(wait) => Err(wait),
                    Ok(()) => match (by_account, &account) {
                        (Some(limit), Some(a)) => s.take(account_scope, a, limit, scale).await?,
                        _ => Ok(()),
                    },
                }
            }
        };
        result.map_err(|secs| {
            // The name tried is not logged: it may be an email, or a password typed into the wrong field.
            tracing::warn!(?action, %ip, retry_after = secs, "rate limit reached");
            Error::RateLimited(secs.max(1))
        })
    }

    /// `Err` (429) while `account` (a user id) has had too many failed log-ins recently.
    pub async fn login_locked(&self, account: &str) -> Result<(), Error> {
        let locked = match &self.store {
            Store::Memory(m) => m.login_locked(account),
            Store::Shared(s) => {
                s.login_locked(account, self.limits.login_per_account, self.limits.scale).await?
            }
        };
        match locked {
            Some(secs) => Err(Error::RateLimited(secs.max(1))),
            None => Ok(()),
        }
    }

    /// Counts a wrong password for `account` (a user id, or the name tried when there is no such account).
    pub async fn login_failed(&self, account: &str) -> Result<(), Error> {
        let account = account.trim().to_lowercase();
        match &self.store {
            Store::Memory(m) => m.login_failed(&account),
            Store::Shared(s) => {
                s.login_failed(&account, self.limits.login_per_account, self.limits.scale).await?
            }
        }
        Ok(())
    }

    /// The right password: the account's failures are forgotten.
    pub async fn login_succeeded(&self, account: &str) -> Result<(), Error> {
        let account = account.trim().to_lowercase();
        match &self.store {
            Store::Memory(m) => m.login_succeeded(&account),
            Store::Shared(s) => s.login_succeeded(&account).await?,
        }
        Ok(())
    }

    /// Forgets keys whose buckets are full again (nothing to remember), so memory and the table stay bounded.
    pub async fn prune(&self) {
        match &self.store {
            Store::Memory(m) => m.prune(),
            Store::Shared(s) => {
                if let Err(e) = s.prune().await {
                    tracing::warn!(error = %e, "pruning the rate limits failed; will try again");
                }
            }
        }
    }

    /// Keys currently remembered in this process's memory (0 when they are in the database).
    pub fn tracked_keys(&self) -> usize {
        match &self.store {
            Store::Memory(m) => m.tracked_keys(),
            Store::Shared(_) => 0,
        }
    }
}

/// Prunes the limiters every `every` for as long as the process runs.
pub fn spawn_pruner(limits: std::sync::Arc<Limiters>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            limits.prune().await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_then_refusal_with_a_wait() {
        let limits =
            RateLimits { reset_per_account: Limit { burst: 3, period: MINUTE }, ..RateLimits::default() };
        let l = Limiters::new(limits);
        let ip = Some(IpAddr::from([192, 0, 2, 1]));
        for _ in 0..3 {
            l.attempt(Action::Reset, ip, Some("Ada@Example.com")).await.unwrap();
        }
        // The same account, spelled differently, from another address: still the same bucket.
        let other = Some(IpAddr::from([192, 0, 2, 2]));
        match l.attempt(Action::Reset, other, Some("ada@example.com ")).await {
            Err(Error::RateLimited(secs)) => assert!((1..=20).contains(&secs), "{secs}"),
            other => panic!("expected a 429, got {other:?}"),
        }
        // Another account is untouched.
        l.attempt(Action::Reset, other, Some("bob")).await.unwrap();
    }

    #[tokio::test]
    async fn failed_log_ins_lock_an_account_until_the_window_ends_and_success_clears_them() {
        let limits =
            RateLimits { login_per_account: Limit { burst: 3, period: MINUTE }, ..RateLimits::default() };
        let l = Limiters::new(limits);
        for _ in 0..3 {
            l.login_locked("u1").await.unwrap();
            l.login_failed("u1").await.unwrap();
        }
        assert!(matches!(l.login_locked("u1").await, Err(Error::RateLimited(s)) if (1..=60).contains(&s)));
        l.login_locked("u2").await.unwrap();
        l.login_succeeded("u1").await.unwrap();
        l.login_locked("u1").await.unwrap();
    }

    #[tokio::test]
    async fn ipv6_addresses_of_one_64_share_a_bucket() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(bucket(a), bucket(b));
        assert_ne!(bucket(a), bucket(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(bucket(mapped), IpAddr::from([192, 0, 2, 7]));
        let limits =
            RateLimits { signup_per_ip: Limit { burst: 2, period: MINUTE }, ..RateLimits::default() };
        let l = Limiters::new(limits);
        l.attempt(Action::Signup, Some(a), None).await.unwrap();
        l.attempt(Action::Signup, Some(b), None).await.unwrap();
        assert!(l.attempt(Action::Signup, Some("2001:db8:1:2::9".parse().unwrap()), None).await.is_err());
        l.attempt(Action::Signup, Some(c), None).await.unwrap();
    }

    #[tokio::test]
    async fn the_limiters_stay_small_after_a_hundred_thousand_keys() {
        // A tiny period so the buckets refill (and become forgettable) within the test.
        let quick = Limit { burst: 5, period: Duration::from_millis(50) };
        let limits = RateLimits {
            login_per_ip: quick,
            reset_per_account: quick,
            login_per_account: quick,
            ..RateLimits::default()
        };
        let l = Limiters::new(limits);
        for n in 0u32..100_000 {
            let ip = IpAddr::from(n.to_be_bytes());
            l.attempt(Action::Login, Some(ip), None).await.unwrap();
            l.login_failed(&format!("user{n}")).await.unwrap();
        }
        assert!(l.tracked_keys() >= 100_000);
        std::thread::sleep(Duration::from_millis(120));
        l.prune().await;
        assert_eq!(l.tracked_keys(), 0);
    }

    #[tokio::test]
    async fn scale_zero_turns_limits_off() {
        let l = Limiters::new(RateLimits { scale: 0, ..RateLimits::default() });
        for _ in 0..1000 {
            l.attempt(Action::Reset, None, Some("ada")).await.unwrap();
        }
    }
}
