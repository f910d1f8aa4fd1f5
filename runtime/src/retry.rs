//! When to retry, and how long to wait: Graph's `Retry-After` when it gives
//! one, else exponential backoff with jitter, within a bounded budget.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// How throttled and unavailable responses are retried.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 turns retries off.
    pub max_attempts: u32,
    /// The first backoff delay when the response gives no `Retry-After`.
    pub initial_backoff: Duration,
    /// The longest backoff delay (before jitter).
    pub max_backoff: Duration,
    /// The most time spent waiting across all retries of one call; a wait
    /// that would exceed it ends the call with the last response's error.
    pub max_total_delay: Duration,
    /// Statuses that are retried.
    pub retry_statuses: Vec<StatusCode>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(120),
            retry_statuses: vec![
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE,
                StatusCode::GATEWAY_TIMEOUT,
            ],
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether a response with `status` is retried.
    pub fn retries(&self, status: StatusCode) -> bool {
        self.retry_statuses.contains(&status)
    }

    /// The wait before attempt `attempt + 1`: the `Retry-After` of the
    /// response, else backoff of `initial * 2^(attempt-1)` capped, with up to
    /// 50% jitter so that many clients do not retry in step.
    pub fn delay(&self, attempt: u32, headers: &HeaderMap, now: SystemTime) -> Duration {
        if let Some(after) = retry_after(headers, now) {
            return after;
        }
        let exponent = attempt.saturating_sub(1).min(16);
        let base = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let jitter = base.mul_f64(fastrand::f64() * 0.5);
        base.saturating_sub(base / 4) + jitter
    }
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110); a date in the
/// past means no wait.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, value.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_in_seconds_and_as_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers(&later), now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(retry_after(&headers(&earlier), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_grows_exponentially_within_bounds_with_jitter() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        let now = SystemTime::now();
        for _ in 0..50 {
            let first = policy.delay(1, &HeaderMap::new(), now);
            assert!(
                first >= Duration::from_millis(75) && first <= Duration::from_millis(125),
                "{first:?}"
            );
            let third = policy.delay(3, &HeaderMap::new(), now);
            assert!(
                third >= Duration::from_millis(300) && third <= Duration::from_millis(500),
                "{third:?}"
            );
            let tenth = policy.delay(10, &HeaderMap::new(), now);
            assert!(tenth <= Duration::from_millis(1250), "{tenth:?}");
        }
        assert_eq!(policy.delay(1, &headers("3"), now), Duration::from_secs(3));
    }
}
