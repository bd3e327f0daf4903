//! The refusal codes of each family of callbacks, and [`RefusalCode`], an app's own code
//! checked once when it is made.

use std::{marker::PhantomData, ops::RangeInclusive};

/// The codes an app may refuse with in one family of callbacks ([`FriendCodes`],
/// [`GroupCodes`], [`C2cCodes`]); sealed.
pub trait CodeFamily: sealed::Sealed {
    /// The codes Tencent documents for the family.
    const CODES: RangeInclusive<u32>;

    /// What [`RefusalCode::of`] panics with (in a `const`: the build error) for a code
    /// outside [`CODES`](Self::CODES).
    const OUT_OF_RANGE: &'static str;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::FriendCodes {}
    impl Sealed for super::GroupCodes {}
    impl Sealed for super::C2cCodes {}
}

/// The friend checks (`Sns.CallbackPrev*`): `ResultCode` in `[38000, 39000]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FriendCodes {}

impl CodeFamily for FriendCodes {
    const CODES: RangeInclusive<u32> = 38000..=39000;
    const OUT_OF_RANGE: &'static str =
        "refusal code outside [38000, 39000] (FriendCodes: the friend checks)";
}

/// Group and topic callbacks (`Group.*`): `ErrorCode` in `[10100, 10200]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupCodes {}

impl CodeFamily for GroupCodes {
    const CODES: RangeInclusive<u32> = 10100..=10200;
    const OUT_OF_RANGE: &'static str =
        "refusal code outside [10100, 10200] (GroupCodes: group and topic callbacks)";
}

/// One-to-one and official-account callbacks (`C2C.*`, `OfficialAccount.*`): `ErrorCode`
/// in `[120001, 130000]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum C2cCodes {}

impl CodeFamily for C2cCodes {
    const CODES: RangeInclusive<u32> = 120001..=130000;
    const OUT_OF_RANGE: &'static str = "refusal code outside [120001, 130000] (C2cCodes: one-to-one and official-account callbacks)";
}

/// A refusal code of the app's own, in the range Tencent documents for family `F`.
///
/// ```
/// use actix_tim_callback::{reply::GroupCodes, reply::RefusalCode};
///
/// // In a `const`, a code out of range fails the build.
/// const QUOTA: RefusalCode<GroupCodes> = RefusalCode::of(10150);
/// assert_eq!(QUOTA.get(), 10150);
///
/// // At run time, it is an error.
/// assert!(RefusalCode::<GroupCodes>::new(120001).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusalCode<F> {
    code: u32,
    family: PhantomData<fn() -> F>,
}

impl<F: CodeFamily> RefusalCode<F> {
    /// `code`, or an error when it is outside [`F::CODES`](CodeFamily::CODES).
    pub const fn new(code: u32) -> Result<Self, ReplyCodeError> {
        if code < *F::CODES.start() || code > *F::CODES.end() {
            return Err(ReplyCodeError {
                code,
                allowed: F::CODES,
            });
        }
        Ok(Self {
            code,
            family: PhantomData,
        })
    }

    /// `code`, for a `const`: a code outside [`F::CODES`](CodeFamily::CODES) fails the build
    /// there (and panics anywhere else; use [`new`](Self::new) at run time).
    pub const fn of(code: u32) -> Self {
        match Self::new(code) {
            Ok(code) => code,
            Err(_) => panic!("{}", F::OUT_OF_RANGE),
        }
    }

    /// The code.
    pub const fn get(self) -> u32 {
        self.code
    }
}

impl<F: CodeFamily> TryFrom<u32> for RefusalCode<F> {
    type Error = ReplyCodeError;

    fn try_from(code: u32) -> Result<Self, ReplyCodeError> {
        Self::new(code)
    }
}

/// A refusal code outside the range Tencent documents for its family (see
/// [`RefusalCode::new`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("reply code {code} is outside the range [{}, {}] Tencent documents for its family", allowed.start(), allowed.end())]
pub struct ReplyCodeError {
    /// The code given.
    pub code: u32,
    /// The codes Tencent documents for the family.
    pub allowed: RangeInclusive<u32>,
}
