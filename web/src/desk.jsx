// The privacy officer's desk (rules P3, P6, R3): the queue of requests,
// open ones first by their last day (overdue marked); for an open case a
// delay (a reason and a new day, told to the requester) and the answer (a
// refusal, whole or in part, with its reason and law); for a deletion its
// plan (erased now, moved to separated storage, kept where it is with its
// law and last day, what blocks it) and its execution. Separated storage
// is a page of its own, for the privacy officer alone; each read of it is
// in the access log. A request that came on paper, by e-mail or by phone
// is entered here (P2) and waits for its requester's identity: a code
// goes to the member's mobile or e-mail on file, the requester reads it
// back; a proxy's power of attorney is attached first.
import { useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api, upload } from "./api.js";
import { Alert, Area, Field, Outcome, Select, problemText, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime } from "./format.js";

const OPEN = ["received", "identity_pending", "in_progress", "delayed"];
const OUTCOMES = ["completed", "partially_refused", "refused"];
const KINDS = ["access", "correction", "deletion", "suspension", "marketing_email", "marketing_sms", "withdrawal"];

export function Desk({ lang }) {
  const [data, alert, load] = useLoad(lang, "/admin/privacy-requests");
  const [notice, done] = useOutcome(load);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.desk")}</h1>
      <p>{t(lang, "desk.intro")}</p>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      <Enter lang={lang} done={done} />
      {data && (data.requests.length === 0 ? <p>{t(lang, "desk.empty")}</p> : (
        <ul class="records" data-list="desk">
          {data.requests.map((r) => <Case lang={lang} r={r} done={done} />)}
        </ul>
      ))}
    </main>
  );
}

function Case({ lang, r, done }) {
  const open = OPEN.includes(r.state);
  return (
    <li data-request={r.request_id} data-state={r.state} class={r.overdue_at ? "overdue" : undefined}>
      <h2>{t(lang, `privacy_kind.${r.kind}`)} · {r.company_name || "—"}</h2>
      <dl class="facts">
        <dt>{t(lang, "privacy.state")}</dt><dd data-field="state">{t(lang, `privacy_state.${r.state}`)}</dd>
        <dt>{t(lang, "privacy.received")}</dt><dd>{kstDateTime(lang, r.received_at)} ({t(lang, `desk.channel_${r.channel}`)})</dd>
        <dt>{t(lang, "privacy.due")}</dt><dd data-field="due_day">{r.due_day}{r.overdue_at ? ` · ${t(lang, "desk.overdue")}` : ""}</dd>
        {r.details && <><dt>{t(lang, "privacy.details")}</dt><dd>{r.details}</dd></>}
        {r.delay_reason && <><dt>{t(lang, "privacy.delay_reason")}</dt><dd>{r.delay_reason}</dd></>}
        {r.answer && <><dt>{t(lang, "privacy.answer")}</dt><dd data-field="answer">{r.answer}</dd></>}
        {r.legal_basis && <><dt>{t(lang, "privacy.legal_basis")}</dt><dd>{r.legal_basis}</dd></>}
        {r.identity && r.identity.proxy && <><dt>{t(lang, "desk.proxy")}</dt><dd data-field="proxy">{r.identity.proxy.name} ({t(lang, `desk.proxy_${r.identity.proxy.relationship}`)}){r.identity.proxy.document_sha256 ? ` · SHA-256 ${r.identity.proxy.document_sha256.slice(0, 16)}…` : ""}</dd></>}
        {r.identity && r.identity.verified_at && <><dt>{t(lang, "desk.verified")}</dt><dd>{kstDateTime(lang, r.identity.verified_at)}</dd></>}
      </dl>
      {r.state === "identity_pending" && r.identity && <Identity lang={lang} r={r} done={done} />}
      {open && r.kind === "deletion" && <DeletionPlan lang={lang} r={r} done={done} />}
      {!open && r.kind === "deletion" && <p><a href={`#/separated/${r.member_id}`}>{t(lang, "desk.separated")}</a></p>}
      {open && <Delay lang={lang} r={r} done={done} />}
      {open && r.kind !== "deletion" && <Answer lang={lang} r={r} done={done} />}
    </li>
  );
}

