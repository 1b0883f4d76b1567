// A member user's privacy-rights requests (`#/privacy`, rules P1–P3): what
// it may ask (seven kinds), its requests with their last day to be
// answered (the 10th KST day after receipt, or the day a delay gave, with
// its reason), the answers (a refusal with its reason and law), and
// withdrawing an open one.
import { t } from "./i18n.js";
import { Alert, Area, Outcome, Select, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime } from "./format.js";

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
