//! Group commit of accepted events: requests hand their event and deliveries to one
//! committer task, which writes everything that arrived while it was busy in one
//! transaction ([`Store::insert_events`]), so one sync to disk serves the whole batch. Each
//! request is answered only once its batch is committed: a `202` still means durable.
//!
//! A batch closes when it is full or when the committer is free: nothing waits on a timer,
//! so a lone event is written at once, and under load the batches grow by themselves.

use std::sync::Arc;

use tocsin_core::event::Event;
use tocsin_store::{Inserted, NewDelivery, NewEvent, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

use crate::metrics as m;

/// The most events one transaction takes.
const MAX_BATCH: usize = 256;
/// Events waiting for the committer before senders wait too.
const QUEUE: usize = MAX_BATCH * 8;

type Answer = oneshot::Sender<Result<Inserted, StoreError>>;

/// The handle requests use; the committer task ends when the last handle is dropped.
pub struct GroupCommit {
    queue: mpsc::Sender<(NewEvent, Answer)>,
    store: Arc<dyn Store>,
}

impl GroupCommit {
    /// Starts the committer task on the current Tokio runtime.
    pub fn start(store: Arc<dyn Store>) -> Self {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(store.clone(), rx));
        Self { queue, store }
    }

    /// Writes the event and its deliveries as [`Store::insert_event`] does, together with
    /// whatever other events are waiting; returns once they are committed.
    pub async fn insert(
        &self,
        event: Event,
        deliveries: Vec<NewDelivery>,
    ) -> Result<Inserted, StoreError> {
        let (answer, answered) = oneshot::channel();
        let item = NewEvent { event, deliveries };
        // The committer ends only when it panicked (a handle lives): then write alone, or
        // fail when the event may have been part of the batch it was writing.
        match self.queue.send((item, answer)).await {
            Ok(()) => answered
                .await
                .unwrap_or_else(|_| Err(StoreError::worker_gone())),
            Err(mpsc::error::SendError((item, _))) => {
                self.store.insert_event(&item.event, &item.deliveries).await
            }
        }
    }
}

async fn run(store: Arc<dyn Store>, mut rx: mpsc::Receiver<(NewEvent, Answer)>) {
    let mut waiting = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut waiting, MAX_BATCH).await > 0 {
        let (batch, answers): (Vec<NewEvent>, Vec<Answer>) = waiting.drain(..).unzip();
        metrics::histogram!(m::GROUP_COMMIT_EVENTS).record(batch.len() as f64);
        tracing::trace!(events = batch.len(), "group commit");
        match store.insert_events(&batch).await {
            Ok(results) => {
                for (answer, result) in answers.into_iter().zip(results) {
                    let _ = answer.send(result);
                }
            }
            // Nothing of the batch was committed. Write each event alone, so each request
            // gets its own answer and one bad event cannot sink the others.
            Err(e) => {
                tracing::warn!(error = %e, events = batch.len(), "a group commit failed; writing its events one by one");
                for (item, answer) in batch.iter().zip(answers) {
                    let _ = answer.send(store.insert_event(&item.event, &item.deliveries).await);
                }
            }
        }
    }
}