/// A request received on paper, by e-mail or by phone, entered for the
/// member it is about; the code goes to a contact point on file.
function Enter({ lang, done }) {
  const a = useAction(lang, done);
  const submit = async (e) => {
    e.preventDefault();
    const el = e.currentTarget;
    const form = new FormData(el);
    const relationship = form.get("enter-relationship");
    const made = await a.send("/admin/privacy-requests", {
      member_id: form.get("enter-member") || undefined,
      kind: form.get("enter-kind") || undefined,
      channel: form.get("enter-channel") || undefined,
      details: form.get("enter-details") || undefined,
      code_to: form.get("enter-code-to") || undefined,
      proxy_name: form.get("enter-proxy") || undefined,
      proxy_relationship: relationship || undefined,
    }, (d, l) => t(l, "desk.entered").replace("{to}", t(l, `desk.code_to_${d.identity.code_to}`)));
    // Entered: the form is emptied for the next letter.
    if (made) el.reset();
  };
  return (
    <details data-section="enter">
      <summary>{t(lang, "desk.enter")}</summary>
      <form onSubmit={submit} noValidate data-form="enter">
        <p>{t(lang, "desk.enter_intro")}</p>
        <Alert text={a.alert} />
        <Field id="enter-member" label={t(lang, "desk.enter_member")} error={a.fields.member_id} autocomplete="off" />
        <Select id="enter-kind" label={t(lang, "privacy.kind")} error={a.fields.kind}
          options={KINDS.map((k) => [k, t(lang, `privacy_kind.${k}`)])} />
        <Select id="enter-channel" label={t(lang, "desk.enter_channel")} error={a.fields.channel}
          options={["written", "email", "phone"].map((c) => [c, t(lang, `desk.channel_${c}`)])} />
        <Area id="enter-details" label={t(lang, "privacy.details")} error={a.fields.details} />
        <Select id="enter-code-to" label={t(lang, "desk.code_to")} error={a.fields.code_to}
          options={["sms", "email"].map((c) => [c, t(lang, `desk.code_to_${c}`)])} />
        <Field id="enter-proxy" label={t(lang, "desk.proxy_name")} error={a.fields.proxy_name} autocomplete="off" />
        <Select id="enter-relationship" label={t(lang, "desk.proxy_relationship")} error={a.fields.proxy_relationship}
          options={[["", t(lang, "desk.proxy_none")], ...["legal_representative", "delegate"].map((k) => [k, t(lang, `desk.proxy_${k}`)])]} />
        <button type="submit">{t(lang, "desk.enter_submit")}</button>
      </form>
    </details>
  );
}

/// The identity check of an entered request: the proxy's document, the
/// code read back, a new code to a contact point on file.
function Identity({ lang, r, done }) {
  const a = useAction(lang, done);
  const [alert, setAlert] = useState("");
  const id = `identity-${r.request_id}`;
  const path = `/admin/privacy-requests/${r.request_id}`;
  const i = r.identity;
  const attach = async (e) => {
    const file = e.currentTarget.files[0];
    if (!file) return;
    const res = await upload(lang, `${path}/power-of-attorney`, file, () => {});
    if (res.ok) {
      setAlert("");
      done((l) => t(l, "desk.poa_attached"));
    } else setAlert(res.fields.file || problemText(lang, res));
  };
  const verify = (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    a.send(`${path}/verify`, { code: form.get(`${id}-code`) || undefined },
      (d, l) => t(l, "desk.verified_now").replace("{state}", t(l, `privacy_state.${d.state}`)));
  };
  return (
    <section aria-label={t(lang, "desk.identity")} data-section="identity">
      <h3>{t(lang, "desk.identity")}</h3>
      <p>{t(lang, "desk.identity_sent").replace("{to}", t(lang, `desk.code_to_${i.code_to}`)).replace("{tries}", i.tries_left)}</p>
      <Alert text={alert || a.alert} />
      {i.proxy && !i.proxy.document_sha256 && (
        <div class="field">
          <label for={`${id}-poa`}>{t(lang, "desk.poa")}</label>
          <input id={`${id}-poa`} type="file" accept="application/pdf,image/jpeg,image/png" onChange={attach} />
        </div>
      )}
      <form onSubmit={verify} noValidate data-form="verify">
        <Field id={`${id}-code`} label={t(lang, "desk.code")} error={a.fields.code} inputmode="numeric" autocomplete="off" />
        <button type="submit">{t(lang, "desk.verify")}</button>
      </form>
      {["sms", "email"].map((to) => (
        <button type="button" class="secondary" onClick={() => a.send(`${path}/identity-code`, { code_to: to },
          (d, l) => t(l, "desk.code_sent").replace("{to}", t(l, `desk.code_to_${to}`)))}>
          {t(lang, "desk.resend").replace("{to}", t(lang, `desk.code_to_${to}`))}
        </button>
      ))}
    </section>
  );
}

