//! Product update: import the catalog feed window by window.

use std::time::Instant;

use chrono::NaiveDate;
use tracing::{info, warn};

use crate::client::{Client, ClientError, FreshBooksRequest};
use crate::feed::FeedItem;
use crate::model::{Book, ExternalId, Record, RemovedBook, WorkType};
use crate::store::{CartStore, StoreError};
use crate::time::MoscowTime;
use crate::window::{self, Start, Step, Window};

use super::config::SyncConfig;
use super::decide::{decide_product, decide_removal, ProductAction, RemovalAction};
use super::error::SyncError;
use super::mapping::{map_book, CategoryIndex};
use super::observer::SyncObserver;
use super::report::{BookReport, FailedRecord, WindowReport, WindowStatus};

/// Parameters of one product update, as the admin page and the tool take
/// them.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BookRequest {
    /// One work type; `None` imports every type of `product_types`.
    pub work_type: Option<WorkType>,
    /// Start at 00:00 Moscow time of this date instead of the checkpoint.
    pub from: Option<NaiveDate>,
    /// Window length in days (`days`); default one day.
    pub days: Option<u32>,
    /// Window length in minutes (`minutes`).
    pub minutes: Option<u32>,
    /// Import one book by external id, outside any window.
    pub uuid: Option<ExternalId>,
    /// The current time; `None` reads the clock.
    pub now: Option<MoscowTime>,
}

/// Imports the catalog changes of every requested work type.
///
/// Each window's writes sit between `begin_window` and `commit_window`, and
/// the checkpoint moves only after a window was read to its end. A record
/// that cannot be parsed or mapped is reported and skipped. A window that
/// fails `window_attempts` times ends the work type's run, so no window is
/// ever skipped.
///
/// # Errors
///
/// [`SyncError`] when the parameters are invalid or the store cannot give
/// its categories or checkpoints. Failed windows and records do not raise:
/// they are in the report, and [`BookReport::is_success`] is false.
pub async fn update_books<S>(
    client: &Client,
    store: &S,
    config: &SyncConfig,
    request: &BookRequest,
    observer: &dyn SyncObserver,
) -> Result<BookReport, SyncError>
where
    S: CartStore + ?Sized,
{
    let started = Instant::now();
    let step = Step::from_params(request.days, request.minutes)?;
    let now = request
        .now
        .unwrap_or_else(|| MoscowTime::from_utc(chrono::Utc::now()));
    let types = match &request.work_type {
        Some(work_type) => vec![work_type.clone()],
        None => config.product_types.clone(),
    };
    let categories = CategoryIndex::new(&store.genre_categories().await.map_err(SyncError::Store)?);
    if categories.is_empty() {
        warn!("the store has no genre categories: run the genre update first, or books get only the fallback category");
    }
    let run = Run {
        client,
        store,
        config,
        categories,
        observer,
    };
    let mut report = BookReport::default();

    if let Some(uuid) = &request.uuid {
        run.import_by_uuid(&types, uuid, step, now, &mut report)
            .await?;
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    for work_type in &types {
        let start = match request.from {
            Some(date) => Start::From(date),
            None => {
                let checkpoint = store
                    .load_checkpoint(work_type)
                    .await
                    .map_err(SyncError::Store)?;
                if checkpoint.is_none() {
                    warn!(
                        work_type = %work_type,
                        "no checkpoint for this work type yet: only the last window is imported; pass `from` to import older changes"
                    );
                    report.without_checkpoint.push(work_type.clone());
                }
                Start::Checkpoint(checkpoint)
            }
        };
        let plan = window::plan(start, step, now)?;
        let total = plan.len();
        let mut cursor = plan.clone().next().map(|window| window.start);
        let mut index = 0;
        while let Some(window) = cursor.and_then(|at| window::window_at(at, step, now)) {
            index += 1;
            observer.window_started(work_type, &window, index, total);
            let window_report = run.import_window(work_type, &window, &mut report).await;
            let failed = window_report.status == WindowStatus::Failed;
            cursor = window_report.next_cursor;
            observer.window_finished(&window_report.report);
            report.windows.push(window_report.report);
            if failed {
                break;
            }
        }
    }
    report.elapsed = started.elapsed();
    info!(
        windows = report.windows.len(),
        seen = report.seen,
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged,
        disabled = report.disabled,
        failed = report.failed.len(),
        "product update finished"
    );
    Ok(report)
}

/// The store write one record led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
    Disabled,
}

/// Counts of one window attempt, added to the report only when the window
/// commits, because an aborted attempt's writes are rolled back.
#[derive(Debug, Default)]
struct Tally {
    seen: u64,
    created: u64,
    updated: u64,
    unchanged: u64,
    disabled: u64,
    failed: Vec<FailedRecord>,
}

