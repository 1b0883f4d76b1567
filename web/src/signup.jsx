// The signup wizard (rules S1–S6): terms in full with the under-14
// confirmation and separate optional consents, the contact person, the
// phone code, the company (search my company, the chosen categories'
// success-fee rates), documents (with upload progress), submission, then
// the status page. Each step's problems show next to their fields.
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api, upload } from "./api.js";
import { Alert, Choice, Field, numberOrText, problemText } from "./ui.jsx";
import { brn, krw, kstDateTime, size } from "./format.js";

export function Signup({ lang, step, go }) {
  const page = (() => {
    if (step === "contact") return <Contact lang={lang} go={go} />;
    if (step === "phone") return <Phone lang={lang} go={go} />;
    if (step === "company") return <CompanyStep lang={lang} go={go} />;
    if (step === "documents") return <Documents lang={lang} go={go} />;
    if (step === "submit") return <Submit lang={lang} go={go} />;
    if (step === "status") return <Status lang={lang} go={go} />;
    return <Terms lang={lang} go={go} />;
  })();
  // The status page says itself what is done and what comes next.
  return (
    <>
      {STEPS.includes(step) && <Steps lang={lang} step={step} />}
      {page}
    </>
  );
}

/// The wizard's steps in order, the current one marked.
const STEPS = ["terms", "contact", "phone", "company", "documents", "submit"];

