//! Progress display: a bar on a terminal, log lines otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use litres_core::model::WorkType;
use litres_core::sync::{SyncObserver, WindowReport};
use litres_core::window::Window;

/// Shows product update progress on standard error.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Makes a progress bar when standard error is a terminal; otherwise the
    /// engine's own log lines tell the progress.
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            let style =
                ProgressStyle::with_template("{spinner} window {pos}/{len} {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Self { bar }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl SyncObserver for Progress {
    fn window_started(&self, work_type: &WorkType, window: &Window, index: usize, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(index.saturating_sub(1) as u64);
            bar.set_message(format!("type {work_type} from {}", window.start));
        }
    }

    fn record_processed(&self) {
        if let Some(bar) = &self.bar {
            bar.tick();
        }
    }

    fn window_finished(&self, _report: &WindowReport) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}
