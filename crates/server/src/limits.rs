//! Brute-force protection: keyed token buckets (the `governor` crate, GCRA) per client address and per
//! account for logging in, signing up and password resets. A refused attempt is a 429 with `Retry-After`.
//!
//! - IPv6 clients are keyed by their /64 (one home or phone gets a whole /64, so rotating addresses inside it
//!   gains nothing); IPv4-mapped addresses count as their IPv4 address.
//! - Log-ins count every attempt per address, but only *failures* per account: once an account has had too
//!   many wrong passwords, only browsers that have signed in to it before (a signed device cookie, see
//!   made in the HTTP layer) may keep trying, so an attacker's guesses never lock its owner out.
//! - [`Limiters::prune`] runs on a timer ([`spawn_pruner`]) and forgets idle keys, so memory stays bounded
//!   however many addresses or names are tried.
//!
//! The limits are per process and in memory: a restart forgets them, and several processes each keep their
//! own (a shared store is for when there is more than one machine).

use crate::error::Error;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A limit: `burst` attempts at once, refilled evenly over `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts allowed in a burst (and per period).
    pub burst: u32,
    /// The time over which the burst refills.
    pub period: Duration,
}

impl Limit {
    fn quota(self, scale: u32) -> Option<Quota> {
        let burst = NonZeroU32::new(self.burst.saturating_mul(scale))?;
        let every = self.period / burst.get();
        Quota::with_period(every.max(Duration::from_millis(1))).map(|q| q.allow_burst(burst))
    }
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

type ByIp = Option<DefaultKeyedRateLimiter<IpAddr>>;
type ByAccount = Option<DefaultKeyedRateLimiter<String>>;

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

/// Failures per key in a fixed window: a count and when the window started.
#[derive(Debug)]
struct Failures {
    limit: Option<(u32, Duration)>,
    seen: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Failures {
    fn new(limit: Limit, scale: u32) -> Self {
        let burst = limit.burst.saturating_mul(scale);
        Self { limit: (burst > 0).then_some((burst, limit.period)), seen: Mutex::default() }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u32, Instant)>> {
        self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Seconds until `key` may try again, when its failures have reached the limit.
    fn locked(&self, key: &str) -> Option<u64> {
        let (limit, window) = self.limit?;
        let (count, since) = *self.map().get(key)?;
        let left = window.checked_sub(since.elapsed())?;
        (count >= limit).then(|| left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }

    fn fail(&self, key: &str) {
        let Some((_, window)) = self.limit else { return };
        let mut map = self.map();
        let entry = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    fn clear(&self, key: &str) {
        self.map().remove(key);
    }

    fn prune(&self) {
        let Some((_, window)) = self.limit else { return };
        let mut map = self.map();
        map.retain(|_, (_, since)| since.elapsed() < window);
        map.shrink_to_fit();
    }

    fn len(&self) -> usize {
        self.map().len()
    }
}

/// The live limiters.
#[derive(Debug)]
pub struct Limiters {
    login_ip: ByIp,
    login_failures: Failures,
    signup_ip: ByIp,
    reset_ip: ByIp,
    reset_account: ByAccount,
    reset_use_ip: ByIp,
    reset_use_link: ByAccount,
    reports_ip: ByIp,
    verify_mail_ip: ByIp,
    verify_mail_account: ByAccount,
}

fn keyed<K: std::hash::Hash + Eq + Clone>(limit: Limit, scale: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    limit.quota(scale).map(governor::RateLimiter::keyed)
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &Option<DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Result<(), u64> {
    let Some(limiter) = limiter else { return Ok(()) };
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
    })
}

impl Limiters {
    /// Limiters for these limits.
    pub fn new(limits: RateLimits) -> Self {
        let s = limits.scale;
        Self {
            login_ip: keyed(limits.login_per_ip, s),
            login_failures: Failures::new(limits.login_per_account, s),
            signup_ip: keyed(limits.signup_per_ip, s),
            reset_ip: keyed(limits.reset_per_ip, s),
            reset_account: keyed(limits.reset_per_account, s),
            reset_use_ip: keyed(limits.reset_use_per_ip, s),
            reset_use_link: keyed(limits.reset_use_per_link, s),
            reports_ip: keyed(limits.reports_per_ip, s),
            verify_mail_ip: keyed(limits.verify_mail_per_ip, s),
            verify_mail_account: keyed(limits.verify_mail_per_account, s),
        }
    }

    /// Counts one attempt; `Err` is the 429 to answer with. `account` is the normalised key the attempt
    /// names (an email, a user id, a reset link's hash), whether or not such an account exists. Log-ins
    /// count here per address only: their per-account limit is on failures ([`Limiters::login_failed`]).
    pub fn attempt(&self, action: Action, ip: Option<IpAddr>, account: Option<&str>) -> Result<(), Error> {
        // Requests without a known address (tests through the router, a local socket) share one bucket.
        let ip = bucket(ip.unwrap_or(IpAddr::from([0, 0, 0, 0])));
        let (by_ip, by_account) = match action {
            Action::Login => (&self.login_ip, &None),
            Action::Signup => (&self.signup_ip, &None),
            Action::Reset => (&self.reset_ip, &self.reset_account),
            Action::ResetUse => (&self.reset_use_ip, &self.reset_use_link),
            Action::Report => (&self.reports_ip, &None),
            Action::VerifyMail => (&self.verify_mail_ip, &self.verify_mail_account),
        };
        let account = account.map(|a| a.trim().to_lowercase());
        let result = check(by_ip, &ip).and_then(|()| match &account {
            Some(a) => check(by_account, a),
            None => Ok(()),
        });
        result.map_err(|secs| {
            // The name tried is not logged: it may be an email, or a password typed into the wrong field.
            tracing::warn!(?action, %ip, retry_after = secs, "rate limit reached");
            Error::RateLimited(secs.max(1))
        })
    }

    /// `Err` (429) while `account` (a user id) has had too many failed log-ins recently.
    pub fn login_locked(&self, account: &str) -> Result<(), Error> {
        match self.login_failures.locked(account) {
            Some(secs) => Err(Error::RateLimited(secs.max(1))),
            None => Ok(()),
        }
    }

    /// Counts a wrong password for `account` (a user id, or the name tried when there is no such account).
    pub fn login_failed(&self, account: &str) {
        self.login_failures.fail(&account.trim().to_lowercase());
    }

    /// The right password: the account's failures are forgotten.
    pub fn login_succeeded(&self, account: &str) {
        self.login_failures.clear(&account.trim().to_lowercase());
    }

    /// Every limiter keyed by address.
    fn by_ip(&self) -> impl Iterator<Item = &DefaultKeyedRateLimiter<IpAddr>> {
        [
            &self.login_ip,
            &self.signup_ip,
            &self.reset_ip,
            &self.reset_use_ip,
            &self.reports_ip,
            &self.verify_mail_ip,
        ]
        .into_iter()
        .flatten()
    }

    /// Every limiter keyed by a name (an account, a link).
    fn by_name(&self) -> impl Iterator<Item = &DefaultKeyedRateLimiter<String>> {
        [&self.reset_account, &self.reset_use_link, &self.verify_mail_account].into_iter().flatten()
    }

    /// Forgets keys whose buckets are full again (nothing to remember), so memory stays bounded.
    pub fn prune(&self) {
        for limiter in self.by_ip() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        for limiter in self.by_name() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        self.login_failures.prune();
    }

    /// Keys currently remembered across every limiter.
    pub fn tracked_keys(&self) -> usize {
        let by_ip: usize = self.by_ip().map(|l| l.len()).sum();
        let by_name: usize = self.by_name().map(|l| l.len()).sum();
        by_ip + by_name + self.login_failures.len()
    }
}

/// Prunes the limiters every `every` for as long as the process runs.
pub fn spawn_pruner(limits: std::sync::Arc<Limiters>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            limits.prune();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refusal_with_a_wait() {
        let limits =
            RateLimits { reset_per_account: Limit { burst: 3, period: MINUTE }, ..RateLimits::default() };
        let l = Limiters::new(limits);
        let ip = Some(IpAddr::from([192, 0, 2, 1]));
        for _ in 0..3 {
            l.attempt(Action::Reset, ip, Some("Ada@Example.com")).unwrap();
        }
        // The same account, spelled differently, from another address: still the same bucket.
        let other = Some(IpAddr::from([192, 0, 2, 2]));
        match l.attempt(Action::Reset, other, Some("ada@example.com ")) {
            Err(Error::RateLimited(secs)) => assert!((1..=20).contains(&secs), "{secs}"),
            other => panic!("expected a 429, got {other:?}"),
        }
        // Another account is untouched.
        l.attempt(Action::Reset, other, Some("bob")).unwrap();
    }

    #[test]
    fn failed_log_ins_lock_an_account_until_the_window_ends_and_success_clears_them() {
        let limits =
            RateLimits { login_per_account: Limit { burst: 3, period: MINUTE }, ..RateLimits::default() };
        let l = Limiters::new(limits);
        for _ in 0..3 {
            l.login_locked("u1").unwrap();
            l.login_failed("u1");
        }
        assert!(matches!(l.login_locked("u1"), Err(Error::RateLimited(s)) if (1..=60).contains(&s)));
        l.login_locked("u2").unwrap();
        l.login_succeeded("u1");
        l.login_locked("u1").unwrap();
    }

    #[test]
    fn ipv6_addresses_of_one_64_share_a_bucket() {
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
        l.attempt(Action::Signup, Some(a), None).unwrap();
        l.attempt(Action::Signup, Some(b), None).unwrap();
        assert!(l.attempt(Action::Signup, Some("2001:db8:1:2::9".parse().unwrap()), None).is_err());
        l.attempt(Action::Signup, Some(c), None).unwrap();
    }

    #[test]
    fn the_limiters_stay_small_after_a_hundred_thousand_keys() {
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
            l.attempt(Action::Login, Some(ip), None).unwrap();
            l.login_failed(&format!("user{n}"));
        }
        assert!(l.tracked_keys() >= 100_000);
        std::thread::sleep(Duration::from_millis(120));
        l.prune();
        assert_eq!(l.tracked_keys(), 0);
    }

    #[test]
    fn scale_zero_turns_limits_off() {
        let l = Limiters::new(RateLimits { scale: 0, ..RateLimits::default() });
        for _ in 0..1000 {
            l.attempt(Action::Reset, None, Some("ada")).unwrap();
        }
    }
}
