//! Interval splitting for catalog updates.
//!
//! A product update covers `[start, now)` in Moscow time, split into
//! consecutive half-open windows of a fixed step, oldest first. Windows
//! never overlap and never leave a gap; the last one ends at `now`.

use chrono::{Duration, NaiveDate};

use crate::time::MoscowTime;

/// Maximum window step in days, about a century: longer steps would
/// overflow date arithmetic and cover more than LitRes has.
pub const MAX_STEP_DAYS: i64 = 36_500;

/// Length of one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Whole days.
    Days(u32),
    /// Minutes.
    Minutes(u32),
}

impl Step {
    /// The default step: one day.
    pub const DEFAULT: Step = Step::Days(1);

    /// Picks the step from the `days` and `minutes` parameters; neither
    /// gives the default of one day.
    pub fn from_params(days: Option<u32>, minutes: Option<u32>) -> Result<Self, WindowError> {
        let step = match (days, minutes) {
            (Some(_), Some(_)) => return Err(WindowError::BothSteps),
            (Some(days), None) => Step::Days(days),
            (None, Some(minutes)) => Step::Minutes(minutes),
            (None, None) => Step::DEFAULT,
        };
        if step.duration() <= Duration::zero() {
            return Err(WindowError::ZeroStep);
        }
        if step.duration() > Duration::days(MAX_STEP_DAYS) {
            return Err(WindowError::StepTooLong);
        }
        Ok(step)
    }

    /// Returns the step as a duration.
    pub fn duration(self) -> Duration {
        match self {
            Step::Days(days) => Duration::days(i64::from(days)),
            Step::Minutes(minutes) => Duration::minutes(i64::from(minutes)),
        }
    }
}

/// A half-open interval `[start, end)` of change times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    /// Inclusive lower bound, sent as `checkpoint`.
    pub start: MoscowTime,
    /// Exclusive upper bound, sent as `endpoint`.
    pub end: MoscowTime,
}

/// The start of a product update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// `from`: 00:00 Moscow time of this date.
    From(NaiveDate),
    /// No `from`: the stored checkpoint of the work type, if any.
    Checkpoint(Option<MoscowTime>),
}

/// An error that keeps a window plan from being made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WindowError {
    /// `from` lies after the current time.
    #[error(
        "`from` {from} is in the future (now is {now} Moscow time): pass today or an earlier date"
    )]
    FromInFuture {
        /// The requested start date.
        from: NaiveDate,
        /// The current Moscow time.
        now: MoscowTime,
    },
    /// Both `days` and `minutes` were given.
    #[error("`days` and `minutes` were both given: pass only one of them")]
    BothSteps,
    /// A step of zero.
    #[error("the window step is zero: pass `days` or `minutes` of at least 1")]
    ZeroStep,
    /// A step longer than [`MAX_STEP_DAYS`].
    #[error(
        "the window step is longer than {MAX_STEP_DAYS} days: pass a smaller `days` or `minutes`"
    )]
    StepTooLong,
}

/// Plans the windows of one product update.
///
/// With [`Start::From`], the plan covers `[from 00:00, now)`. With a stored
/// checkpoint it covers `[checkpoint, now)`, and with no checkpoint yet
/// `[now - step, now)`. A checkpoint at or after `now` (the LitRes clock
/// ahead of ours) gives an empty plan.
///
/// # Errors
///
/// [`WindowError::FromInFuture`] when `from` starts after `now`.
pub fn plan(start: Start, step: Step, now: MoscowTime) -> Result<Windows, WindowError> {
    let begin = match start {
        Start::From(date) => {
            let begin = MoscowTime::start_of_day(date);
            if begin > now {
                return Err(WindowError::FromInFuture { from: date, now });
            }
            begin
        }
        Start::Checkpoint(Some(checkpoint)) => checkpoint,
        Start::Checkpoint(None) => now - step.duration(),
    };
    Ok(Windows {
        next: begin,
        end: now,
        step: step.duration(),
    })
}

/// Returns the window that starts at `cursor`: one step long, cut at `now`,
/// or `None` when `cursor` has reached `now`.
pub fn window_at(cursor: MoscowTime, step: Step, now: MoscowTime) -> Option<Window> {
    if cursor >= now {
        return None;
    }
    let end = std::cmp::min(cursor + step.duration(), now);
    Some(Window { start: cursor, end })
}

