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
    /// The longest single wait (default 60 s). A `Retry-After` asking for
    /// more is not waited for: the call ends at once with that response's
    /// error, whose headers carry the `Retry-After`, so that a server (or a
    /// garbled header) cannot park a call for hours even when
    /// `max_total_delay` is raised. Retrying sooner than asked would only be
    /// throttled again.
    pub max_wait: Duration,
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
            max_wait: Duration::from_secs(60),
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
    ///
    /// This is the wait asked for, which may be longer than
    /// [`max_wait`](Self::max_wait): the client does not make such a wait.
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
        base.saturating_sub(base / 4).saturating_add(jitter)
    }
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110); a date in the
/// past means no wait. Seconds too many for a `u64` are the longest wait
/// there is, not a value to ignore. Anything else (a negative number, a
/// fraction, bytes that are not text) is no `Retry-After`: backoff applies.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
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
    fn hostile_retry_after_values_are_the_longest_wait_or_none() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers("18446744073709551615"), now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            retry_after(&headers("99999999999999999999999999"), now),
            Some(Duration::MAX)
        );
        let far = retry_after(&headers("Fri, 31 Dec 9999 23:59:59 GMT"), now).unwrap();
        assert!(far > Duration::from_secs(200_000_000_000), "{far:?}");
        for value in ["-1", "+5", "1.5", "1e9", "", "0x10", "5 s"] {
            assert_eq!(retry_after(&headers(value), now), None, "{value:?}");
        }
        let mut not_text = HeaderMap::new();
        not_text.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_bytes(b"\xff1").unwrap(),
        );
        assert_eq!(retry_after(&not_text, now), None);
        assert_eq!(
            retry_after(&headers(" 7 "), now),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn backoff_does_not_overflow_with_the_longest_durations() {
        let policy = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..RetryPolicy::default()
        };
        for attempt in [0, 1, 2, 17, u32::MAX] {
            let _ = policy.delay(attempt, &HeaderMap::new(), SystemTime::now());
        }
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