function Steps({ lang, step }) {
  const at = STEPS.indexOf(step);
  return (
    <nav class="steps" aria-label={t(lang, "steps.label")}>
      <ol>
        {STEPS.map((s, i) => (
          <li class={i < at ? "done" : i === at ? "current" : ""} aria-current={i === at ? "step" : undefined}>
            <span class="step-number" aria-hidden="true">{i + 1}</span>
            <span class="step-name">{t(lang, `steps.${s}`)}</span>
            {i < at && <span class="visually-hidden"> ({t(lang, "steps.done")})</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Terms({ lang, go }) {
  const [docs, setDocs] = useState(null);
  const [kind, setKind] = useState("partner");
  const [alert, setAlert] = useState("");
  const [fields, setFields] = useState({});
  // Each box on its own; "agree to all" ticks (or clears) every one, and
  // each consent is still sent and recorded separately (rule S2).
  const [ticked, setTicked] = useState({});
  const boxes = docs ? [...docs.map((d) => `consent-${d.kind}`), "over_14"] : [];
  const all = boxes.length > 0 && boxes.every((b) => ticked[b]);
  const tick = (name) => (e) => setTicked({ ...ticked, [name]: e.currentTarget.checked });
  const tickAll = (e) => setTicked(Object.fromEntries(boxes.map((b) => [b, e.currentTarget.checked])));
  useEffect(() => {
    api(lang, "GET", "/terms").then((r) => (r.ok ? setDocs(r.data.documents) : setAlert(problemText(lang, r))));
  }, [lang]);
  const submit = async (e) => {
    e.preventDefault();
    const r = await api(lang, "POST", "/signup/terms", {
      kind,
      over_14: !!ticked.over_14,
      consents: docs.map((d) => ({ kind: d.kind, version: d.version, accepted: !!ticked[`consent-${d.kind}`] })),
    });
    if (r.ok) return go("contact");
    setFields(r.fields);
    setAlert(problemText(lang, r));
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "signup.terms_title")}</h1>
      <Alert text={alert} />
      {docs && (
        <form onSubmit={submit} noValidate>
          <Choice legend={t(lang, "signup.kind")} name="kind" value={kind} onChange={setKind}
            options={["partner", "client"].map((k) => [k, t(lang, `signup.kind_${k}`)])} />
          <label class="check all">
            <input type="checkbox" name="all" checked={all} onChange={tickAll} />
            {t(lang, "signup.agree_all")}
          </label>
          {docs.map((d, i) => (
            <section class="document" aria-labelledby={`doc-${d.kind}`}>
              <h2 id={`doc-${d.kind}`}>{d.title}</h2>
              <div class="document-text" tabindex="0" role="region" aria-label={d.title}>
                {d.text.split("\n").map((line) => (line.startsWith("## ") ? <h3>{line.slice(3)}</h3> : line ? <p>{line}</p> : null))}
              </div>
              <label class="check">
                <input type="checkbox" name={`consent-${d.kind}`} checked={!!ticked[`consent-${d.kind}`]} onChange={tick(`consent-${d.kind}`)} aria-describedby={fields[`consents/${i}/accepted`] ? `consent-${i}-error` : undefined} />
                {t(lang, d.required ? "signup.agree_required" : "signup.agree_optional")} ({t(lang, "signup.version")} {d.version})
              </label>
              {fields[`consents/${i}/accepted`] && <p class="error" id={`consent-${i}-error`}>{fields[`consents/${i}/accepted`]}</p>}
            </section>
          ))}
          <label class="check">
            <input type="checkbox" name="over_14" checked={!!ticked.over_14} onChange={tick("over_14")} aria-describedby={fields.over_14 ? "over_14-error" : undefined} />
            {t(lang, "signup.over_14")}
          </label>
          {fields.over_14 && <p class="error" id="over_14-error">{fields.over_14}</p>}
          <button type="submit">{t(lang, "signup.next")}</button>
        </form>
      )}
    </main>
  );
}

function Contact({ lang, go }) {
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  // What this step saved before, shown back (the password is typed again).
  const [saved, setSaved] = useState(null);
  useEffect(() => {
    api(lang, "GET", "/signup/status").then((r) => setSaved(r.ok ? r.data : {}));
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = {};
    for (const k of ["login_id", "password", "password_confirm", "name", "mobile", "email"]) body[k] = f.get(k) || undefined;
    const r = await api(lang, "PUT", "/signup/contact", body);
    if (r.ok) return go(r.data.phone_verified ? "status" : "phone");
    setFields(r.fields);
    setAlert(problemText(lang, r));
  };
  const was = { login_id: "login_id", name: "contact_name", mobile: "mobile", email: "email" };
  const field = (id, type = "text", autocomplete) => (
    <Field id={id} label={t(lang, `contact.${id}`)} error={fields[id]} type={type} autocomplete={autocomplete}
      defaultValue={(saved && was[id] && saved[was[id]]) || undefined} />
  );
  if (saved === null) return <main id="main" class="page narrow"><h1>{t(lang, "contact.title")}</h1></main>;
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "contact.title")}</h1>
      <form onSubmit={submit} noValidate>
        <Alert text={alert} />
        {field("login_id", "text", "username")}
        {field("password", "password", "new-password")}
        {field("password_confirm", "password", "new-password")}
        {field("name", "text", "name")}
        {field("mobile", "tel", "tel")}
        {field("email", "email", "email")}
        <button type="submit">{t(lang, "signup.next")}</button>
      </form>
    </main>
  );
}

/// The phone step. A reload or a resend keeps the code box: the status
/// says a code is live, when it expires and from when another may be
/// asked for (a countdown on the button); the first code keeps working
/// until it expires.
function Phone({ lang, go }) {
  const [code, setCode] = useState(null);
  const [now, setNow] = useState(Date.now());
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const [sentNow, setSentNow] = useState(false);
  useEffect(() => {
    api(lang, "GET", "/signup/status").then((r) => {
      if (!r.ok) return setAlert(problemText(lang, r));
      if (r.data.phone_verified) return go(r.data.next);
      setCode(r.data.phone_code);
    });
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [lang]);
  const left = (at) => (at ? Math.max(0, Math.ceil((Date.parse(at) - now) / 1000)) : 0);
  const expires = code ? left(code.expires_at) : 0;
  const wait = code ? left(code.resend_at) : 0;
  const send = async () => {
    const r = await api(lang, "POST", "/signup/phone/send", {});
    if (r.ok && r.data.already_verified) return go("status");
    if (!r.ok) return setAlert(problemText(lang, r));
    setAlert("");
    setSentNow(true);
    const s = await api(lang, "GET", "/signup/status");
    if (s.ok) setCode(s.data.phone_code);
  };
  const verify = async (e) => {
    e.preventDefault();
    const typed = new FormData(e.currentTarget).get("code") || undefined;
    const r = await api(lang, "POST", "/signup/phone/verify", { code: typed });
    if (r.ok) return go("status");
    setFields(r.fields);
    setAlert(problemText(lang, r));
  };
  const mmss = (n) => `${Math.floor(n / 60)}:${String(n % 60).padStart(2, "0")}`;
  const live = code && expires > 0;
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "phone.title")}</h1>
      <Alert text={alert} />
      <p>{t(lang, live ? (sentNow ? "phone.sent" : "phone.sent_before") : "phone.explain")}</p>
      <button type="button" class={live ? "secondary" : ""} onClick={send} disabled={live && wait > 0}>
        {t(lang, live ? "phone.resend" : "phone.send")}
      </button>
      {live && wait > 0 && <p class="hint" data-field="resend_wait">{t(lang, "phone.resend_in").replace("{n}", wait)}</p>}
      {live && (
        <form onSubmit={verify} noValidate>
          <Field id="code" label={t(lang, "phone.code")} error={fields.code} inputmode="numeric" autocomplete="one-time-code" />
          <p class="hint" data-field="expires_in" aria-live="off">{t(lang, "phone.expires_in").replace("{t}", mmss(expires))}</p>
          <button type="submit">{t(lang, "phone.verify")}</button>
        </form>
      )}
      {code && !live && <p role="status">{t(lang, "phone.expired")}</p>}
    </main>
  );
}

