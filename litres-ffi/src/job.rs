//! Job handles: an update, a sale notification run or a buyer link that
//! runs on the async runtime while the host drives its store through the
//! pull loop.
//!
//! The host calls `litres_job_next` for the next store request, executes
//! it, and passes the result to `litres_job_answer`, until `next` returns
//! the `done` object with the report. Live handles are kept in a registry,
//! so a freed or unknown handle returns `InvalidHandle` instead of being
//! read.
//!
//! The engine future is polled by the host's thread inside
//! `litres_job_next`, on the shared runtime, until it sends its next
//! request. HTTP connections and feed decoding run as tasks on the
//! runtime's workers. A store request therefore costs no thread switch.
//! With the engine as a background task, which hands each request to the
//! host thread and back, `bridge_bench` ran the PHP import about twice as
//! slowly (figures in docs/benchmarks.md).

use std::collections::HashSet;
use std::ffi::c_char;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt;
use litres_core::store::{StoreError, StoreErrorKind};
use tokio::runtime::Runtime;
use tokio::sync::mpsc;

use crate::host_store::{Event, HostStore, JobFailure, PendingRequest};
use crate::panic::{guard, panic_error};
use crate::protocol::parse_answer;
use crate::runtime;
use crate::status::{FfiError, LitresStatus};
use crate::strings::{into_raw, str_arg, write_out};

/// A running update, sale notification run or buyer link. Opaque to the
/// host.
pub struct LitresJob {
    events: mpsc::Receiver<Event>,
    pending: Option<PendingRequest>,
    failure: Arc<JobFailure>,
    /// The engine, until it has sent its `Finished` event and ended.
    work: Option<Work>,
    runtime: Arc<Runtime>,
    finished: bool,
}

type Work = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Addresses of the live job handles.
static LIVE_JOBS: Mutex<Option<HashSet<usize>>> = Mutex::new(None);

fn registry() -> std::sync::MutexGuard<'static, Option<HashSet<usize>>> {
    LIVE_JOBS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Makes a job of `run` with a host store and returns the new handle,
/// registered as live. The engine starts at the first `litres_job_next`.
pub(crate) fn start_job<F, Fut>(run: F) -> Result<*mut LitresJob, FfiError>
where
    F: FnOnce(HostStore) -> Fut,
    Fut: Future<Output = Result<String, FfiError>> + Send + 'static,
{
    let runtime = runtime::get()?;
    // One slot: the engine waits for each answer before its next request.
    let (sender, events) = mpsc::channel(1);
    let failure = Arc::new(JobFailure::default());
    let store = HostStore::new(sender.clone(), failure.clone());
    let engine = run(store);
    let work: Work = Box::pin(async move {
        let result = match AssertUnwindSafe(engine).catch_unwind().await {
            Ok(result) => result,
            Err(payload) => Err(panic_error(payload.as_ref())),
        };
        // The channel has room: the engine sends nothing else while no
        // answer is pending.
        let _ = sender.send(Event::Finished(result)).await;
    });
    let job = Box::into_raw(Box::new(LitresJob {
        events,
        pending: None,
        failure,
        work: Some(work),
        runtime,
        finished: false,
    }));
    registry()
        .get_or_insert_with(HashSet::new)
        .insert(job as usize);
    Ok(job)
}

/// Returns the job behind a live handle.
///
/// # Safety
///
/// A handle in the registry points to a live `LitresJob`; the caller must
/// not use one job from two threads at once.
unsafe fn live_job<'a>(job: *mut LitresJob) -> Result<&'a mut LitresJob, FfiError> {
    if job.is_null() {
        return Err(FfiError::null("job"));
    }
    let live = registry()
        .as_ref()
        .is_some_and(|jobs| jobs.contains(&(job as usize)));
    if !live {
        return Err(invalid_handle());
    }
    // SAFETY: registered handles come from `Box::into_raw` in `start_job` and
    // leave the registry before they are freed.
    Ok(unsafe { &mut *job })
}

fn invalid_handle() -> FfiError {
    FfiError::new(
        LitresStatus::InvalidHandle,
        "the job handle is not live: it was already freed or was not made by this library",
    )
}

impl LitresJob {
    /// Waits for the engine's next event and returns the JSON for the host.
    fn next(&mut self) -> Result<String, FfiError> {
        if let Some(pending) = &self.pending {
            return Err(FfiError::new(
                LitresStatus::InvalidState,
                format!(
                    "the {} request is still waiting for its answer; call litres_job_answer first",
                    pending.op
                ),
            ));
        }
        if self.finished {
            return Err(FfiError::new(
                LitresStatus::InvalidState,
                "the job has finished; free it with litres_job_free",
            ));
        }
        match self.receive() {
            Some(Event::Request(pending)) => {
                let json = pending.json.clone();
                self.pending = Some(pending);
                Ok(json)
            }
            Some(Event::Finished(result)) => {
                self.finished = true;
                match self.failure.get() {
                    Some(failure) => Err(failure),
                    None => result,
                }
            }
            None => {
                self.finished = true;
                Err(FfiError::new(
                    LitresStatus::Internal,
                    "the job ended without a result",
                ))
            }
        }
    }

