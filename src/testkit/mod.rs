//! Testing handlers without a Tencent account (feature `test-util`): [`TestCallback`]
//! builds the requests the IM backend sends, from Tencent's sample of each command.

mod callback;

pub use callback::TestCallback;
