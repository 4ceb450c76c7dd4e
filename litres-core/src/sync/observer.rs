//! Progress callbacks, for progress bars and log lines in front ends.

use crate::model::WorkType;
use crate::window::Window;

use super::report::WindowReport;

/// Receives progress of a product update. Every method does nothing by
/// default.
pub trait SyncObserver: Send + Sync {
    /// Reports the start of a window. `index` counts from 1; `total` is
    /// the planned count, which a feed's own bound can change.
    fn window_started(
        &self,
        _work_type: &WorkType,
        _window: &Window,
        _index: usize,
        _total: usize,
    ) {
    }

    /// Reports one record read.
    fn record_processed(&self) {}

    /// Reports the end of a window, completed or failed.
    fn window_finished(&self, _report: &WindowReport) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl SyncObserver for NoProgress {}