    /// Polls the engine on this thread until it sends its next event.
    fn receive(&mut self) -> Option<Event> {
        let events = &mut self.events;
        let work = &mut self.work;
        self.runtime.block_on(async move {
            if let Some(engine) = work.as_mut() {
                tokio::select! {
                    biased;
                    event = events.recv() => return event,
                    () = engine.as_mut() => {}
                }
                // The engine ended after queueing `Finished`.
                *work = None;
            }
            events.recv().await
        })
    }

    /// Passes the host's answer to the waiting request.
    fn answer(&mut self, text: Result<&str, FfiError>) -> Result<(), FfiError> {
        let Some(pending) = self.pending.take() else {
            return Err(FfiError::new(
                LitresStatus::InvalidState,
                "no store request is waiting for an answer; call litres_job_next first",
            ));
        };
        let parsed = text
            .map_err(|error| error.message().to_owned())
            .and_then(|text| parse_answer(pending.op, pending.expect, text));
        match parsed {
            Ok(answer) => {
                let _ = pending.reply.send(answer);
                Ok(())
            }
            Err(message) => {
                let error = FfiError::new(LitresStatus::InvalidAnswer, message);
                self.failure.set(error.clone());
                let _ = pending.reply.send(Err(StoreError::new(
                    StoreErrorKind::Unavailable,
                    error.message(),
                )));
                Err(error)
            }
        }
    }

    /// Stops the job at its next store request.
    fn cancel(&mut self) {
        let error = FfiError::new(LitresStatus::Cancelled, "the job was cancelled by the host");
        self.failure.set(error.clone());
        if let Some(pending) = self.pending.take() {
            let _ = pending.reply.send(Err(StoreError::new(
                StoreErrorKind::Unavailable,
                error.message(),
            )));
        }
    }
}

/// Waits for the job's next store request and writes it to `*out_request`
/// as JSON, such as `{"op": "find_product", "art_id": 42}`. When the job
/// has ended, writes its `done` object, such as `{"op": "done", "success":
/// BOOL, "report": {...}}`.
///
/// Runs the engine on the calling thread until its next request, so it
/// blocks while the engine talks to LitRes. Must not be called from a
/// thread that runs a tokio runtime.
///
/// Returns `InvalidAnswer` or `Cancelled` at the end of a job that failed
/// that way, `UpdateFailed` or `InvalidArgument` when the job stopped,
/// and `InvalidState` while a request waits for its answer or after the
/// job has finished.
///
/// # Safety
///
/// `job` must be NULL or a handle from a `litres_*_start` function; a
/// freed handle is detected. `out_request` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn litres_job_next(
    job: *mut LitresJob,
    out_request: *mut *mut c_char,
) -> LitresStatus {
    guard(|| {
        if out_request.is_null() {
            return Err(FfiError::null("out_request"));
        }
        // SAFETY: see the function's contract.
        let job = unsafe { live_job(job) }?;
        let json = job.next()?;
        // SAFETY: checked for NULL above.
        unsafe { write_out(out_request, into_raw(json)) };
        Ok(())
    })
}

/// Passes the host's answer to the request from the last `litres_job_next`:
/// `{"ok": VALUE}` or `{"error": {"kind": KIND, "message": TEXT}}`.
///
/// An answer that is not valid UTF-8 or does not parse into the shape the
/// request expects returns `InvalidAnswer` and fails the job: the engine
/// stops, commits nothing more, and sends only `abort_window` requests
/// until `litres_job_next` returns `InvalidAnswer`.
///
/// # Safety
///
/// `job` as for `litres_job_next`; `answer` must point to `answer_len`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn litres_job_answer(
    job: *mut LitresJob,
    answer: *const c_char,
    answer_len: usize,
) -> LitresStatus {
    guard(|| {
        if answer.is_null() {
            return Err(FfiError::null("answer"));
        }
        // SAFETY: see the function's contract.
        let job = unsafe { live_job(job) }?;
        // SAFETY: the caller passes `answer_len` readable bytes.
        let text = unsafe { str_arg(answer, answer_len, "answer") };
        job.answer(text)
    })
}

/// Cancels the job. A waiting request fails, the engine rolls back the
/// open window through `abort_window`, and `litres_job_next` ends with
/// `Cancelled`. Cancelling twice does nothing more.
///
/// # Safety
///
/// `job` as for `litres_job_next`.
#[no_mangle]
pub unsafe extern "C" fn litres_job_cancel(job: *mut LitresJob) -> LitresStatus {
    guard(|| {
        // SAFETY: see the function's contract.
        let job = unsafe { live_job(job) }?;
        job.cancel();
        Ok(())
    })
}

/// Frees a job, stopping its work if it still runs. The host store gets
/// no further request, not even `abort_window`. `NULL` does nothing and
/// returns `Ok`. Freeing a handle twice returns `InvalidHandle`.
///
/// # Safety
///
/// `job` must be NULL or a handle from a `litres_*_start` function, not in
/// use by another thread.
#[no_mangle]
pub unsafe extern "C" fn litres_job_free(job: *mut LitresJob) -> LitresStatus {
    guard(|| {
        if job.is_null() {
            return Ok(());
        }
        let removed = registry()
            .as_mut()
            .is_some_and(|jobs| jobs.remove(&(job as usize)));
        if !removed {
            return Err(invalid_handle());
        }
        // Dropping the job drops the engine future where it waits, so the
        // store gets no further request.
        // SAFETY: the handle was live, came from `Box::into_raw`, and has
        // just left the registry, so it is freed once.
        drop(unsafe { Box::from_raw(job) });
        Ok(())
    })
}
