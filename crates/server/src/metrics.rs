//! Prometheus metrics (`GET /metrics`, text exposition format 0.0.4): what an operator graphs and alerts
//! on. Counted as things happen: HTTP requests by route (the route's pattern, never the raw path, so the
//! label set stays small), method and status, with latency histograms; job runs by kind and outcome, with
//! duration histograms; requests to model providers by provider and outcome. Read from the database at scrape time: jobs by state (the queue's depth), the
//! outbox backlog, credits spent, images stored; and the data disk's free space.
//!
//! The endpoint is off unless `VINANO_METRICS_TOKEN` is set, and then needs `Authorization: Bearer
//! <token>` (see `http/health.rs`).

use crate::AppState;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds (seconds) of the latency buckets of HTTP requests.
const HTTP_BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Upper bounds (seconds) of the duration buckets of job runs.
const JOB_BUCKETS: [f64; 9] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0];

/// A histogram: counts per bucket (not cumulative; summed when written), their sum and count.
#[derive(Debug, Clone, Default)]
struct Histogram {
    buckets: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, bounds: &[f64], value: f64) {
        if self.buckets.len() != bounds.len() {
            self.buckets = vec![0; bounds.len()];
        }
        if let Some(i) = bounds.iter().position(|b| value <= *b) {
            self.buckets[i] += 1;
        }
        self.sum += value;
        self.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str, bounds: &[f64]) {
        let mut cumulative = 0;
        for (bound, n) in bounds.iter().zip(&self.buckets) {
            cumulative += n;
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

/// The counters and histograms this process keeps.
#[derive(Debug, Default)]
pub struct Metrics {
    /// (route, method, status) → latency histogram (its count is the request count).
    http: Mutex<BTreeMap<(String, String, u16), Histogram>>,
    /// (kind, outcome) → duration histogram.
    jobs: Mutex<BTreeMap<(String, String), Histogram>>,
}

impl Metrics {
    /// Counts an HTTP request to `route` (a route pattern or a fixed word, never a raw path).
    pub fn observe_http(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "OTHER",
        };
        let mut http = self.http.lock().unwrap_or_else(|e| e.into_inner());
        let key = (route.to_string(), method.to_string(), status);
        http.entry(key).or_default().observe(&HTTP_BUCKETS, seconds);
    }

    /// Counts a job run of `kind` that ended with `outcome` after `seconds`.
    pub fn observe_job(&self, kind: &str, outcome: &str, seconds: f64) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.entry((kind.to_string(), outcome.to_string())).or_default().observe(&JOB_BUCKETS, seconds);
    }

    fn write_counted(&self, out: &mut String) {
        let http = self.http.lock().unwrap_or_else(|e| e.into_inner()).clone();
        out.push_str(
            "# HELP vinano_http_requests_total HTTP requests answered, by route, method and status.\n",
        );
        out.push_str("# TYPE vinano_http_requests_total counter\n");
        for ((route, method, status), h) in &http {
            let labels = format!("route=\"{}\",method=\"{method}\",status=\"{status}\"", escape(route));
            let _ = writeln!(out, "vinano_http_requests_total{{{labels}}} {}", h.count);
        }
        out.push_str("# HELP vinano_http_request_duration_seconds Time to answer, by route and method.\n");
        out.push_str("# TYPE vinano_http_request_duration_seconds histogram\n");
        let mut by_route: BTreeMap<(String, String), Histogram> = BTreeMap::new();
        for ((route, method, _), h) in &http {
            let merged = by_route.entry((route.clone(), method.clone())).or_default();
            if merged.buckets.is_empty() {
                merged.buckets = vec![0; HTTP_BUCKETS.len()];
            }
            for (m, n) in merged.buckets.iter_mut().zip(&h.buckets) {
                *m += n;
            }
            merged.sum += h.sum;
            merged.count += h.count;
        }
        for ((route, method), h) in &by_route {
            let labels = format!("route=\"{}\",method=\"{method}\"", escape(route));
            h.write(out, "vinano_http_request_duration_seconds", &labels, &HTTP_BUCKETS);
        }
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        out.push_str("# HELP vinano_job_run_seconds Job runs in this process, by kind and outcome.\n");
        out.push_str("# TYPE vinano_job_run_seconds histogram\n");
        for ((kind, outcome), h) in &jobs {
            let labels = format!("kind=\"{kind}\",outcome=\"{outcome}\"");
            h.write(out, "vinano_job_run_seconds", &labels, &JOB_BUCKETS);
        }
    }
}

/// Requests to model providers this process made: (provider, outcome) → count. Process-wide, as the
/// providers are (each is built from the configuration, apart from any one app state).
static PROVIDER_REQUESTS: Mutex<BTreeMap<(&'static str, &'static str), u64>> = Mutex::new(BTreeMap::new());

/// How a request to a model provider ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderOutcome {
    /// A 2xx answer.
    Ok,
    /// 429: the provider asked to slow down.
    RateLimited,
    /// Another 4xx (a refusal, a bad key, a bad request).
    Refused,
    /// A 5xx answer.
    ServerError,
    /// No answer: the connection failed or the request timed out.
    Unreachable,
}

impl ProviderOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::RateLimited => "rate_limited",
            Self::Refused => "refused",
            Self::ServerError => "server_error",
            Self::Unreachable => "unreachable",
        }
    }
}

