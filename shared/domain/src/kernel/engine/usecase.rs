//! The use case trait and `use_case!`, which declares one in a line.

use super::access::Access;
use super::context::Env;
use super::plan::Plan;
use crate::kernel::problem::Problem;
use crate::kernel::reads::ReadSet;

/// The rows of a use case's reads, by name.
pub type Rows<U> = <<U as UseCase>::Reads as ReadSet>::Rows;
/// The rows of a use case's shard reads, by name.
pub type ShardRows<U> = <<U as UseCase>::ShardReads as ReadSet>::Rows;

/// A use case: who may call it, named reads, then a pure decision.
/// Implemented through [`use_case!`](crate::use_case), which keeps every
/// use case's declaration to one line.
pub trait UseCase {
    type Input;
    type Reads: ReadSet;
    /// Reads from one member's attendance shard, after the main reads.
    type ShardReads: ReadSet;
    /// Stable name: idempotency scope, logs.
    const NAME: &'static str;
    /// Who may call it; checked before any read.
    fn access(&self) -> Access;
    fn reads(&self, input: &Self::Input, env: &Env) -> Self::Reads;
    /// The member whose shard to read and what to read there (most use
    /// cases read no shard).
    fn shard_reads(
        &self,
        _input: &Self::Input,
        _rows: &Rows<Self>,
        _env: &Env,
    ) -> Option<(String, Self::ShardReads)> {
        None
    }
    /// # Errors
    /// The problem to answer with; nothing is written.
    fn decide(
        &self,
        input: Self::Input,
        rows: Rows<Self>,
        shard: Option<ShardRows<Self>>,
        env: &Env,
    ) -> Result<Plan, Problem>;
    /// Rows this instance remembers for the input, instead of the read
    /// round (with a copy of the input to decide on): public callers only
    /// (no session, no idempotency key). A refusal decided on remembered
    /// rows is decided again on fresh ones.
    fn recall(&self, _input: &Self::Input, _env: &Env) -> Option<(Self::Input, Rows<Self>)> {
        None
    }
    /// Keeps what `recall` will want from rows just read.
    fn remember(&self, _input: &Self::Input, _rows: &Rows<Self>, _env: &Env) {}
}

/// Declares a use case in one line; its inherent `reads` and `decide` (and,
/// with `sharded`, `shard_reads`) do the work:
///
/// ```ignore
/// use_case!(Terms, "signup.terms", |_uc| Access::SignupOptional, TermsInput => TermsReads);
/// impl Terms {
///     fn reads(&self, input: &TermsInput, env: &Env) -> TermsReads { … }
///     fn decide(&self, input: TermsInput, rows: TermsRows, env: &Env) -> Result<Plan, Problem> { … }
/// }
/// ```
#[macro_export]
macro_rules! use_case {
    ($ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty) => {
        $crate::use_case!(@impl $ty, $name, |$uc| $access, $input => $reads, (), {
            $crate::use_case!(@decide $ty, $input);
        });
    };
    ($ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty, remembered) => {
        $crate::use_case!(@impl $ty, $name, |$uc| $access, $input => $reads, (), {
            $crate::use_case!(@decide $ty, $input);
            fn recall(
                &self,
                input: &$input,
                env: &$crate::kernel::engine::Env,
            ) -> Option<($input, $crate::kernel::engine::Rows<Self>)> {
                <$ty>::recall(self, input, env)
            }
            fn remember(
                &self,
                input: &$input,
                rows: &$crate::kernel::engine::Rows<Self>,
                env: &$crate::kernel::engine::Env,
            ) {
                <$ty>::remember(self, input, rows, env)
            }
        });
    };
    ($ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty, sharded $shard:ty) => {
        $crate::use_case!(@impl $ty, $name, |$uc| $access, $input => $reads, $shard, {
            fn shard_reads(
                &self,
                input: &$input,
                rows: &$crate::kernel::engine::Rows<Self>,
                env: &$crate::kernel::engine::Env,
            ) -> Option<(String, $shard)> {
                <$ty>::shard_reads(self, input, rows, env)
            }
            fn decide(
                &self,
                input: $input,
                rows: $crate::kernel::engine::Rows<Self>,
                shard: Option<$crate::kernel::engine::ShardRows<Self>>,
                env: &$crate::kernel::engine::Env,
            ) -> Result<$crate::kernel::engine::Plan, $crate::kernel::problem::Problem> {
                <$ty>::decide(self, input, rows, shard, env)
            }
        });
    };
    (@decide $ty:ty, $input:ty) => {
        fn decide(
            &self,
            input: $input,
            rows: $crate::kernel::engine::Rows<Self>,
            _: Option<()>,
            env: &$crate::kernel::engine::Env,
        ) -> Result<$crate::kernel::engine::Plan, $crate::kernel::problem::Problem> {
            <$ty>::decide(self, input, rows, env)
        }
    };
    (@impl $ty:ty, $name:literal, |$uc:ident| $access:expr, $input:ty => $reads:ty, $shard:ty, { $($decide:tt)* }) => {
        impl $crate::kernel::engine::UseCase for $ty {
            type Input = $input;
            type Reads = $reads;
            type ShardReads = $shard;
            const NAME: &'static str = $name;
            fn access(&self) -> $crate::kernel::engine::Access {
                let $uc = self;
                $access
            }
            fn reads(&self, input: &$input, env: &$crate::kernel::engine::Env) -> $reads {
                <$ty>::reads(self, input, env)
            }
            $($decide)*
        }
    };
}