function Delay({ lang, r, done }) {
  const a = useAction(lang, done);
  const id = `delay-${r.request_id}`;
  const submit = (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    a.send(`/admin/privacy-requests/${r.request_id}/delay`, {
      revision: r.revision,
      reason: form.get(`${id}-reason`) || undefined,
      until: form.get(`${id}-until`) || undefined,
    }, (d, l) => t(l, "desk.delayed").replace("{day}", d.due_day));
  };
  return (
    <details>
      <summary>{t(lang, "desk.delay")}</summary>
      <form onSubmit={submit} noValidate data-form="delay">
        <Alert text={a.alert} />
        <Area id={`${id}-reason`} label={t(lang, "desk.delay_reason")} error={a.fields.reason} />
        <Field id={`${id}-until`} type="date" label={t(lang, "desk.delay_until")} error={a.fields.until} />
        <button type="submit">{t(lang, "desk.delay_submit")}</button>
      </form>
    </details>
  );
}

function Answer({ lang, r, done }) {
  const a = useAction(lang, done);
  const id = `answer-${r.request_id}`;
  const submit = (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    a.send(`/admin/privacy-requests/${r.request_id}/answer`, {
      revision: r.revision,
      outcome: form.get(`${id}-outcome`) || undefined,
      answer: form.get(`${id}-text`) || undefined,
      legal_basis: form.get(`${id}-law`) || undefined,
    }, (d, l) => t(l, "desk.answered").replace("{state}", t(l, `privacy_state.${d.state}`)));
  };
  return (
    <details>
      <summary>{t(lang, "desk.answer")}</summary>
      <form onSubmit={submit} noValidate data-form="answer">
        <Alert text={a.alert} />
        <Select id={`${id}-outcome`} label={t(lang, "desk.outcome")} error={a.fields.outcome}
          options={OUTCOMES.map((o) => [o, t(lang, `privacy_state.${o}`)])} />
        <Area id={`${id}-text`} label={t(lang, "privacy.answer")} error={a.fields.answer} />
        <Field id={`${id}-law`} label={t(lang, "privacy.legal_basis")} error={a.fields.legal_basis} autocomplete="off" />
        <button type="submit">{t(lang, "desk.answer_submit")}</button>
      </form>
    </details>
  );
}