/// The application as staff and the steps see it (rules S1, S6): where it
/// stands, what comes next, a decision with its reason and what to do.
function Status({ lang, go }) {
  const [app, setApp] = useState(null);
  const [alert, setAlert] = useState("");
  useEffect(() => {
    api(lang, "GET", "/signup/status").then((r) => (r.ok ? setApp(r.data) : setAlert(problemText(lang, r))));
  }, [lang]);
  const built = ["contact", "phone", "company", "documents", "submit"];
  const step = (next) => (next === "resubmit" ? "submit" : next);
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "status.title")}</h1>
      <Alert text={alert} />
      {app && (
        <>
          <dl class="facts">
            <dt>{t(lang, "status.status")}</dt>
            <dd data-field="status">{t(lang, `status.${app.status}`)}</dd>
            <dt>{t(lang, "status.next")}</dt>
            <dd data-field="next">{t(lang, `next.${app.next}`)}</dd>
            <dt>{t(lang, "status.phone")}</dt>
            <dd>{t(lang, app.phone_verified ? "status.yes" : "status.no")}</dd>
            {app.missing_documents.length > 0 && (
              <>
                <dt>{t(lang, "status.missing")}</dt>
                <dd>{app.missing_documents.map((d) => t(lang, `doc.${d}`)).join(", ")}</dd>
              </>
            )}
            {app.decision_reason && (
              <>
                <dt>{t(lang, "status.reason")}</dt>
                <dd data-field="reason">{app.decision_reason}</dd>
              </>
            )}
          </dl>
          {(app.status === "on_hold" || app.status === "rejected") && <p>{t(lang, `todo.${app.status}`)}</p>}
          {app.status === "on_hold" && (
            <ul class="links" aria-label={t(lang, "status.fix")}>
              <li><a href="#/signup/company">{t(lang, "status.fix_company")}</a></li>
              <li><a href="#/signup/documents">{t(lang, "status.fix_documents")}</a></li>
            </ul>
          )}
          {(built.includes(app.next) || app.next === "resubmit") && (
            <button type="button" onClick={() => go(step(app.next))}>{t(lang, `next.${app.next}`)}</button>
          )}
          {app.status === "submitted" && <p>{t(lang, "status.wait")}</p>}
          {app.status === "approved" && <p>{t(lang, "status.approved_next")}</p>}
          {app.status === "active" && <p><a href="#/">{t(lang, "status.sign_in")}</a></p>}
        </>
      )}
    </main>
  );
}

/// The company fields in the order the form shows them, with their input
/// types; which are shown and required comes from the API (by member kind).
const COMPANY_INPUTS = [
  ["company_name", "text", "organization"],
  ["business_number", "text"],
  ["representative_name", "text"],
  ["business_type", "text"],
  ["business_item", "text"],
  ["address", "text", "street-address"],
  ["revenue_krw", "won"],
  ["employees", "number"],
  ["founded_year", "number"],
  ["homepage", "url", "url"],
];

