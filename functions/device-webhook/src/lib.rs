//! Signed attendance webhooks (rules V2, V3, V5, V6):
//! `POST /devices/webhook?terminal=<id>` with Standard Webhooks headers.

use domain::devices::v2_webhook::{Webhook, WebhookInput};
use domain::devices::v3_records::MAX_BODY_BYTES;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{FieldError, Problem};

domain::function!(handle, body_limit = MAX_BODY_BYTES, [
    ("POST", "/devices/webhook") => |op| op
        .summary("A terminal's signed batch of attendance records (V2, V3); 202 once queued, never before")
        .of(&Webhook)
        .query("terminal", true, "the terminal's id")
        .header("webhook-id", "unique per batch; a repeat is acknowledged, not queued again")
        .header("webhook-timestamp", "Unix seconds, within 5 minutes")
        .header("webhook-signature", "v1,<base64 HMAC-SHA256 of id.timestamp.body>")
        .body::<BatchBody>()
        .reply::<domain::devices::v2_webhook::WebhookAccepted>(202)
        .problems(&[401, 403, 413, 429, 503]),
]);
domain::request!(
    #[schemars(deny_unknown_fields)]
    struct BatchBody {
        #[schemars(length(min = 1, max = 1000))]
        records: Vec<RecordBody>,
    }
    struct RecordBody {
        /// unique per terminal: a repeated event is stored once
        event_id: String,
        /// RFC 3339 with offset
        terminal_time: String,
        worker_code: String,
        #[schemars(pattern("^(in|out)$"))]
        direction: String,
        #[schemars(pattern("^(face|finger|card|pin)$"))]
        method: String,
        #[schemars(pattern("^(accepted|rejected)$"))]
        result: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Webhook, req, cx, parse).await
}

fn parse(req: &Request) -> Result<WebhookInput, Problem> {
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
