//! Spin adapters. Compiled only for `wasm32-wasip2` (Spin components); on
//! other targets this crate is empty so the workspace builds everywhere.

#[cfg(target_os = "wasi")]
mod spin;
#[cfg(target_os = "wasi")]
pub use spin::*;

/// Exports a function crate's boxed handler (see `domain::function!`) as the
/// crate's Spin HTTP component when built for `wasm32-wasip2`. The component
/// matches the request against its own routes: Spin routes by path only, so
/// the method (405), the path parameters and the body limit (413, checked
/// on the declared length before the body is read) are checked here.
#[macro_export]
macro_rules! component {
    ($boxed:path, $routes:path, $body_limit:path) => {
        #[cfg(target_os = "wasi")]
        #[::spin_sdk::http_service]
        async fn spin_component(
            req: ::spin_sdk::http::Request,
        ) -> impl ::spin_sdk::http::IntoResponse {
            $crate::serve(req, $boxed, $routes, $body_limit).await
        }
    };
}