function CompanyStep({ lang, go }) {
  const [form, setForm] = useState(null);
  const [values, setValues] = useState({});
  const [chosen, setChosen] = useState([]);
  const [found, setFound] = useState(null);
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  useEffect(() => {
    api(lang, "GET", "/signup/company").then((r) => {
      if (!r.ok) return setAlert(problemText(lang, r));
      const first = !form;
      setForm(r.data);
      // What was saved before, shown back (a return, a fix on hold); once,
      // so a language switch keeps what is being typed.
      if (!first) return;
      const saved = r.data.saved || {};
      setValues(Object.fromEntries(Object.entries(saved).filter(([k]) => k !== "categories").map(([k, v]) => [k, String(v)])));
      if (Array.isArray(saved.categories)) setChosen(saved.categories);
    });
  }, [lang]);
  const search = async (e) => {
    e.preventDefault();
    const q = new FormData(e.currentTarget).get("q") || "";
    const r = await api(lang, "GET", `/signup/company-search?q=${encodeURIComponent(q)}`);
    if (r.ok) setFound(r.data.results);
    else setAlert(problemText(lang, r));
  };
  const pick = (c) => {
    const next = { ...values };
    for (const k of ["company_name", "business_number", "business_type", "business_item", "founded_year", "homepage"]) {
      if (c[k] !== null && c[k] !== undefined) next[k] = String(c[k]);
    }
    setValues(next);
    setFound(null);
  };
  const toggle = (code) => setChosen(chosen.includes(code) ? chosen.filter((c) => c !== code) : [...chosen, code]);
  const submit = async (e) => {
    e.preventDefault();
    const body = {};
    for (const [k, type] of COMPANY_INPUTS) {
      const v = (values[k] || "").trim();
      if (!v) continue;
      // Numbers as typed: the API reads "12억 5,000만원" or "24명" itself.
      body[k] = type === "number" || type === "won" ? numberOrText(v) : v;
    }
    if (chosen.length) body.categories = chosen;
    const r = await api(lang, "PUT", "/signup/company", body);
    if (r.ok) return go("documents");
    setFields(r.fields);
    setAlert(problemText(lang, r));
  };
  if (!form) return <main id="main" class="page narrow"><h1>{t(lang, "company.title")}</h1><Alert text={alert} /></main>;
  const shown = COMPANY_INPUTS.filter(([k]) => form.required_fields.includes(k) || form.optional_fields.includes(k));
  const required = (k) => form.required_fields.includes(k);
  const label = (k) => `${t(lang, `company.${k}`)} (${t(lang, required(k) ? "form.required" : "form.optional")})`;
  const rates = form.categories.filter((c) => chosen.includes(c.code));
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "company.title")}</h1>
      <Alert text={alert} />
      <form class="search" onSubmit={search} role="search" noValidate>
        <Field id="q" label={t(lang, "company.search")} type="search" />
        <button type="submit" class="secondary">{t(lang, "company.search_button")}</button>
      </form>
      {found && (
        found.length === 0 ? <p role="status">{t(lang, "company.none_found")}</p> : (
          <ul class="choices" aria-label={t(lang, "company.found")}>
            {found.map((c) => (
              <li><button type="button" class="secondary" onClick={() => pick(c)}>{c.company_name}{c.business_number ? ` · ${c.business_number}` : ""}</button></li>
            ))}
          </ul>
        )
      )}
      <form onSubmit={submit} noValidate>
        {shown.map(([k, type, auto]) => (
          <Field id={k} label={label(k)} error={fields[k]} hint={["won", "number"].includes(type) || k === "homepage" ? t(lang, `company.${k}_hint`) : undefined}
            type={type === "number" || type === "won" || type === "url" ? "text" : type} inputmode={type === "number" ? "numeric" : type === "url" ? "url" : undefined}
            autocomplete={auto || "off"} value={values[k] || ""} onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })} />
        ))}
        {(required("categories") || form.optional_fields.includes("categories")) && (
          <fieldset aria-describedby={fields.categories ? "categories-error" : undefined}>
            <legend>{label("categories")} · {t(lang, "company.categories_hint")}</legend>
            {form.categories.map((c) => (
              <label><input type="checkbox" name="categories" value={c.code} checked={chosen.includes(c.code)} onChange={() => toggle(c.code)} /> {lang === "ko" ? c.name_ko : c.name_en} — {t(lang, "company.fee")} {c.success_fee_percent}%</label>
            ))}
            {fields.categories && <p class="error" id="categories-error">{fields.categories}</p>}
          </fieldset>
        )}
        <section class="fees" aria-live="polite">
          <h2>{t(lang, "company.fees_title")}</h2>
          {rates.length ? (
            <ul data-field="fees">{rates.map((c) => <li>{lang === "ko" ? c.name_ko : c.name_en}: {t(lang, "company.fee")} {c.success_fee_percent}%</li>)}</ul>
          ) : <p>{t(lang, "company.fees_none")}</p>}
          <p>{t(lang, "company.system_fee")} {krw(lang, form.system_fee.annual_krw)} ({t(lang, "company.after_trials").replace("{n}", form.system_fee.billed_after_trial_matchings)})</p>
        </section>
        <button type="submit">{t(lang, "signup.next")}</button>
      </form>
    </main>
  );
}

