// The signup wizard (rules S1–S3 so far; company, documents, submission
// and the status page come next): terms in full with the under-14
// confirmation and separate optional consents, then the contact person,
// then the phone code. Each step's problems show next to their fields.
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api } from "./api.js";
import { Field } from "./ui.jsx";

export function Signup({ lang, step, go }) {
  if (step === "contact") return <Contact lang={lang} go={go} />;
  if (step === "phone") return <Phone lang={lang} go={go} />;
  if (step === "status" || step === "company") return <Status lang={lang} go={go} />;
  return <Terms lang={lang} go={go} />;
}

function Alert({ text }) {
  return text ? <p class="alert" role="alert">{text}</p> : null;
}

function problemText(lang, r) {
  return r.problem ? r.problem.detail : t(lang, "error.network");
}

function Terms({ lang, go }) {
  const [docs, setDocs] = useState(null);
  const [alert, setAlert] = useState("");
  const [fields, setFields] = useState({});
  useEffect(() => {
    api(lang, "GET", "/terms").then((r) => (r.ok ? setDocs(r.data.documents) : setAlert(problemText(lang, r))));
  }, [lang]);
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const r = await api(lang, "POST", "/signup/terms", {
      kind: form.get("kind") || undefined,
      over_14: form.get("over_14") === "on",
      consents: docs.map((d) => ({ kind: d.kind, version: d.version, accepted: form.get(`consent-${d.kind}`) === "on" })),
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
          <fieldset>
            <legend>{t(lang, "signup.kind")}</legend>
            <label><input type="radio" name="kind" value="partner" defaultChecked /> {t(lang, "signup.kind_partner")}</label>
            <label><input type="radio" name="kind" value="client" /> {t(lang, "signup.kind_client")}</label>
          </fieldset>
          {docs.map((d, i) => (
            <section class="document" aria-labelledby={`doc-${d.kind}`}>
              <h2 id={`doc-${d.kind}`}>{d.title}</h2>
              <div class="document-text" tabindex="0" role="region" aria-label={d.title}>
                {d.text.split("\n").map((line) => (line.startsWith("## ") ? <h3>{line.slice(3)}</h3> : line ? <p>{line}</p> : null))}
              </div>
              <label class="check">
                <input type="checkbox" name={`consent-${d.kind}`} aria-describedby={fields[`consents/${i}/accepted`] ? `consent-${i}-error` : undefined} />
                {t(lang, d.required ? "signup.agree_required" : "signup.agree_optional")} ({t(lang, "signup.version")} {d.version})
              </label>
              {fields[`consents/${i}/accepted`] && <p class="error" id={`consent-${i}-error`}>{fields[`consents/${i}/accepted`]}</p>}
            </section>
          ))}
          <label class="check">
            <input type="checkbox" name="over_14" aria-describedby={fields.over_14 ? "over_14-error" : undefined} />
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
  const field = (id, type = "text", autocomplete) => (
    <Field id={id} label={t(lang, `contact.${id}`)} error={fields[id]} type={type} autocomplete={autocomplete} />
  );
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

function Phone({ lang, go }) {
  const [sent, setSent] = useState(false);
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const send = async () => {
    const r = await api(lang, "POST", "/signup/phone/send", {});
    if (r.ok) {
      setSent(true);
      setAlert("");
    } else setAlert(problemText(lang, r));
  };
  const verify = async (e) => {
    e.preventDefault();
    const code = new FormData(e.currentTarget).get("code") || undefined;
    const r = await api(lang, "POST", "/signup/phone/verify", { code });
    if (r.ok) return go("status");
    setFields(r.fields);
    setAlert(problemText(lang, r));
  };
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "phone.title")}</h1>
      <Alert text={alert} />
      <p>{t(lang, sent ? "phone.sent" : "phone.explain")}</p>
      <button type="button" class={sent ? "secondary" : ""} onClick={send}>{t(lang, sent ? "phone.resend" : "phone.send")}</button>
      {sent && (
        <form onSubmit={verify} noValidate>
          <Field id="code" label={t(lang, "phone.code")} error={fields.code} inputmode="numeric" autocomplete="one-time-code" />
          <button type="submit">{t(lang, "phone.verify")}</button>
        </form>
      )}
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
  const built = ["contact", "phone"];
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
          {built.includes(app.next) ? (
            <button type="button" onClick={() => go(app.next)}>{t(lang, `next.${app.next}`)}</button>
          ) : (
            app.status === "applying" && <p>{t(lang, "signup.company_next")}</p>
          )}
        </>
      )}
    </main>
  );
}
