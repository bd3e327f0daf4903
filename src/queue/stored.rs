//! [`Stored`]: a backend whose tasks reach the worker's service as the bytes the store
//! holds, so that a task that cannot be decoded fails alone.
//!
//! apalis decodes a durable backend's tasks before the service (its `DurableBackend`),
//! and a task that does not decode ends the worker's stream with an error: the worker
//! exits, is restarted, fetches the same task again once it is seen orphaned, and exits
//! again, for ever. Behind this wrapper the backend is used as it is (`Ephemeral`): the
//! service decodes each task itself ([`Run::acking_service`](super::backend::Run)).

use std::task::{Context, Poll};

use apalis::prelude::{Backend, WorkerContext};
use apalis_core::backend::{finalize::Ephemeral, BackendConfig};

/// `B`, with its tasks handed over as stored (`Task<Vec<u8>>`).
#[derive(Debug, Clone)]
pub(crate) struct Stored<B>(pub(crate) B);

impl<B: Backend> Backend for Stored<B> {
    type Task = B::Task;
    type Error = B::Error;

    fn poll_ready(
        &mut self,
        cx: &mut Context<'_>,
        worker: &WorkerContext,
    ) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx, worker)
    }

    fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
        worker: &WorkerContext,
    ) -> Poll<Option<Result<Self::Task, Self::Error>>> {
        self.0.poll_next(cx, worker)
    }

    fn poll_close(
        &mut self,
        cx: &mut Context<'_>,
        worker: &WorkerContext,
    ) -> Poll<Result<(), Self::Error>> {
        self.0.poll_close(cx, worker)
    }
}

impl<B: BackendConfig> BackendConfig for Stored<B> {
    type Args = Vec<u8>;
    type Id = B::Id;
    type Kind = Ephemeral;
    type Config = B::Config;
    type Layer = B::Layer;

    fn config(&self) -> &Self::Config {
        self.0.config()
    }

    fn middleware(&mut self, worker: &mut WorkerContext) -> Self::Layer {
        self.0.middleware(worker)
    }
}