const DOC_KINDS = ["registration_certificate", "brochure", "portfolio"];

/// Step 4: each kind's upload, the documents stored so far listed back
/// (type, size, when) with a remove button; a single-file kind's new upload
/// replaces the old one.
function Documents({ lang, go }) {
  const [app, setApp] = useState(null);
  const [progress, setProgress] = useState({});
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const reload = () =>
    api(lang, "GET", "/signup/status").then((r) => (r.ok ? setApp(r.data) : setAlert(problemText(lang, r))));
  useEffect(() => {
    reload();
  }, [lang]);
  const send = async (kind, files) => {
    setFields({});
    setAlert("");
    for (const file of files) {
      const r = await upload(lang, `/signup/documents?kind=${kind}`, file, (p) => setProgress({ ...progress, [kind]: p }));
      if (!r.ok) {
        setFields({ [kind]: r.problem ? r.problem.detail : t(lang, "error.network") });
        break;
      }
    }
    setProgress({ ...progress, [kind]: undefined });
    reload();
  };
  const remove = async (d) => {
    const r = await api(lang, "DELETE", `/signup/documents/${d.document_id}`);
    if (!r.ok) setAlert(problemText(lang, r));
    reload();
  };
  const submit = (kind) => (e) => {
    e.preventDefault();
    const files = [...e.currentTarget.querySelector("input[type=file]").files];
    if (!files.length) return setFields({ [kind]: t(lang, "documents.choose") });
    send(kind, files);
  };
  const missing = app ? app.missing_documents : null;
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "documents.title")}</h1>
      <Alert text={alert} />
      {missing && (
        <>
          <p>{t(lang, "documents.explain")}</p>
          {DOC_KINDS.map((kind) => {
            const stored = app.documents.filter((d) => d.kind === kind);
            return (
              <form class="upload" onSubmit={submit(kind)} noValidate data-kind={kind}>
                <h2 id={`h-${kind}`}>{t(lang, `doc.${kind}`)} {missing.includes(kind) ? `(${t(lang, "form.required")})` : "✓"}</h2>
                <p class="hint">{t(lang, `documents.${kind}_hint`)}</p>
                {stored.length > 0 && (
                  <ul class="stored" aria-label={`${t(lang, `doc.${kind}`)} ${t(lang, "documents.stored")}`}>
                    {stored.map((d, i) => (
                      <li data-document={d.document_id}>
                        {t(lang, `doc.${kind}`)} {stored.length > 1 ? i + 1 : ""} · {fileType(d.content_type)} · {size(d.size_bytes)} · {kstDateTime(lang, d.created_at)}{" "}
                        <button type="button" class="secondary" onClick={() => remove(d)} aria-label={`${t(lang, "documents.remove")}: ${t(lang, `doc.${kind}`)} ${stored.length > 1 ? i + 1 : ""}`}>{t(lang, "documents.remove")}</button>
                      </li>
                    ))}
                  </ul>
                )}
                <div class="field">
                  <label for={`file-${kind}`}>{t(lang, "documents.file")}</label>
                  <input id={`file-${kind}`} type="file" multiple={kind === "portfolio"} aria-invalid={fields[kind] ? "true" : undefined} aria-describedby={fields[kind] ? `err-${kind}` : undefined} />
                  {fields[kind] && <p class="error" id={`err-${kind}`}>{fields[kind]}</p>}
                </div>
                {progress[kind] !== undefined && (
                  <progress max="100" value={progress[kind]} aria-label={`${t(lang, `doc.${kind}`)} ${t(lang, "documents.progress")}`}>{progress[kind]}%</progress>
                )}
                <button type="submit" class="secondary" disabled={progress[kind] !== undefined}>
                  {t(lang, stored.length && kind !== "portfolio" ? "documents.replace" : "documents.upload")}
                </button>
              </form>
            );
          })}
          {missing.length === 0 ? (
            <button type="button" onClick={() => go("submit")}>{t(lang, "signup.next")}</button>
          ) : (
            <p role="status">{t(lang, "status.missing")}: {missing.map((d) => t(lang, `doc.${d}`)).join(", ")}</p>
          )}
        </>
      )}
    </main>
  );
}

