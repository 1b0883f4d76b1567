// Finding the login ID and setting a new password by the mobile number
// verified at signup (`#/recover`): the number, the code sent to it (with
// the countdown to a resend and to its expiry), then the IDs found and a
// new password for one of them.

import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api } from "./api.js";
import { Alert, Field, problemText } from "./ui.jsx";

export function Recover({ lang }) {
  const [mobile, setMobile] = useState("");
  const [sent, setSent] = useState(null);
  const [found, setFound] = useState(null);
  const [done, setDone] = useState(null);
  const [now, setNow] = useState(Date.now());
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  const failed = (r) => {
    setFields(r.fields);
    setAlert(problemText(lang, r));
  };
  const send = async (e) => {
    if (e) e.preventDefault();
    const typed = e ? new FormData(e.currentTarget).get("mobile") || undefined : mobile;
    const r = await api(lang, "POST", "/auth/recovery/send", { mobile: typed });
    if (!r.ok) return failed(r);
    setFields({});
    setAlert("");
    setMobile(typed);
    const at = Date.now();
    setSent({ expires: at + r.data.expires_in * 1000, resend: at + r.data.resend_after * 1000 });
  };
  const verify = async (e) => {
    e.preventDefault();
    const code = new FormData(e.currentTarget).get("code") || undefined;
    const r = await api(lang, "POST", "/auth/recovery/verify", { mobile, code });
    if (!r.ok) return failed(r);
    setFields({});
    setAlert("");
    setFound(r.data);
  };
  const reset = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const r = await api(lang, "POST", "/auth/recovery/password", {
      mobile,
      ticket: found.ticket,
      login_id: form.get("login_id") || found.accounts[0]?.login_id,
      password: form.get("password") || undefined,
      password_confirm: form.get("password_confirm") || undefined,
    });
    if (!r.ok) return failed(r);
    setDone(r.data.login_id);
  };
  const left = (at) => Math.max(0, Math.ceil((at - now) / 1000));
  const mmss = (n) => `${Math.floor(n / 60)}:${String(n % 60).padStart(2, "0")}`;
  const back = <p><a href="#/">{t(lang, "recover.to_login")}</a></p>;
  if (done) {
    return (
      <main id="main" class="page narrow">
        <h1>{t(lang, "recover.title")}</h1>
        <p role="status">{t(lang, "recover.done").replace("{id}", done)}</p>
        {back}
      </main>
    );
  }
  if (found) {
    const many = found.accounts.length > 1;
    return (
      <main id="main" class="page narrow">
        <h1>{t(lang, "recover.title")}</h1>
        <Alert text={alert} />
        <h2>{t(lang, "recover.found")}</h2>
        <form onSubmit={reset} noValidate>
          {many ? (
            <fieldset>
              <legend>{t(lang, "recover.choose")}</legend>
              {found.accounts.map((a, i) => (
                <label key={a.login_id}>
                  <input type="radio" name="login_id" value={a.login_id} defaultChecked={i === 0} />{" "}
                  <span data-field="found_id">{a.login_id}</span>
                  {a.company_name ? ` · ${a.company_name}` : ""}
                </label>
              ))}
              {fields.login_id && <p class="error">{fields.login_id}</p>}
            </fieldset>
          ) : (
            <p>
              <strong data-field="found_id">{found.accounts[0].login_id}</strong>
              {found.accounts[0].company_name ? ` · ${found.accounts[0].company_name}` : ""}
            </p>
          )}
          <p>{t(lang, "recover.new_password")}</p>
          <Field id="password" label={t(lang, "recover.password")} error={fields.password} type="password" autocomplete="new-password" hint={t(lang, "recover.password_hint")} />
          <Field id="password_confirm" label={t(lang, "contact.password_confirm")} error={fields.password_confirm || fields.ticket} type="password" autocomplete="new-password" />
          <button type="submit">{t(lang, "recover.reset")}</button>
        </form>
        {back}
      </main>
    );
  }
  const wait = sent ? left(sent.resend) : 0;
  const expires = sent ? left(sent.expires) : 0;
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "recover.title")}</h1>
      <Alert text={alert} />
      <p>{t(lang, sent ? "recover.sent" : "recover.explain")}</p>
      <form onSubmit={send} noValidate>
        <Field id="mobile" label={t(lang, "recover.mobile")} error={fields.mobile} inputmode="tel" autocomplete="tel" placeholder="010-1234-5678" />
        <button type="submit" class={sent ? "secondary" : ""} disabled={sent && wait > 0}>
          {t(lang, sent ? "phone.resend" : "phone.send")}
        </button>
      </form>
      {sent && wait > 0 && <p class="hint" data-field="resend_wait">{t(lang, "phone.resend_in").replace("{n}", wait)}</p>}
      {sent && expires > 0 && (
        <form onSubmit={verify} noValidate>
          <Field id="code" label={t(lang, "phone.code")} error={fields.code} inputmode="numeric" autocomplete="one-time-code" />
          <p class="hint" data-field="expires_in" aria-live="off">{t(lang, "phone.expires_in").replace("{t}", mmss(expires))}</p>
          <button type="submit">{t(lang, "phone.verify")}</button>
        </form>
      )}
      {sent && expires === 0 && <p role="status">{t(lang, "phone.expired")}</p>}
      {back}
    </main>
  );
}
