// A member user's privacy-rights requests (`#/privacy`, rules P1–P3): what
// it may ask (seven kinds), its requests with their last day to be
// answered (the 10th KST day after receipt, or the day a delay gave, with
// its reason), the answers (a refusal with its reason and law), and
// withdrawing an open one; an access request's copy (P4): how far it is,
// its Korean cover and its download until it expires.
import { t } from "./i18n.js";
import { download } from "./api.js";
import { Alert, Area, Outcome, Select, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime } from "./format.js";
import { useState } from "preact/hooks";

const KINDS = ["access", "correction", "deletion", "suspension", "marketing_email", "marketing_sms", "withdrawal"];
const OPEN = ["received", "identity_pending", "in_progress", "delayed"];

export function PrivacyPage({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/privacy-requests");
  const [notice, done] = useOutcome(load);
  const make = useAction(lang, done);
  const withdraw = useAction(lang, done);
  const submit = async (e) => {
    e.preventDefault();
    // The form itself, kept: after the call the event has no target.
    const el = e.currentTarget;
    const form = new FormData(el);
    const made = await make.send("/member/privacy-requests", {
      kind: form.get("kind") || undefined,
      details: form.get("details") || undefined,
    }, (r, l) => t(l, "privacy.made").replace("{kind}", t(l, `privacy_kind.${r.kind}`)).replace("{day}", r.due_day));
    if (made) el.reset();
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "privacy.title")}</h1>
      <Alert text={alert || withdraw.alert} />
      <Outcome lang={lang} text={notice} />
      <p>{t(lang, "privacy.explain")}</p>
      {data && (data.requests.length === 0 ? <p>{t(lang, "privacy.none")}</p> : (
        <ul class="records" data-list="privacy-requests">
          {data.requests.map((r) => (
            <li data-request={r.request_id} data-state={r.state}>
              <h2>{t(lang, `privacy_kind.${r.kind}`)}</h2>
              <dl class="facts">
                <dt>{t(lang, "privacy.state")}</dt>
                <dd data-field="state">{t(lang, `privacy_state.${r.state}`)}</dd>
                <dt>{t(lang, "privacy.received")}</dt>
                <dd>{kstDateTime(lang, r.received_at)}</dd>
                <dt>{t(lang, "privacy.due")}</dt>
                <dd data-field="due_day">{r.due_day}</dd>
                {r.details && <><dt>{t(lang, "privacy.details")}</dt><dd>{r.details}</dd></>}
                {r.delay_reason && <><dt>{t(lang, "privacy.delay_reason")}</dt><dd data-field="delay_reason">{r.delay_reason}</dd></>}
                {r.answer && <><dt>{t(lang, "privacy.answer")}</dt><dd data-field="answer">{r.answer}</dd></>}
                {r.legal_basis && <><dt>{t(lang, "privacy.legal_basis")}</dt><dd>{r.legal_basis}</dd></>}
              </dl>
              {r.export && <Copy lang={lang} id={r.request_id} copy={r.export} />}
              {OPEN.includes(r.state) && (
                <button type="button" class="secondary" onClick={() => withdraw.send(`/member/privacy-requests/${r.request_id}/withdraw`, {}, (_, l) => t(l, "privacy.withdrawn"))}>
                  {t(lang, "privacy.withdraw")}
                </button>
              )}
            </li>
          ))}
        </ul>
      ))}
      <section aria-labelledby="privacy-new">
        <h2 id="privacy-new">{t(lang, "privacy.new")}</h2>
        <form onSubmit={submit} noValidate>
          <Alert text={make.alert} />
          <Select id="kind" label={t(lang, "privacy.kind")} error={make.fields.kind} options={KINDS.map((k) => [k, t(lang, `privacy_kind.${k}`)])} />
          <Area id="details" label={t(lang, "privacy.details")} error={make.fields.details} />
          <p class="hint">{t(lang, "privacy.clock")}</p>
          <button type="submit">{t(lang, "privacy.submit")}</button>
        </form>
      </section>
    </main>
  );
}

/// An access request's copy: progress while it is made; then its cover
/// (the fields of an access notice, in Korean as the law writes them) and
/// the download until it expires.
function Copy({ lang, id, copy }) {
  const [failed, setFailed] = useState(false);
  const get = async () => setFailed(!(await download(lang, copy.download, `privacy-export-${id}.json`)));
  return (
    <section class="copy" data-export={copy.state} aria-label={t(lang, "privacy.copy")}>
      <h3>{t(lang, "privacy.copy")}</h3>
      {copy.state === "building" && (
        <p><progress max={copy.holdings} value={copy.holdings_done} /> {t(lang, "privacy.copy_building").replace("{done}", copy.holdings_done).replace("{all}", copy.holdings)}</p>
      )}
      {copy.state === "expired" && <p>{t(lang, "privacy.copy_expired")}</p>}
      {copy.state === "ready" && (
        <>
          <p>{t(lang, "privacy.copy_until").replace("{until}", kstDateTime(lang, copy.expires_at))}</p>
          <button type="button" onClick={get}>{t(lang, "privacy.copy_download")}</button>
          <Alert text={failed ? t(lang, "privacy.copy_failed") : ""} />
        </>
      )}
      {copy.cover && (
        <details>
          <summary>{t(lang, "privacy.copy_cover")}</summary>
          <dl class="facts" lang="ko">
            {Object.entries(copy.cover).filter(([, v]) => typeof v === "string").map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}
          </dl>
          <table>
            <caption>{t(lang, "privacy.copy_items")}</caption>
            <thead><tr><th scope="col">{t(lang, "privacy.copy_item")}</th><th scope="col">{t(lang, "privacy.copy_rows")}</th></tr></thead>
            <tbody>{copy.cover["열람 항목"].map((i) => <tr><td lang="ko">{i["항목"]}</td><td>{i["건수"]}</td></tr>)}</tbody>
          </table>
        </details>
      )}
    </section>
  );
}
