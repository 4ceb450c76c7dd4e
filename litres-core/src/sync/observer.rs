//! Progress callbacks, for progress bars and log lines in front ends.

use crate::model::WorkType;
use crate::window::Window;

use super::report::WindowReport;

/// Receives progress of a product update. Every method does nothing by
/// default.
pub trait SyncObserver: Send + Sync {
    /// A window starts; `index` counts from 1 up to about `total`.
    fn window_started(
        &self,
        _work_type: &WorkType,
        _window: &Window,
        _index: usize,
        _total: usize,
    ) {
    }

    /// One record was read.
    fn record_processed(&self) {}

    /// A window ended, completed or failed.
    fn window_finished(&self, _report: &WindowReport) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl SyncObserver for NoProgress {}
