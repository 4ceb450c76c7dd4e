//! The async runtime, made on first use rather than at load.
//!
//! PHP-FPM loads extensions in a master process and forks workers. A
//! runtime made before a fork would point to worker threads that do not
//! exist in the child. So the runtime is created by the first call that
//! needs it, and made again in a process whose id differs from its
//! creator's.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::runtime::{Builder, Runtime};

use crate::status::{FfiError, LitresStatus};

/// Worker threads of the runtime. The engine of a job runs on the host's
/// thread, and the workers run HTTP connections and feed decoding, so two
/// are enough.
const WORKER_THREADS: usize = 2;

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// Returns the runtime of this process, creating it on first use.
pub(crate) fn get() -> Result<Arc<Runtime>, FfiError> {
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    let pid = std::process::id();
    if let Some((owner, runtime)) = slot.as_ref() {
        if *owner == pid {
            return Ok(runtime.clone());
        }
    }
    if let Some((_, inherited)) = slot.take() {
        // The runtime came from the parent through fork: its threads are
        // gone, and dropping it would wait for them, so it is leaked.
        std::mem::forget(inherited);
    }
    let runtime = Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("litres-worker")
        .enable_all()
        .build()
        .map_err(|error| {
            FfiError::new(
                LitresStatus::Internal,
                format!("could not start the async runtime: {error}"),
            )
        })?;
    let runtime = Arc::new(runtime);
    *slot = Some((pid, runtime.clone()));
    Ok(runtime)
}
