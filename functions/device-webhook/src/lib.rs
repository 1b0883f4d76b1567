//! Signed attendance webhooks (rules V2, V3, V5, V6):
//! `POST /devices/webhook?terminal=<id>` with Standard Webhooks headers.

use domain::devices::v2_webhook::{Webhook, WebhookInput};
use domain::devices::v3_records::MAX_BODY_BYTES;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{FieldError, Problem};

domain::function!(handle, [("POST", "/devices/webhook")]);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 202 once queued (a replayed `webhook-id` is 202 with `duplicate`);
/// 401 unknown terminal, bad signature or timestamp outside ±5 minutes;
/// 403 suspended terminal or member, or past the device count; 413 over
/// 512 KB; 422 schema errors with pointers; 503 when the queue is down
/// (nothing queued: resend).
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Webhook, req, cx, parse).await
}

fn parse(req: &Request) -> Result<WebhookInput, Problem> {
    if req.body.len() > MAX_BODY_BYTES {
        return Err(Problem::new(
            413,
            "payload-too-large",
            "title.payload_too_large",
            "detail.body_too_large",
        ));
    }
    let header = |name: &str| req.header(name).map(str::to_owned);
    let mut errors = Vec::new();
    let mut need = |name: &str| {
        let v = header(name);
        if v.is_none() {
            errors.push(FieldError {
                pointer: format!("#/headers/{name}"),
                key: "field.required",
            });
        }
        v.unwrap_or_default()
    };
    let webhook_id = need("webhook-id");
    let timestamp = need("webhook-timestamp");
    let signature = need("webhook-signature");
    let terminal_id = req.query_param("terminal").unwrap_or_default();
    if terminal_id.is_empty() {
        errors.push(FieldError {
            pointer: "#/query/terminal".into(),
            key: "field.required",
        });
    }
    let ts = timestamp.parse::<i64>();
    if ts.is_err() && !timestamp.is_empty() {
        errors.push(FieldError {
            pointer: "#/headers/webhook-timestamp".into(),
            key: "field.type",
        });
    }
    if !errors.is_empty() {
        return Err(Problem {
            status: 401,
            ..Problem::validation(errors)
        });
    }
    Ok(WebhookInput {
        terminal_id,
        webhook_id,
        timestamp: ts.unwrap_or(0),
        signature,
        body: req.body.clone(),
    })
}
