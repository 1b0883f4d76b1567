//! An owner or the privacy officer schedules a new version of the terms or
//! a policy: its texts, what changed, and its first KST day, at least 7
//! days ahead (30 for an important change); every member is told by
//! notice, and the sweep makes it current on its day. Every version is
//! listed with its state (rule A8).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{prose, text};
use domain::privacy::a8_terms::{ListTerms, ScheduleInput, ScheduleTerms};

domain::function!(handle, [
    ("GET", "/admin/terms") => |op| op
        .summary("Every version of the terms and policies: current, waiting (announced) or superseded, with its day (A8)")
        .of(&ListTerms)
        .reply::<domain::privacy::a8_terms::TermsVersions>(200),
    ("POST", "/admin/terms") => |op| op
        .summary("Schedules a new version from a KST day at least 7 days ahead (30 if important) and announces it to every member (A8)")
        .of(&ScheduleTerms)
        .body::<TermsVersionBody>()
        .reply::<domain::privacy::a8_terms::TermsVersion>(201)
        .problems(&[409]),
]);
domain::request!(
    struct TermsVersionBody {
        /// the document: `terms_of_service`, `privacy_collection`, `marketing_email`, `marketing_sms`
        kind: String,
        #[schemars(length(min = 1, max = 200))]
        title_ko: String,
        #[schemars(length(min = 1, max = 200))]
        title_en: String,
        /// the whole text (paragraphs, `## ` headings)
        #[schemars(length(min = 1, max = 20000))]
        text_ko: String,
        #[schemars(length(min = 1, max = 20000))]
        text_en: String,
        /// what changes, as the announcement says it
        #[schemars(length(min = 1, max = 1000))]
        summary_ko: String,
        #[schemars(length(min = 1, max = 1000))]
        summary_en: String,
        /// the first KST day it applies, `YYYY-MM-DD` (also its version)
        effective_on: String,
        /// an important change: announced 30 days ahead
        important: Option<bool>,
        /// members consent again once it applies
        reconsent: Option<bool>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&ListTerms, req, cx, |_| Ok(())).await
    } else {
        serve(&ScheduleTerms, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<ScheduleInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let words = |f: &mut Fields, name: &str, max: usize| {
        body.str(f, name).and_then(|s| f.take(name, text(&s, max)))
    };
    // Whole texts and summaries keep their line breaks.
    let paragraphs = |f: &mut Fields, name: &str, max: usize| {
        body.str(f, name).and_then(|s| f.take(name, prose(&s, max)))
    };
    let kind = body.str(&mut f, "kind");
    let title_ko = words(&mut f, "title_ko", 200);
    let title_en = words(&mut f, "title_en", 200);
    let text_ko = paragraphs(&mut f, "text_ko", 20_000);
    let text_en = paragraphs(&mut f, "text_en", 20_000);
    let summary_ko = paragraphs(&mut f, "summary_ko", 1000);
    let summary_en = paragraphs(&mut f, "summary_en", 1000);
    let effective_on = body.str(&mut f, "effective_on").and_then(|d| {
        f.take(
            "effective_on",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| "field.date"),
        )
    });
    let important = body.opt_bool(&mut f, "important").unwrap_or(false);
    let reconsent = body.opt_bool(&mut f, "reconsent").unwrap_or(false);
    let summaries = summary_ko.zip(summary_en);
    let (kind, title_ko, title_en, text_ko, text_en, (summary_ko, summary_en), effective_on) = f
        .done((
            ("kind", kind),
            ("title_ko", title_ko),
            ("title_en", title_en),
            ("text_ko", text_ko),
            ("text_en", text_en),
            ("summary_ko", summaries),
            ("effective_on", effective_on),
        ))?;
    Ok(ScheduleInput {
        kind,
        title_ko,
        title_en,
        text_ko,
        text_en,
        summary_ko,
        summary_en,
        effective_on,
        important,
        reconsent,
    })
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

    /// rule A8: a version needs its texts in both languages, what changes
    /// and its first day.
    #[test]
    fn a8_a_version_needs_its_texts_summary_and_day() {
        let p = parse(&req(
            r#"{"kind":"terms_of_service","title_ko":"이용약관","effective_on":"next week"}"#,
        ))
        .unwrap_err();
        let pointers: Vec<&str> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/title_en",
                "#/text_ko",
                "#/text_en",
                "#/summary_ko",
                "#/summary_en",
                "#/effective_on"
            ]
        );
        // Texts keep their paragraphs.
        let ok = parse(&req(
            r###"{"kind":"terms_of_service","title_ko":"이용약관","title_en":"Terms","text_ko":"## 제1조\n목적","text_en":"## Art. 1\nPurpose","summary_ko":"제5조가 바뀝니다","summary_en":"Art. 5 changes","effective_on":"2026-12-20","important":true}"###,
        ))
        .unwrap();
        assert_eq!(ok.text_ko, "## 제1조\n목적");
        assert!(ok.important && !ok.reconsent);
    }
}
