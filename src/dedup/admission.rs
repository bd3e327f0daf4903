//! The claim of one callback in the duplicate store, from the moment its body is read until
//! its reply is settled: [`claim`], then [`Claimed::settle`] or [`Claimed::release`].

use std::time::Instant;

use actix_web::{
    body::{self, BodySize, BoxBody, EitherBody, MessageBody},
    dev::ServiceResponse,
    http::{header, StatusCode},
    rt::time::{sleep, timeout},
    ResponseError,
};

use super::{key::new_owner, Claim, Dedup, StoreError, StoreFailure, StoredReply};
use crate::{error::CallbackError, log::LogSafe, model::AnyEvent, telemetry};

/// How often a delivery asks the store again while another delivery is in flight.
const IN_FLIGHT_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// The largest success reply kept with a claim; a larger one is not replayed (its claim is
/// released, so a duplicate runs the handler again).
const MAX_STORED_REPLY: usize = 64 * 1024;

/// What the duplicate store says about a callback.
pub(crate) enum Admission<'a> {
    /// Handle it, and settle the claim afterwards (none without duplicate suppression).
    Handle(Option<Claimed<'a>>),
    /// Handled already: answer with its reply.
    Replay(StoredReply),
    /// Do not handle it now.
    Refuse(CallbackError),
}

/// A claim this request holds: settled with the reply, or released.
pub(crate) struct Claimed<'a> {
    dedup: &'a Dedup,
    key: &'a str,
    /// The callback's command, for the log lines.
    shown: LogSafe<&'a str>,
    owner: String,
}

/// Claims the callback of `command` in the duplicate store under its `key` (asked for
/// only when it is claimed): a new one is handled, a handled one replayed, and one in
/// flight waited for, up to the configured wait.
pub(crate) async fn claim<'a>(
    dedup: Option<&'a Dedup>,
    command: &'a str,
    key: impl FnOnce() -> &'a str,
) -> Admission<'a> {
    let Some(dedup) = dedup else {
        return Admission::Handle(None);
    };
    if !dedup.before_callbacks && AnyEvent::reads_reply(command) {
        return Admission::Handle(None);
    }
    let claimed = Claimed {
        dedup,
        key: key(),
        shown: LogSafe(command),
        owner: new_owner(),
    };
    let waited = Instant::now();
    loop {
        let answer = claimed
            .bounded(dedup.store.claim(claimed.key, &claimed.owner, Dedup::LEASE))
            .await;
        match answer {
            Ok(Claim::New) => return Admission::Handle(Some(claimed)),
            Ok(Claim::Done(reply)) => return Admission::Replay(reply),
            Ok(Claim::InFlight) if waited.elapsed() < dedup.wait => {
                sleep(IN_FLIGHT_POLL.min(dedup.wait)).await;
            }
            Ok(Claim::InFlight) => {
                log::info!(
                    "duplicate Tencent IM callback {} arrived while another delivery was handled; answered 409",
                    claimed.shown
                );
                return Admission::Refuse(CallbackError::InFlight);
            }
            Err(why) => return claimed.store_failed(&why).await,
        }
    }
}

impl<'a> Claimed<'a> {
    /// The store did not answer the claim. A claim that timed out may still have reached
    /// the store: it is ours, and settled like one (completing and releasing compare the
    /// owner, so they never touch another request's claim).
    async fn store_failed(self, why: &StoreError) -> Admission<'a> {
        telemetry::store_failure("claim");
        let command = &self.shown;
        match self.dedup.on_failure {
            StoreFailure::Accept => {
                log::warn!(
                    "duplicate store failed ({}): Tencent IM callback {command} accepted unchecked",
                    LogSafe(why)
                );
                Admission::Handle(Some(self))
            }
            StoreFailure::Reject => {
                log::warn!(
                    "duplicate store failed ({}): Tencent IM callback {command} answered 503",
                    LogSafe(why)
                );
                self.release().await;
                Admission::Refuse(CallbackError::StoreUnavailable)
            }
        }
    }

    /// Settles the claim: a success completes it with the reply, which a later delivery
    /// gets; anything else releases it, so a retry is handled.
    pub(crate) async fn settle<B: MessageBody + 'static>(
        self,
        res: ServiceResponse<EitherBody<B>>,
    ) -> ServiceResponse<EitherBody<B>> {
        if !res.status().is_success() {
            self.release().await;
            return res;
        }
        let storable = match res.response().body().size() {
            BodySize::None => true,
            BodySize::Sized(size) => size <= MAX_STORED_REPLY as u64,
            BodySize::Stream => false,
        };
        if !storable {
            log::warn!(
                "the reply to Tencent IM callback {} is streamed or larger than {MAX_STORED_REPLY} bytes and is not kept; a duplicate runs its handler again",
                self.shown
            );
            self.release().await;
            return res;
        }
        let (req, res) = res.into_parts();
        let (res, body) = res.into_parts();
        let body = match body::to_bytes(body).await {
            Ok(body) => body,
            Err(err) => {
                log::warn!(
                    "the reply to Tencent IM callback {} failed: {}",
                    self.shown,
                    LogSafe(err)
                );
                self.release().await;
                let err = CallbackError::Handler {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                };
                return ServiceResponse::new(req, err.error_response()).map_into_right_body();
            }
        };
        let reply = StoredReply {
            status: res.status().as_u16(),
            content_type: res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            body: body.clone(),
        };
        let dedup = self.dedup;
        let completed = self
            .bounded(
                dedup
                    .store
                    .complete(self.key, &self.owner, &reply, dedup.ttl),
            )
            .await;
        if let Err(why) = completed {
            telemetry::store_failure("complete");
            log::warn!(
                "duplicate store failed to record a handled callback ({}); a retry will be handled again once its claim expires",
                LogSafe(&why)
            );
        }
        let res = res.set_body(BoxBody::new(body));
        ServiceResponse::new(req, res).map_into_right_body()
    }

    /// Releases the claim, so that a retry of the callback is handled.
    pub(crate) async fn release(self) {
        let released = self
            .bounded(self.dedup.store.release(self.key, &self.owner))
            .await;
        if let Err(why) = released {
            telemetry::store_failure("release");
            log::warn!(
                "duplicate store failed to release a failed callback ({}); its retry waits until the claim's lease ends",
                LogSafe(&why)
            );
        }
    }

    /// A store call, bounded by the configured timeout.
    async fn bounded<T>(
        &self,
        call: impl std::future::Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        match timeout(self.dedup.timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::new(format!(
                "no answer within {:?}",
                self.dedup.timeout
            ))),
        }
    }
}
