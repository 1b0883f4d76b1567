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

/// The member's consents (rule A8): each document in effect with the
/// version it last answered; one that needs its consent again asks for it;
/// the changes announced with the day each applies.
export function Consents({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/consents");
  const [notice, done] = useOutcome(load);
  const give = useAction(lang, done);
  if (!data) return <Alert text={alert} />;
  const answer = (d, accepted) => give.send("/member/consents", { kind: d.kind, version: d.version, accepted },
    (_, l) => t(l, accepted ? "consents.given" : "consents.refused").replace("{title}", d.title));
  return (
    <section aria-labelledby="consents-title" data-section="consents">
      <h2 id="consents-title">{t(lang, "consents.title")}</h2>
      <Alert text={alert || give.alert} />
      <Outcome lang={lang} text={notice} />
      <ul class="records">
        {data.documents.map((d) => (
          <li data-consent={d.kind} data-pending={d.pending ? "true" : "false"}>
            <h3>{d.title}</h3>
            <p>{t(lang, "consents.version").replace("{version}", d.version)}{" · "}
              {d.given_version
                ? t(lang, d.accepted ? "consents.accepted" : "consents.declined").replace("{version}", d.given_version)
                : t(lang, "consents.never")}
            </p>
            {d.pending && <p class="notice" role="status">{t(lang, "consents.pending")}</p>}
            {(d.pending || !d.required) && (
              <p>
                <button type="button" onClick={() => answer(d, true)}>{t(lang, "consents.accept")}</button>
                {!d.required && d.accepted !== false && <> <button type="button" class="secondary" onClick={() => answer(d, false)}>{t(lang, "consents.decline")}</button></>}
              </p>
            )}
          </li>
        ))}
      </ul>
      {data.upcoming.length > 0 && (
        <>
          <h3>{t(lang, "consents.upcoming")}</h3>
          <ul>
            {data.upcoming.map((u) => (
              <li data-upcoming={u.kind}>
                {t(lang, "consents.changes").replace("{day}", kstDateTime(lang, u.effective_at))}
                {" "}{lang === "ko" ? u.summary_ko : u.summary_en}
                {u.reconsent ? ` ${t(lang, "consents.will_ask")}` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
