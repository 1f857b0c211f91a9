//! The limits of one process, in memory (the default, with SQLite): keyed GCRA token buckets from the
//! `governor` crate, and fixed windows of failed log-ins. A restart forgets them.

use super::{Action, Limit, RateLimits};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

type ByIp = Option<DefaultKeyedRateLimiter<IpAddr>>;
type ByName = Option<DefaultKeyedRateLimiter<String>>;

fn quota(limit: Limit, scale: u32) -> Option<Quota> {
    let burst = NonZeroU32::new(limit.burst.saturating_mul(scale))?;
    let every = limit.period / burst.get();
    Quota::with_period(every.max(Duration::from_millis(1))).map(|q| q.allow_burst(burst))
}

fn keyed<K: std::hash::Hash + Eq + Clone>(limit: Limit, scale: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    quota(limit, scale).map(governor::RateLimiter::keyed)
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &Option<DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Result<(), u64> {
    let Some(limiter) = limiter else { return Ok(()) };
    limiter
        .check_key(key)
        .map_err(|not_until| super::whole_seconds(not_until.wait_time_from(DefaultClock::default().now())))
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

    fn locked(&self, key: &str) -> Option<u64> {
        let (limit, window) = self.limit?;
        let (count, since) = *self.map().get(key)?;
        let left = window.checked_sub(since.elapsed())?;
        (count >= limit).then(|| super::whole_seconds(left))
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

/// This process's limiters.
#[derive(Debug)]
pub(super) struct Memory {
    login_ip: ByIp,
    login_failures: Failures,
    signup_ip: ByIp,
    reset_ip: ByIp,
    reset_account: ByName,
    reset_use_ip: ByIp,
    reset_use_link: ByName,
    reports_ip: ByIp,
    verify_mail_ip: ByIp,
    verify_mail_account: ByName,
}

impl Memory {
    pub(super) fn new(limits: &RateLimits) -> Self {
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

    /// Counts an attempt from `ip` (already bucketed) naming `account` (already normalised).
    pub(super) fn attempt(&self, action: Action, ip: IpAddr, account: Option<&str>) -> Result<(), u64> {
        let (by_ip, by_name) = match action {
            Action::Login => (&self.login_ip, &None),
            Action::Signup => (&self.signup_ip, &None),
            Action::Reset => (&self.reset_ip, &self.reset_account),
            Action::ResetUse => (&self.reset_use_ip, &self.reset_use_link),
            Action::Report => (&self.reports_ip, &None),
            Action::VerifyMail => (&self.verify_mail_ip, &self.verify_mail_account),
        };
        check(by_ip, &ip)?;
        match account {
            Some(a) => check(by_name, &a.to_string()),
            None => Ok(()),
        }
    }

    pub(super) fn login_locked(&self, account: &str) -> Option<u64> {
        self.login_failures.locked(account)
    }

    pub(super) fn login_failed(&self, account: &str) {
        self.login_failures.fail(account);
    }

    pub(super) fn login_succeeded(&self, account: &str) {
        self.login_failures.clear(account);
    }

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

    fn by_name(&self) -> impl Iterator<Item = &DefaultKeyedRateLimiter<String>> {
        [&self.reset_account, &self.reset_use_link, &self.verify_mail_account].into_iter().flatten()
    }

    /// Forgets keys whose buckets are full again (nothing to remember), so memory stays bounded.
    pub(super) fn prune(&self) {
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

    pub(super) fn tracked_keys(&self) -> usize {
        let by_ip: usize = self.by_ip().map(|l| l.len()).sum();
        let by_name: usize = self.by_name().map(|l| l.len()).sum();
        by_ip + by_name + self.login_failures.len()
    }
}