/// A deletion's plan, read on demand, and its execution once nothing
/// blocks it.
function DeletionPlan({ lang, r, done }) {
  const [plan, setPlan] = useState(null);
  const [alert, setAlert] = useState("");
  const run = useAction(lang, done);
  const read = async () => {
    const res = await api(lang, "GET", `/admin/privacy-requests/${r.request_id}/deletion-plan`);
    if (res.ok) {
      setPlan(res.data);
      setAlert("");
    } else setAlert(problemText(lang, res));
  };
  const law = (i) => (lang === "ko" ? i.basis_ko : i.basis_en) || "—";
  return (
    <section aria-label={t(lang, "desk.plan")} data-section="deletion-plan">
      <Alert text={alert || run.alert} />
      <button type="button" class="secondary" onClick={read}>{t(lang, "desk.plan_read")}</button>
      {plan && (
        <>
          <div class="scroll">
            <table data-table="deletion-plan">
              <caption>{t(lang, "desk.plan")}</caption>
              <thead><tr>
                <th scope="col">{t(lang, "desk.plan_what")}</th>
                <th scope="col">{t(lang, "desk.plan_action")}</th>
                <th scope="col">{t(lang, "desk.plan_count")}</th>
                <th scope="col">{t(lang, "desk.plan_until")}</th>
                <th scope="col">{t(lang, "desk.plan_law")}</th>
              </tr></thead>
              <tbody>
                {plan.items.map((i) => (
                  <tr data-action={i.action} data-class={i.class}>
                    <th scope="row">{i.what}<br /><small>{i.fields}</small></th>
                    <td>{t(lang, `desk.action_${i.action}`)}</td>
                    <td>{i.count}</td>
                    <td>{i.until || "—"}</td>
                    <td>{law(i)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {plan.blocked.map((b) => <p class="error" data-blocked={b.what}>{t(lang, "desk.blocked").replace("{n}", b.count)}</p>)}
          {plan.executable && (
            <button type="button" onClick={() => run.send(`/admin/privacy-requests/${r.request_id}/erase`, { revision: r.revision },
              (d, l) => t(l, "desk.erased").replace("{state}", t(l, `privacy_state.${d.state}`)))}>
              {t(lang, "desk.erase")}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/// Separated storage (R3): what deletions kept because a law keeps it,
/// opened for the privacy officer; each member's read is access-logged.
export function Separated({ lang, id }) {
  const [member, setMember] = useState(id || "");
  const [data, alert] = useLoad(lang, `/admin/separated-records${member ? `?member=${encodeURIComponent(member)}` : ""}`);
  const submit = (e) => {
    e.preventDefault();
    setMember(new FormData(e.currentTarget).get("separated-member") || "");
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.separated")}</h1>
      <p>{t(lang, "separated.intro")}</p>
      <form onSubmit={submit} noValidate class="inline-field">
        <Field id="separated-member" label={t(lang, "separated.member")} autocomplete="off" value={member} />
        <button type="submit">{t(lang, "separated.find")}</button>
      </form>
      <Alert text={alert} />
      {data && (data.records.length === 0 ? <p>{t(lang, "separated.empty")}</p> : (
        <ul class="records" data-list="separated">
          {data.records.map((s) => (
            <li data-separated={s.id} data-class={s.class}>
              <h2>{t(lang, `separated.what_${s.what}`)}</h2>
              <dl class="facts">
                <dt>{t(lang, "separated.class")}</dt><dd>{t(lang, `separated.class_${s.class}`)}</dd>
                <dt>{t(lang, "separated.until")}</dt><dd data-field="kept_until">{s.kept_until}</dd>
                <dt>{t(lang, "separated.moved")}</dt><dd>{kstDateTime(lang, s.moved_at)}</dd>
              </dl>
              <pre data-field="data">{JSON.stringify(s.data, null, 2)}</pre>
            </li>
          ))}
        </ul>
      ))}
    </main>
  );
}

/// The terms and policies (rule A8): every version with its state and
/// day, and a new version scheduled from a day at least 7 days ahead (30
/// for an important change), announced to every member at once.
export function TermsPage({ lang }) {
  const [data, alert, load] = useLoad(lang, "/admin/terms");
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const kinds = data ? [...new Set(data.versions.map((v) => v.kind))] : [];
  const submit = (e) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    a.send("/admin/terms", {
      kind: f.get("terms-kind") || undefined,
      title_ko: f.get("title_ko") || undefined,
      title_en: f.get("title_en") || undefined,
      text_ko: f.get("text_ko") || undefined,
      text_en: f.get("text_en") || undefined,
      summary_ko: f.get("summary_ko") || undefined,
      summary_en: f.get("summary_en") || undefined,
      effective_on: f.get("effective_on") || undefined,
      important: f.get("important") === "on",
      reconsent: f.get("reconsent") === "on",
    }, (v, l) => t(l, "terms.scheduled").replace("{day}", v.version));
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.terms")}</h1>
      <p>{t(lang, "terms.intro")}</p>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      {data && (
        <div class="scroll">
          <table data-table="terms">
            <caption class="visually-hidden">{t(lang, "staff.terms")}</caption>
            <thead><tr>
              <th scope="col">{t(lang, "terms.kind")}</th>
              <th scope="col">{t(lang, "terms.version")}</th>
              <th scope="col">{t(lang, "terms.state")}</th>
              <th scope="col">{t(lang, "terms.applies")}</th>
              <th scope="col">{t(lang, "terms.summary")}</th>
            </tr></thead>
            <tbody>
              {data.versions.map((v) => (
                <tr data-version={`${v.kind}/${v.version}`} data-state={v.state}>
                  <th scope="row">{t(lang, `terms.kind_${v.kind}`)}</th>
                  <td>{v.version}</td>
                  <td>{t(lang, `terms.state_${v.state}`)}{v.important ? ` · ${t(lang, "terms.important")}` : ""}{v.reconsent ? ` · ${t(lang, "terms.reconsent")}` : ""}</td>
                  <td>{v.effective_at ? kstDateTime(lang, v.effective_at) : "—"}</td>
                  <td>{(lang === "ko" ? v.summary_ko : v.summary_en) || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="terms-new">
        <h2 id="terms-new">{t(lang, "terms.new")}</h2>
        <form onSubmit={submit} noValidate>
          <Alert text={a.alert} />
          <Select id="terms-kind" label={t(lang, "terms.kind")} error={a.fields.kind} options={kinds.map((k) => [k, t(lang, `terms.kind_${k}`)])} />
          <Field id="title_ko" label={t(lang, "terms.title_ko")} error={a.fields.title_ko} autocomplete="off" />
          <Field id="title_en" label={t(lang, "terms.title_en")} error={a.fields.title_en} autocomplete="off" />
          <Area id="text_ko" label={t(lang, "terms.text_ko")} error={a.fields.text_ko} />
          <Area id="text_en" label={t(lang, "terms.text_en")} error={a.fields.text_en} />
          <Area id="summary_ko" label={t(lang, "terms.summary_ko")} error={a.fields.summary_ko} />
          <Area id="summary_en" label={t(lang, "terms.summary_en")} error={a.fields.summary_en} />
          <Field id="effective_on" type="date" label={t(lang, "terms.effective_on")} error={a.fields.effective_on} hint={t(lang, "terms.effective_hint")} />
          <div class="field"><label><input type="checkbox" name="important" /> {t(lang, "terms.important_check")}</label></div>
          <div class="field"><label><input type="checkbox" name="reconsent" /> {t(lang, "terms.reconsent_check")}</label></div>
          <button type="submit">{t(lang, "terms.submit")}</button>
        </form>
      </section>
    </main>
  );
}