impl Tally {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Disabled => self.disabled += 1,
        }
    }

    fn add_to(self, report: &mut BookReport) {
        report.seen += self.seen;
        report.created += self.created;
        report.updated += self.updated;
        report.unchanged += self.unchanged;
        report.disabled += self.disabled;
        report.failed.extend(self.failed);
    }
}

/// The failure that stopped a window attempt before its end.
enum WindowFailure {
    Source(ClientError),
    Store(StoreError),
}

impl WindowFailure {
    fn is_retryable(&self) -> bool {
        match self {
            Self::Source(error) => error.is_retryable() || error.feed_error().is_some(),
            Self::Store(error) => error.is_retryable(),
        }
    }
}

impl std::fmt::Display for WindowFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Source(error) => write!(f, "LitRes: {error}"),
            Self::Store(error) => write!(f, "store: {error}"),
        }
    }
}

struct WindowOutcome {
    report: WindowReport,
    status: WindowStatus,
    next_cursor: Option<MoscowTime>,
}

struct Run<'a, S: ?Sized> {
    client: &'a Client,
    store: &'a S,
    config: &'a SyncConfig,
    categories: CategoryIndex,
    observer: &'a dyn SyncObserver,
}

impl<S> Run<'_, S>
where
    S: CartStore + ?Sized,
{
    async fn import_window(
        &self,
        work_type: &WorkType,
        window: &Window,
        report: &mut BookReport,
    ) -> WindowOutcome {
        let attempts = self.config.window_attempts.max(1);
        let mut last_error = String::new();
        let mut records = 0;
        for attempt in 1..=attempts {
            let mut tally = Tally::default();
            let result = self.try_window(work_type, window, &mut tally).await;
            records = tally.seen;
            match result {
                Ok(next) => {
                    tally.add_to(report);
                    info!(work_type = %work_type, start = %window.start, end = %window.end, records, attempt, "window imported");
                    return WindowOutcome {
                        report: window_report(work_type, window, records, attempt, None),
                        status: WindowStatus::Completed,
                        next_cursor: Some(next),
                    };
                }
                Err(failure) => {
                    if let Err(error) = self.store.abort_window().await {
                        warn!(%error, "could not roll back the window's writes");
                    }
                    last_error = failure.to_string();
                    warn!(work_type = %work_type, start = %window.start, end = %window.end, attempt, error = %last_error, "window failed");
                    if !failure.is_retryable() {
                        break;
                    }
                }
            }
        }
        WindowOutcome {
            report: window_report(work_type, window, records, attempts, Some(last_error)),
            status: WindowStatus::Failed,
            next_cursor: None,
        }
    }

    async fn try_window(
        &self,
        work_type: &WorkType,
        window: &Window,
        tally: &mut Tally,
    ) -> Result<MoscowTime, WindowFailure> {
        let request = FreshBooksRequest::for_window(window, work_type.clone());
        self.store
            .begin_window()
            .await
            .map_err(WindowFailure::Store)?;
        let mut stream = self
            .client
            .fresh_books(&request)
            .await
            .map_err(WindowFailure::Source)?;
        while let Some(item) = stream.next().await {
            let item = item.map_err(WindowFailure::Source)?;
            tally.seen += 1;
            self.observer.record_processed();
            self.apply_item(item, work_type, Some(window), tally)
                .await?;
        }
        let next = window::next_cursor(window, stream.timestamp());
        self.store
            .commit_window(work_type, next)
            .await
            .map_err(WindowFailure::Store)?;
        Ok(next)
    }

    /// Imports one book by external id, trying the work types in order
    /// until one returns it.
    async fn import_by_uuid(
        &self,
        types: &[WorkType],
        uuid: &ExternalId,
        step: Step,
        now: MoscowTime,
        report: &mut BookReport,
    ) -> Result<(), SyncError> {
        for work_type in types {
            self.import_one(work_type, uuid, step, now, report).await?;
            if report.seen > 0 {
                return Ok(());
            }
        }
        let codes: Vec<&str> = types.iter().map(WorkType::code).collect();
        report.failed.push(FailedRecord {
            art_id: None,
            external_id: Some(uuid.to_string()),
            work_type: types.first().cloned().unwrap_or(WorkType::Text),
            window: None,
            offset: None,
            reason: format!(
                "LitRes returned no book with external id {uuid} for work type {}; check the id and the type",
                codes.join(", ")
            ),
        });
        Ok(())
    }

    async fn import_one(
        &self,
        work_type: &WorkType,
        uuid: &ExternalId,
        step: Step,
        now: MoscowTime,
        report: &mut BookReport,
    ) -> Result<(), SyncError> {
        let mut request = FreshBooksRequest::for_window(
            &Window {
                start: now - step.duration(),
                end: now,
            },
            work_type.clone(),
        );
        request.endpoint = None;
        request.uuid = Some(uuid.clone());
        let mut stream = self
            .client
            .fresh_books(&request)
            .await
            .map_err(SyncError::Source)?;
        let mut tally = Tally::default();
        while let Some(item) = stream.next().await {
            let item = item.map_err(SyncError::Source)?;
            tally.seen += 1;
            self.apply_item(item, work_type, None, &mut tally)
                .await
                .map_err(|failure| match failure {
                    WindowFailure::Source(error) => SyncError::Source(error),
                    WindowFailure::Store(error) => SyncError::Store(error),
                })?;
        }
        tally.add_to(report);
        Ok(())
    }

    async fn apply_item(
        &self,
        item: FeedItem,
        work_type: &WorkType,
        window: Option<&Window>,
        tally: &mut Tally,
    ) -> Result<(), WindowFailure> {
        let failed =
            |art_id, external_id: Option<&ExternalId>, offset, reason: String| FailedRecord {
                art_id,
                external_id: external_id.map(|id| id.to_string()),
                work_type: work_type.clone(),
                window: window.copied(),
                offset,
                reason,
            };
        let result = match item {
            FeedItem::Failed(error) => {
                let art_id = error.art_id().map(|id| id.to_string()).unwrap_or_default();
                warn!(art_id, offset = error.offset(), error = %error, "record could not be parsed");
                tally.failed.push(failed(
                    error.art_id(),
                    error.external_id(),
                    Some(error.offset()),
                    error.to_string(),
                ));
                return Ok(());
            }
            FeedItem::Record(Record::Removed(removed)) => {
                self.apply_removal(&removed, window).await
            }
            FeedItem::Record(Record::Updated(book)) => match self.apply_book(&book, window).await {
                Ok(outcome) => Ok(outcome),
                Err(RecordFailure::Store(error)) if error.is_retryable() => Err(error),
                Err(failure) => {
                    warn!(art_id = %book.art_id, error = %failure, "record could not be imported");
                    tally.failed.push(failed(
                        Some(book.art_id),
                        Some(&book.external_id),
                        None,
                        failure.to_string(),
                    ));
                    return Ok(());
                }
            },
        };
        match result {
            Ok(outcome) => {
                tally.count(outcome);
                Ok(())
            }
            Err(error) => Err(WindowFailure::Store(error)),
        }
    }

    async fn apply_book(
        &self,
        book: &Book,
        window: Option<&Window>,
    ) -> Result<Outcome, RecordFailure> {
        if !book.must_import {
            let mut removal = RemovedBook::new(book.art_id);
            removal.updated = book.updated;
            return self
                .apply_removal(&removal, window)
                .await
                .map_err(RecordFailure::Store);
        }
        let draft =
            map_book(book, self.config, &self.categories).map_err(RecordFailure::Mapping)?;
        let stored = self
            .store
            .find_product(book.art_id)
            .await
            .map_err(RecordFailure::Store)?;
        let outcome = match decide_product(stored.as_ref(), &draft) {
            ProductAction::Create => {
                self.store
                    .create_product(&draft)
                    .await
                    .map_err(RecordFailure::Store)?;
                Outcome::Created
            }
            ProductAction::Update { send_cover } => {
                let id = stored
                    .map(|product| product.id)
                    .ok_or(RecordFailure::Vanished)?;
                self.store
                    .update_product(id, &draft, send_cover)
                    .await
                    .map_err(RecordFailure::Store)?;
                Outcome::Updated
            }
            ProductAction::Unchanged => Outcome::Unchanged,
        };
        Ok(outcome)
    }

    async fn apply_removal(
        &self,
        removed: &RemovedBook,
        window: Option<&Window>,
    ) -> Result<Outcome, StoreError> {
        let stored = self.store.find_product(removed.art_id).await?;
        match (
            decide_removal(stored.as_ref(), removed.updated, window),
            stored,
        ) {
            (RemovalAction::Disable { changed_at }, Some(product)) => {
                self.store.disable_product(product.id, changed_at).await?;
                Ok(Outcome::Disabled)
            }
            _ => Ok(Outcome::Unchanged),
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum RecordFailure {
    #[error(transparent)]
    Mapping(#[from] super::mapping::MappingError),
    #[error("{0}")]
    Store(StoreError),
    #[error("the product to update was not found again")]
    Vanished,
}

fn window_report(
    work_type: &WorkType,
    window: &Window,
    records: u64,
    attempts: u32,
    error: Option<String>,
) -> WindowReport {
    WindowReport {
        work_type: work_type.clone(),
        window: *window,
        records,
        attempts,
        status: if error.is_some() {
            WindowStatus::Failed
        } else {
            WindowStatus::Completed
        },
        error,
    }
}