/// A stored file's type as people name it.
function fileType(contentType) {
  return (contentType.split("/")[1] || contentType).toUpperCase().replace("JPEG", "JPG");
}

/// Step 5: what will be reviewed, shown once more before it is sent.
function Submit({ lang, go }) {
  const [alert, setAlert] = useState("");
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState(null);
  const [app, setApp] = useState(null);
  useEffect(() => {
    api(lang, "GET", "/signup/company").then((r) => (r.ok ? setForm(r.data) : setAlert(problemText(lang, r))));
    api(lang, "GET", "/signup/status").then((r) => (r.ok ? setApp(r.data) : setAlert(problemText(lang, r))));
  }, [lang]);
  const send = async () => {
    setBusy(true);
    const r = await api(lang, "POST", "/signup/submit", {});
    setBusy(false);
    if (r.ok) return go("status");
    setAlert(problemText(lang, r));
  };
  const saved = (form && form.saved) || {};
  const category = (code) => {
    const c = form && form.categories.find((x) => x.code === code);
    return c ? (lang === "ko" ? c.name_ko : c.name_en) : code;
  };
  const shown = (k, v) => (v === undefined || v === null || v === "" ? "—" : k === "revenue_krw" ? krw(lang, v) : String(v));
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "submit.title")}</h1>
      <Alert text={alert} />
      <p>{t(lang, "submit.explain")}</p>
      {form && app && (
        <section aria-labelledby="summary" data-field="summary">
          <h2 id="summary">{t(lang, "submit.summary")}</h2>
          <dl class="facts">
            {COMPANY_INPUTS.filter(([k]) => form.required_fields.includes(k) || form.optional_fields.includes(k)).map(([k]) => (
              <>
                <dt>{t(lang, `company.${k}`)}</dt>
                <dd data-field={`summary-${k}`}>{k === "business_number" && saved[k] ? brn(saved[k]) : shown(k, saved[k])}</dd>
              </>
            ))}
            <dt>{t(lang, "member.categories")}</dt>
            <dd>{(saved.categories || []).map(category).join(", ") || "—"}</dd>
            {DOC_KINDS.map((kind) => (
              <>
                <dt>{t(lang, `doc.${kind}`)}</dt>
                <dd data-field={`summary-${kind}`}>{app.documents.filter((d) => d.kind === kind).length}</dd>
              </>
            ))}
          </dl>
          <p><a href="#/signup/company">{t(lang, "status.fix_company")}</a> · <a href="#/signup/documents">{t(lang, "status.fix_documents")}</a></p>
        </section>
      )}
      <button type="button" onClick={send} disabled={busy}>{t(lang, "submit.button")}</button>
    </main>
  );
}
