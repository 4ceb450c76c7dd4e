//! Run reports: what a genre or product update did.

use std::time::Duration;

use serde::Serialize;

use crate::model::{ArtId, WorkType};
use crate::window::Window;

/// Outcome of one window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowStatus {
    /// Every record was read and the checkpoint saved.
    Completed,
    /// The window could not be read to its end; nothing after it ran.
    Failed,
}

/// One requested window.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct WindowReport {
    /// Work type requested.
    pub work_type: WorkType,
    /// The interval.
    #[serde(flatten)]
    pub window: Window,
    /// Records read in the last attempt.
    pub records: u64,
    /// Attempts made.
    pub attempts: u32,
    /// Outcome.
    pub status: WindowStatus,
    /// The error that failed the window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A record that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FailedRecord {
    /// Art id, when it could be read.
    pub art_id: Option<ArtId>,
    /// External id, for retrying the record alone (`uuid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Work type of the window.
    pub work_type: WorkType,
    /// Window it came in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// Byte offset in the response, for parse failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// The reason the record failed.
    pub reason: String,
}

/// Totals of a product update.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct BookReport {
    /// Windows requested, in order.
    pub windows: Vec<WindowReport>,
    /// Records read, failed ones included.
    pub seen: u64,
    /// Products created.
    pub created: u64,
    /// Products updated.
    pub updated: u64,
    /// Records that needed no write.
    pub unchanged: u64,
    /// Products disabled by a removal or `must_import="0"`.
    pub disabled: u64,
    /// Records that could not be imported.
    pub failed: Vec<FailedRecord>,
    /// Work types that had no checkpoint and were not given `from`: only
    /// their last window was imported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub without_checkpoint: Vec<WorkType>,
    /// Wall-clock time of the run.
    #[serde(serialize_with = "as_seconds")]
    pub elapsed: Duration,
}

impl BookReport {
    /// Returns true when every window completed and no record failed.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty()
            && self
                .windows
                .iter()
                .all(|window| window.status == WindowStatus::Completed)
    }

    /// Returns the number of windows that failed.
    pub fn failed_windows(&self) -> usize {
        self.windows
            .iter()
            .filter(|window| window.status == WindowStatus::Failed)
            .count()
    }
}

/// Totals of a genre update.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct GenreReport {
    /// Tree positions read.
    pub positions: u64,
    /// Categories created.
    pub created: u64,
    /// Categories renamed, moved or enabled again.
    pub updated: u64,
    /// Categories that needed no write.
    pub unchanged: u64,
    /// Categories disabled because their genre left the tree.
    pub disabled: u64,
    /// Wall-clock time of the run.
    #[serde(serialize_with = "as_seconds")]
    pub elapsed: Duration,
}

fn as_seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((duration.as_secs_f64() * 1000.0).round() / 1000.0)
}
