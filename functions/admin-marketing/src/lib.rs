//! An owner sends a marketing campaign (rules A7, P8): to the members whose
//! latest consent of its channel is an acceptance, labelled "(광고)", by a
//! background job; a consent withdrawn meanwhile stops what is not yet sent.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;
use domain::privacy::p8_marketing::{CampaignInput, MarketingChannel, SendCampaign, TEXT_MAX};

domain::function!(handle, [
    ("POST", "/admin/marketing") => |op| op
        .summary("Sends a campaign to the members who opted in to its channel, as advertising (A7); its job's progress at /admin/jobs/{id}")
        .of(&SendCampaign)
        .body::<MarketingBody>()
        .reply::<domain::privacy::p8_marketing::MarketingCampaign>(202),
]);
domain::request!(
    struct MarketingBody {
        /// `email` or `sms`: each reaches those who consented to it
        channel: String,
        /// the news, in Korean; "(광고)", the platform's name and how to
        /// refuse are added around it
        #[schemars(length(min = 1, max = 1000))]
        text: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&SendCampaign, req, cx, parse).await
}

fn parse(req: &Request) -> Result<CampaignInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let channel = body.str(&mut f, "channel").and_then(|c| {
        f.take(
            "channel",
            MarketingChannel::parse(&c).ok_or("field.marketing_channel"),
        )
    });
    let text = body
        .str(&mut f, "text")
        .and_then(|t| f.take("text", prose(&t, TEXT_MAX)));
    let (channel, text) = f.done((("channel", channel), ("text", text)))?;
    Ok(CampaignInput { channel, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> Request {
        Request {
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    /// rule A7: a campaign names its channel (each has its own consent)
    /// and has words.
    #[test]
    fn a7_a_campaign_names_its_channel_and_has_words() {
        let ok = parse(&req(r#"{"channel":"sms","text":"새 기능 안내"}"#)).unwrap();
        assert_eq!(ok.channel, MarketingChannel::Sms);
        let p = parse(&req(r#"{"channel":"fax","text":"x"}"#)).unwrap_err();
        assert_eq!(p.errors[0].pointer, "#/channel");
        assert_eq!(p.errors[0].key, "field.marketing_channel");
        let p = parse(&req(r#"{"channel":"email","text":"  "}"#)).unwrap_err();
        assert_eq!(p.errors[0].pointer, "#/text");
    }
}
