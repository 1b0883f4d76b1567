//! What every function crate declares: its routes (`function!`), and the
//! JSON it answers (`reply!`) and reads (`request!`), for the OpenAPI
//! document; problem answers in the request's language.

use super::context::Cx;
use crate::kernel::http::{Lang, Request, Response};
use crate::kernel::problem::Problem;

/// Maps a problem to a response in the request's language.
pub fn problem_response(req: &Request, p: &Problem) -> Response {
    p.to_response(req.lang(), &req.path)
}

pub fn lang_of(req: &Request) -> Lang {
    req.lang()
}

/// The shape of every function crate's entry point, boxed so a router (the
/// Worker) or a component export (Spin) can hold it as a plain fn pointer.
pub type Handler =
    for<'a> fn(
        &'a Request,
        &'a Cx<'a>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + 'a>>;

/// Declares a function crate's routes and its boxed handler:
/// `function!(handle, [("PUT", "/signup/contact")]);`
#[macro_export]
macro_rules! function {
    ($handle:path, [$(($method:literal, $path:literal) => |$op:ident| $describe:expr),+ $(,)?]) => {
        $crate::function!($handle, body_limit = $crate::kernel::http::JSON_BODY_LIMIT, [$(($method, $path) => |$op| $describe),+]);
    };
    ($handle:path, body_limit = $limit:expr, [$(($method:literal, $path:literal) => |$op:ident| $describe:expr),+ $(,)?]) => {
        /// The routes this function serves: (method, path).
        pub const ROUTES: &[(&str, &str)] = &[$(($method, $path)),+];
        /// The largest request body it reads: a larger one is refused with
        /// 413 before it is read (by its declared length, or as it streams).
        pub const BODY_LIMIT: usize = $limit;
        /// `handle`, boxed: what the Worker router and the Spin export call.
        pub fn boxed<'a>(
            req: &'a $crate::kernel::http::Request,
            cx: &'a $crate::kernel::engine::Cx<'a>,
        ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = $crate::kernel::http::Response> + 'a>> {
            ::std::boxed::Box::pin($handle(req, cx))
        }
        /// This function's operations in the OpenAPI document, one per
        /// route (native builds only).
        #[cfg(not(target_family = "wasm"))]
        pub fn operations() -> ::std::vec::Vec<$crate::kernel::api::Op> {
            ::std::vec![$({
                let $op = $crate::kernel::api::Op::new($method, $path);
                $describe
            }),+]
        }
    };
}

/// A reply body: what `Plan::ok` serialises, and what the OpenAPI document
/// describes (the schema is derived from this same type in native builds;
/// field doc comments become descriptions).
pub trait Reply: serde::Serialize {
    /// Carries a person's personal data (declared `@personal` in
    /// [`reply!`]): an admin gets it only with its subjects logged (A3).
    const PERSONAL: bool = false;
}
impl<T: Reply> Reply for &T {
    const PERSONAL: bool = T::PERSONAL;
}

/// Declares a reply type (see [`Reply`]); `@personal` before a struct
/// marks one that carries personal data or what a person wrote.
#[macro_export]
macro_rules! reply {
    ($($(#[$m:meta])* $(@$personal:ident)? $vis:vis struct $name:ident { $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? })+) => {$(
        #[derive(Debug, Clone, ::serde::Serialize)]
        #[cfg_attr(not(target_family = "wasm"), derive($crate::kernel::api::schemars::JsonSchema))]
        #[cfg_attr(not(target_family = "wasm"), schemars(crate = "::domain::kernel::api::schemars"))]
        $(#[$m])*
        $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }
        impl $crate::kernel::engine::Reply for $name {
            $(const PERSONAL: bool = $crate::__personal_reply!($personal);)?
        }
    )+};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __personal_reply {
    (personal) => {
        true
    };
}

/// Declares the JSON body a function's parser reads, for the OpenAPI
/// document only (native builds; the parser itself checks every field and
/// answers 422 with pointers). The end-to-end suite checks that every body
/// the server accepted matches it.
#[macro_export]
macro_rules! request {
    ($($(#[$m:meta])* $vis:vis struct $name:ident { $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? })+) => {$(
        #[cfg(not(target_family = "wasm"))]
        #[derive($crate::kernel::api::schemars::JsonSchema)]
        #[schemars(crate = "::domain::kernel::api::schemars")]
        $(#[$m])*
        #[allow(dead_code)]
        $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }
    )+};
}