/// Counts one request (one attempt, retries included) to `provider`.
pub fn observe_provider(provider: &'static str, outcome: ProviderOutcome) {
    let mut calls = PROVIDER_REQUESTS.lock().unwrap_or_else(|e| e.into_inner());
    *calls.entry((provider, outcome.label())).or_default() += 1;
}

/// How many requests to `provider` ended with `outcome` so far in this process.
pub fn provider_requests(provider: &str, outcome: ProviderOutcome) -> u64 {
    let calls = PROVIDER_REQUESTS.lock().unwrap_or_else(|e| e.into_inner());
    calls.iter().find(|((p, o), _)| *p == provider && *o == outcome.label()).map_or(0, |(_, n)| *n)
}

fn write_provider_requests(out: &mut String) {
    let calls = PROVIDER_REQUESTS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let samples: Vec<(String, f64)> = calls
        .iter()
        .map(|((provider, outcome), n)| (format!("provider=\"{provider}\",outcome=\"{outcome}\""), *n as f64))
        .collect();
    gauge(
        out,
        "vinano_provider_requests_total",
        "Requests to model providers (every attempt), by provider and outcome.",
        "counter",
        &samples,
    );
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn gauge(out: &mut String, name: &str, help: &str, kind: &str, samples: &[(String, f64)]) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    for (labels, value) in samples {
        if labels.is_empty() {
            let _ = writeln!(out, "{name} {value}");
        } else {
            let _ = writeln!(out, "{name}{{{labels}}} {value}");
        }
    }
}

/// Every metric, in the text exposition format.
pub async fn render(state: &AppState) -> anyhow::Result<String> {
    let mut out = String::new();
    state.metrics.write_counted(&mut out);
    write_provider_requests(&mut out);
    let by_state: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state")
            .fetch_all(&state.db)
            .await?;
    let mut jobs: BTreeMap<String, f64> = ["queued", "running", "succeeded", "failed", "cancelled"]
        .iter()
        .map(|s| (s.to_string(), 0.0))
        .collect();
    for (s, n) in by_state {
        jobs.insert(s, n as f64);
    }
    let jobs: Vec<(String, f64)> =
        jobs.into_iter().map(|(s, n)| (format!("state=\"{}\"", escape(&s)), n)).collect();
    gauge(
        &mut out,
        "vinano_jobs",
        "Jobs in the database by state (queued: the queue's depth).",
        "gauge",
        &jobs,
    );
    let backlog: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(&state.db).await?;
    gauge(
        &mut out,
        "vinano_outbox_backlog",
        "Emails waiting to be sent.",
        "gauge",
        &[(String::new(), backlog as f64)],
    );
    let spent: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(ABS(r.amount)), 0) AS BIGINT) FROM credit_ledger s
         JOIN credit_ledger r ON r.job_id = s.job_id AND r.run = s.run AND r.kind = 'reserve'
         WHERE s.kind = 'settle'",
    )
    .fetch_one(&state.db)
    .await?;
    gauge(
        &mut out,
        "vinano_credits_spent_total",
        "Credits spent on jobs that succeeded.",
        "counter",
        &[(String::new(), spent as f64)],
    );
    let (images, bytes): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(byte_size), 0) AS BIGINT) FROM images")
            .fetch_one(&state.db)
            .await?;
    gauge(&mut out, "vinano_images", "Images stored.", "gauge", &[(String::new(), images as f64)]);
    gauge(
        &mut out,
        "vinano_images_bytes",
        "Bytes of the images stored.",
        "gauge",
        &[(String::new(), bytes as f64)],
    );
    let dir = state.config.data_dir.clone();
    if let Ok(Ok(free)) = tokio::task::spawn_blocking(move || crate::health::free_bytes(&dir)).await {
        gauge(
            &mut out,
            "vinano_disk_free_bytes",
            "Free space on the data directory's disk.",
            "gauge",
            &[(String::new(), free as f64)],
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_labels_are_escaped() {
        let metrics = Metrics::default();
        metrics.observe_http("/api/v1/session", "GET", 200, 0.003);
        metrics.observe_http("/api/v1/session", "GET", 200, 0.2);
        metrics.observe_http("/api/v1/session", "GET", 401, 20.0);
        metrics.observe_http("a\"b", "BREW", 418, 0.01);
        let mut out = String::new();
        metrics.write_counted(&mut out);
        assert!(
            out.contains(
                "vinano_http_requests_total{route=\"/api/v1/session\",method=\"GET\",status=\"200\"} 2\n"
            ),
            "{out}"
        );
        assert!(out.contains(
            "vinano_http_requests_total{route=\"/api/v1/session\",method=\"GET\",status=\"401\"} 1\n"
        ));
        let bucket = |le: &str| {
            format!("vinano_http_request_duration_seconds_bucket{{route=\"/api/v1/session\",method=\"GET\",le=\"{le}\"}}")
        };
        assert!(out.contains(&format!("{} 1\n", bucket("0.005"))), "{out}");
        assert!(out.contains(&format!("{} 2\n", bucket("0.25"))), "{out}");
        assert!(out.contains(&format!("{} 2\n", bucket("10"))), "{out}");
        assert!(out.contains(&format!("{} 3\n", bucket("+Inf"))), "{out}");
        assert!(out.contains("route=\"a\\\"b\",method=\"OTHER\",status=\"418\""), "{out}");
    }
}