/// Returns where the next window starts after `window` was read completely.
///
/// LitRes answers with the bound it actually used (`fb-updates@timestamp`);
/// that bound is the next checkpoint when it lies inside `(start, end]`.
/// A bound outside that range (missing, not after the start, or past the
/// requested end, which would skip records) gives `end` instead.
pub fn next_cursor(window: &Window, feed_timestamp: Option<MoscowTime>) -> MoscowTime {
    match feed_timestamp {
        Some(bound) if bound > window.start && bound <= window.end => bound,
        _ => window.end,
    }
}

/// The windows of a plan, produced lazily so a long range costs no memory.
#[derive(Debug, Clone)]
pub struct Windows {
    next: MoscowTime,
    end: MoscowTime,
    step: Duration,
}

impl Iterator for Windows {
    type Item = Window;

    fn next(&mut self) -> Option<Window> {
        if self.next >= self.end {
            return None;
        }
        let start = self.next;
        let end = std::cmp::min(start + self.step, self.end);
        self.next = end;
        Some(Window { start, end })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let remaining = self.len();
        (remaining, Some(remaining))
    }
}

impl ExactSizeIterator for Windows {
    fn len(&self) -> usize {
        if self.next >= self.end {
            return 0;
        }
        let span = (self.end.naive() - self.next.naive()).num_seconds();
        let step = self.step.num_seconds().max(1);
        usize::try_from((span + step - 1) / step).unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> MoscowTime {
        MoscowTime::parse(text).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn render(windows: Windows) -> Vec<(String, String)> {
        windows
            .map(|window| (window.start.to_string(), window.end.to_string()))
            .collect()
    }

    #[test]
    fn from_splits_into_days_ending_at_now() {
        let windows = plan(
            Start::From(date("2024-01-30")),
            Step::Days(1),
            at("2024-02-01 10:15:00"),
        )
        .unwrap();
        assert_eq!(windows.len(), 3);
        assert_eq!(
            render(windows),
            vec![
                ("2024-01-30 00:00:00".into(), "2024-01-31 00:00:00".into()),
                ("2024-01-31 00:00:00".into(), "2024-02-01 00:00:00".into()),
                ("2024-02-01 00:00:00".into(), "2024-02-01 10:15:00".into()),
            ]
        );
    }

    #[test]
    fn month_and_leap_day_ends() {
        let cases = [
            (
                "2024-02-28",
                2,
                "2024-03-02 00:00:00",
                vec!["2024-02-28", "2024-03-01"],
            ),
            (
                "2023-02-28",
                1,
                "2023-03-01 12:00:00",
                vec!["2023-02-28", "2023-03-01"],
            ),
            (
                "2024-12-31",
                1,
                "2025-01-01 00:00:01",
                vec!["2024-12-31", "2025-01-01"],
            ),
        ];
        for (from, days, now, starts) in cases {
            let windows = plan(Start::From(date(from)), Step::Days(days), at(now)).unwrap();
            let got: Vec<String> = windows
                .map(|w| w.start.naive().date().to_string())
                .collect();
            assert_eq!(got, starts, "from {from} days {days} now {now}");
        }
    }

    #[test]
    fn windows_are_contiguous() {
        let windows: Vec<Window> = plan(
            Start::From(date("2024-03-01")),
            Step::Minutes(7),
            at("2024-03-01 01:00:00"),
        )
        .unwrap()
        .collect();
        assert_eq!(windows.len(), 9);
        assert_eq!(windows[0].start, at("2024-03-01 00:00:00"));
        assert_eq!(windows.last().unwrap().end, at("2024-03-01 01:00:00"));
        for pair in windows.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            assert!(pair[0].start < pair[0].end);
        }
    }

    #[test]
    fn from_in_future_is_error() {
        let err = plan(
            Start::From(date("2024-02-02")),
            Step::DEFAULT,
            at("2024-02-01 23:59:59"),
        )
        .unwrap_err();
        assert!(matches!(err, WindowError::FromInFuture { .. }));
        assert!(err.to_string().contains("2024-02-02"), "{err}");
    }

    #[test]
    fn from_today_at_midnight_gives_nothing() {
        let windows = plan(
            Start::From(date("2024-02-01")),
            Step::DEFAULT,
            at("2024-02-01 00:00:00"),
        )
        .unwrap();
        assert_eq!(windows.len(), 0);
    }

    #[test]
    fn checkpoint_continues_where_it_stopped() {
        let windows = plan(
            Start::Checkpoint(Some(at("2024-02-01 10:50:28"))),
            Step::Minutes(60),
            at("2024-02-01 12:00:00"),
        )
        .unwrap();
        assert_eq!(
            render(windows),
            vec![
                ("2024-02-01 10:50:28".into(), "2024-02-01 11:50:28".into()),
                ("2024-02-01 11:50:28".into(), "2024-02-01 12:00:00".into()),
            ]
        );
    }

    #[test]
    fn no_checkpoint_starts_one_step_back() {
        let windows = plan(
            Start::Checkpoint(None),
            Step::Minutes(30),
            at("2024-02-01 12:00:00"),
        )
        .unwrap();
        assert_eq!(
            render(windows),
            vec![("2024-02-01 11:30:00".into(), "2024-02-01 12:00:00".into())]
        );
        let default = plan(
            Start::Checkpoint(None),
            Step::DEFAULT,
            at("2024-02-01 12:00:00"),
        )
        .unwrap();
        assert_eq!(
            render(default),
            vec![("2024-01-31 12:00:00".into(), "2024-02-01 12:00:00".into())]
        );
    }

    #[test]
    fn checkpoint_ahead_of_now_gives_nothing() {
        let windows = plan(
            Start::Checkpoint(Some(at("2024-02-01 12:00:05"))),
            Step::DEFAULT,
            at("2024-02-01 12:00:00"),
        )
        .unwrap();
        assert_eq!(windows.len(), 0);
    }

    #[test]
    fn step_params_table() {
        assert_eq!(Step::from_params(None, None), Ok(Step::Days(1)));
        assert_eq!(Step::from_params(Some(3), None), Ok(Step::Days(3)));
        assert_eq!(Step::from_params(None, Some(5)), Ok(Step::Minutes(5)));
        assert_eq!(
            Step::from_params(Some(1), Some(5)),
            Err(WindowError::BothSteps)
        );
        assert_eq!(Step::from_params(Some(0), None), Err(WindowError::ZeroStep));
        assert_eq!(Step::from_params(None, Some(0)), Err(WindowError::ZeroStep));
        assert_eq!(
            Step::from_params(Some(36_500), None),
            Ok(Step::Days(36_500))
        );
        assert_eq!(
            Step::from_params(Some(36_501), None),
            Err(WindowError::StepTooLong)
        );
        assert_eq!(
            Step::from_params(Some(u32::MAX), None),
            Err(WindowError::StepTooLong)
        );
        assert_eq!(
            Step::from_params(None, Some(u32::MAX)),
            Err(WindowError::StepTooLong)
        );
    }

    #[test]
    fn next_cursor_table() {
        let window = Window {
            start: at("2024-02-01 10:00:00"),
            end: at("2024-02-01 11:00:00"),
        };
        let cases = [
            (None, "2024-02-01 11:00:00"),
            (Some("2024-02-01 11:00:00"), "2024-02-01 11:00:00"),
            (Some("2024-02-01 10:30:00"), "2024-02-01 10:30:00"),
            (Some("2024-02-01 10:00:00"), "2024-02-01 11:00:00"),
            (Some("2024-02-01 09:00:00"), "2024-02-01 11:00:00"),
            (Some("2024-02-01 12:00:00"), "2024-02-01 11:00:00"),
        ];
        for (bound, expected) in cases {
            let got = next_cursor(&window, bound.map(at));
            assert_eq!(got.to_string(), expected, "feed timestamp {bound:?}");
        }
    }

    #[test]
    fn window_at_cuts_at_now() {
        let now = at("2024-02-01 10:30:00");
        let window = window_at(at("2024-02-01 10:00:00"), Step::Minutes(60), now).unwrap();
        assert_eq!(window.end, now);
        assert_eq!(window_at(now, Step::Minutes(60), now), None);
    }
}
