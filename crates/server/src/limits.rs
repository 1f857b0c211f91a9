//! Brute-force protection: keyed token buckets (the `governor` crate, GCRA) per client address and per
//! account for logging in, signing up and password resets. A refused attempt is a 429 with `Retry-After`.
//!
//! The limits are per process and in memory: a restart forgets them, and several processes each keep their
//! own (a shared store is for when there is more than one machine).

use crate::http::Error;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

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
    /// Log-in attempts for one account, from anywhere.
    pub login_per_account: Limit,
    /// Sign-ups from one address.
    pub signup_per_ip: Limit,
    /// Password-reset requests from one address.
    pub reset_per_ip: Limit,
    /// Password-reset emails for one account.
    pub reset_per_account: Limit,
    /// Error reports from one address.
    pub reports_per_ip: Limit,
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
            reports_per_ip: Limit { burst: 60, period: 60 * MINUTE },
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
    /// Sending an error report.
    Report,
}

type ByIp = Option<DefaultKeyedRateLimiter<IpAddr>>;
type ByAccount = Option<DefaultKeyedRateLimiter<String>>;

/// The live limiters.
#[derive(Debug)]
pub struct Limiters {
    login_ip: ByIp,
    login_account: ByAccount,
    signup_ip: ByIp,
    reset_ip: ByIp,
    reset_account: ByAccount,
    reports_ip: ByIp,
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
            login_account: keyed(limits.login_per_account, s),
            signup_ip: keyed(limits.signup_per_ip, s),
            reset_ip: keyed(limits.reset_per_ip, s),
            reset_account: keyed(limits.reset_per_account, s),
            reports_ip: keyed(limits.reports_per_ip, s),
        }
    }

    /// Counts one attempt; `Err` is the 429 to answer with. `account` is the normalised login (email or
    /// username) the attempt names, whether or not such an account exists.
    pub fn attempt(&self, action: Action, ip: Option<IpAddr>, account: Option<&str>) -> Result<(), Error> {
        // Requests without a known address (tests through the router, a local socket) share one bucket.
        let ip = ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let (by_ip, by_account) = match action {
            Action::Login => (&self.login_ip, &self.login_account),
            Action::Signup => (&self.signup_ip, &None),
            Action::Reset => (&self.reset_ip, &self.reset_account),
            Action::Report => (&self.reports_ip, &None),
        };
        let account = account.map(|a| a.trim().to_lowercase());
        let result = check(by_ip, &ip).and_then(|()| match &account {
            Some(a) => check(by_account, a),
            None => Ok(()),
        });
        result.map_err(|secs| {
            tracing::warn!(?action, %ip, account = account.as_deref().unwrap_or(""), retry_after = secs, "rate limit reached");
            Error::RateLimited(secs.max(1))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refusal_with_a_wait() {
        let limits =
            RateLimits { login_per_account: Limit { burst: 3, period: MINUTE }, ..RateLimits::default() };
        let l = Limiters::new(limits);
        let ip = Some(IpAddr::from([192, 0, 2, 1]));
        for _ in 0..3 {
            l.attempt(Action::Login, ip, Some("Ada@Example.com")).unwrap();
        }
        // The same account, spelled differently, from another address: still the same bucket.
        let other = Some(IpAddr::from([192, 0, 2, 2]));
        match l.attempt(Action::Login, other, Some("ada@example.com ")) {
            Err(Error::RateLimited(secs)) => assert!((1..=20).contains(&secs), "{secs}"),
            other => panic!("expected a 429, got {other:?}"),
        }
        // Another account is untouched.
        l.attempt(Action::Login, other, Some("bob")).unwrap();
    }

    #[test]
    fn scale_zero_turns_limits_off() {
        let l = Limiters::new(RateLimits { scale: 0, ..RateLimits::default() });
        for _ in 0..1000 {
            l.attempt(Action::Reset, None, Some("ada")).unwrap();
        }
    }
}
