//! A `CartStore` kept by the host: each method sends its request over a
//! channel to the job handle and waits for the host's answer. The
//! `OrderStore` side is in `host_orders`.

use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use litres_core::store::{
    CartStore, CategoryDraft, ProductDraft, StoreError, StoreErrorKind, StoredCategory,
    StoredProduct,
};
use litres_core::{ArtId, CategoryId, MoscowTime, ProductId, WorkType};
use tokio::sync::{mpsc, oneshot};

use crate::protocol::{Answer, Expect, StoreRequest};
use crate::status::FfiError;

/// A store request waiting for the host's answer.
#[derive(Debug)]
pub(crate) struct PendingRequest {
    /// The `op` name.
    pub op: &'static str,
    /// The request as JSON.
    pub json: String,
    /// Shape of the expected answer.
    pub expect: Expect,
    /// Channel of the parsed answer.
    pub reply: oneshot::Sender<Result<Answer, StoreError>>,
}

/// A message from the engine to the job handle.
#[derive(Debug)]
pub(crate) enum Event {
    /// A store request for the host.
    Request(PendingRequest),
    /// The run ended: the done JSON, or why the run stopped.
    Finished(Result<String, FfiError>),
}

/// Why a job stops early: an invalid answer or a cancel. Shared by the
/// job handle, which sets it, and the host store, which checks it.
#[derive(Debug, Default)]
pub(crate) struct JobFailure(Mutex<Option<FfiError>>);

impl JobFailure {
    /// Records `error` unless a failure is already recorded.
    pub(crate) fn set(&self, error: FfiError) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(error);
        }
    }

    /// Returns the recorded failure.
    pub(crate) fn get(&self) -> Option<FfiError> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The host's store, reached through the job's channel.
#[derive(Debug)]
pub(crate) struct HostStore {
    events: mpsc::Sender<Event>,
    failure: Arc<JobFailure>,
}

impl HostStore {
    pub(crate) fn new(events: mpsc::Sender<Event>, failure: Arc<JobFailure>) -> Self {
        Self { events, failure }
    }

    /// Sends one request to the host and waits for the parsed answer.
    ///
    /// Once the job has failed, every request except `abort_window` fails
    /// at once with a retryable error. So the engine stops the window and
    /// rolls it back without committing. `abort_window` still reaches the
    /// host, which drops what the window wrote.
    pub(crate) async fn call(&self, request: StoreRequest<'_>) -> Result<Answer, StoreError> {
        let op = request.op();
        if !matches!(request, StoreRequest::AbortWindow) {
            if let Some(failure) = self.failure.get() {
                return Err(StoreError::new(
                    StoreErrorKind::Unavailable,
                    format!("the job stopped before {op}: {}", failure.message()),
                ));
            }
        }
        let json = serde_json::to_string(&request).map_err(|error| {
            StoreError::new(
                StoreErrorKind::Corrupt,
                format!("the {op} request could not be written as JSON"),
            )
            .with_source(error)
        })?;
        let (reply, answer) = oneshot::channel();
        let pending = PendingRequest {
            op,
            json,
            expect: request.expect(),
            reply,
        };
        let gone = || {
            StoreError::new(
                StoreErrorKind::Unavailable,
                format!("the job handle was freed while {op} was waiting for the host"),
            )
        };
        self.events
            .send(Event::Request(pending))
            .await
            .map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

/// Makes the error of an answer whose shape does not fit the request. The
/// parser picks the shape from the request, so this means a bug here.
pub(crate) fn mismatch(op: &str) -> StoreError {
    StoreError::new(
        StoreErrorKind::Corrupt,
        format!("internal error: the answer to {op} was parsed as another shape"),
    )
}

pub(crate) fn expect_nothing(answer: Answer, op: &str) -> Result<(), StoreError> {
    match answer {
        Answer::Nothing => Ok(()),
        _ => Err(mismatch(op)),
    }
}

#[async_trait]
impl CartStore for HostStore {
    async fn genre_categories(&self) -> Result<Vec<StoredCategory>, StoreError> {
        match self.call(StoreRequest::GenreCategories).await? {
            Answer::Categories(categories) => Ok(categories),
            _ => Err(mismatch("genre_categories")),
        }
    }

    async fn create_category(&self, draft: &CategoryDraft) -> Result<CategoryId, StoreError> {
        match self.call(StoreRequest::CreateCategory { draft }).await? {
            Answer::CategoryId(id) => Ok(id),
            _ => Err(mismatch("create_category")),
        }
    }

    async fn update_category(
        &self,
        id: CategoryId,
        draft: &CategoryDraft,
    ) -> Result<(), StoreError> {
        let answer = self
            .call(StoreRequest::UpdateCategory { id, draft })
            .await?;
        expect_nothing(answer, "update_category")
    }

    async fn disable_category(&self, id: CategoryId) -> Result<(), StoreError> {
        let answer = self.call(StoreRequest::DisableCategory { id }).await?;
        expect_nothing(answer, "disable_category")
    }

    async fn find_product(&self, art_id: ArtId) -> Result<Option<StoredProduct>, StoreError> {
        match self.call(StoreRequest::FindProduct { art_id }).await? {
            Answer::Product(product) => Ok(product),
            _ => Err(mismatch("find_product")),
        }
    }

    async fn create_product(&self, draft: &ProductDraft) -> Result<ProductId, StoreError> {
        match self.call(StoreRequest::CreateProduct { draft }).await? {
            Answer::ProductId(id) => Ok(id),
            _ => Err(mismatch("create_product")),
        }
    }

    async fn update_product(
        &self,
        id: ProductId,
        draft: &ProductDraft,
        send_cover: bool,
    ) -> Result<(), StoreError> {
        let request = StoreRequest::UpdateProduct {
            id,
            draft,
            send_cover,
        };
        expect_nothing(self.call(request).await?, "update_product")
    }

    async fn disable_product(
        &self,
        id: ProductId,
        changed_at: Option<MoscowTime>,
    ) -> Result<(), StoreError> {
        let request = StoreRequest::DisableProduct { id, changed_at };
        expect_nothing(self.call(request).await?, "disable_product")
    }

    async fn load_checkpoint(
        &self,
        work_type: &WorkType,
    ) -> Result<Option<MoscowTime>, StoreError> {
        match self
            .call(StoreRequest::LoadCheckpoint { work_type })
            .await?
        {
            Answer::Checkpoint(checkpoint) => Ok(checkpoint),
            _ => Err(mismatch("load_checkpoint")),
        }
    }

    async fn begin_window(&self) -> Result<(), StoreError> {
        expect_nothing(self.call(StoreRequest::BeginWindow).await?, "begin_window")
    }

    async fn commit_window(
        &self,
        work_type: &WorkType,
        checkpoint: MoscowTime,
    ) -> Result<(), StoreError> {
        let request = StoreRequest::CommitWindow {
            work_type,
            checkpoint,
        };
        expect_nothing(self.call(request).await?, "commit_window")
    }

    async fn abort_window(&self) -> Result<(), StoreError> {
        expect_nothing(self.call(StoreRequest::AbortWindow).await?, "abort_window")
    }
}
