// Shared pieces of every page: the header with the language switch, a
// labelled field that shows its problem-document message, the sign-in form.
import { useEffect, useState } from "preact/hooks";
import { t, saveLang } from "./i18n.js";
import { api } from "./api.js";

export function Bar({ lang, setLang, brand, children }) {
  const pick = (l) => {
    saveLang(l);
    setLang(l);
  };
  // The window's title follows the page and its language: "<h1> · brand".
  useEffect(() => {
    const name = t(lang, brand);
    const namePage = () => {
      const h1 = (document.querySelector("main h1")?.textContent || "").trim();
      const title = h1 && h1 !== name ? `${h1} · ${name}` : name;
      if (document.title !== title) document.title = title;
    };
    const watch = new MutationObserver(namePage);
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
    namePage();
    return () => watch.disconnect();
  }, [lang]);
  return (
    <header class="bar">
      <p class="brand">{t(lang, brand)}</p>
      <div class="lang" role="group" aria-label={t(lang, "lang.label")}>
        <button type="button" class={lang === "ko" ? "" : "secondary"} aria-pressed={lang === "ko"} lang="ko" onClick={() => pick("ko")}>한국어</button>
        <button type="button" class={lang === "en" ? "" : "secondary"} aria-pressed={lang === "en"} lang="en" onClick={() => pick("en")}>English</button>
        {children}
      </div>
    </header>
  );
}

/// A problem's message (or the network's) above a form, announced.
export function Alert({ text }) {
  return text ? <p class="alert" role="alert">{text}</p> : null;
}

/// What to tell the person about a failed call: the problem's detail (in
/// the page's language, from the API), or that the server was unreachable.
export function problemText(lang, r) {
  // Field problems are shown at their fields; the form says to look there
  // (the document's own detail speaks to API clients).
  if (r.problem && r.problem.errors && r.problem.errors.length) return t(lang, "error.fields");
  return r.problem ? r.problem.detail : t(lang, "error.network");
}

export function Field({ id, label, error, hint, ...input }) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [hint && hintId, error && errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={hintId}>{hint}</p>}
      <input id={id} name={id} aria-invalid={error ? "true" : undefined} aria-describedby={described} {...input} />
      {error && <p class="error" id={errorId}>{error}</p>}
    </div>
  );
}

/// A multi-line field, labelled and showing its problem message.
export function Area({ id, label, error, ...input }) {
  const errorId = `${id}-error`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} name={id} rows="4" aria-invalid={error ? "true" : undefined} aria-describedby={error ? errorId : undefined} {...input} />
      {error && <p class="error" id={errorId}>{error}</p>}
    </div>
  );
}

/// A choice from a list, labelled and showing its problem message.
export function Select({ id, label, error, options, ...input }) {
  const errorId = `${id}-error`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id} aria-invalid={error ? "true" : undefined} aria-describedby={error ? errorId : undefined} {...input}>
        {options.map(([v, text]) => <option value={v}>{text}</option>)}
      </select>
      {error && <p class="error" id={errorId}>{error}</p>}
    </div>
  );
}

/// One choice out of a few, as labelled radio buttons in a fieldset:
/// `options` are `[value, label]` pairs.
export function Choice({ legend, name, options, value, onChange, error }) {
  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map(([v, label]) => (
        <label><input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} /> {label}</label>
      ))}
      {error && <p class="error" id={`${name}-error`}>{error}</p>}
    </fieldset>
  );
}

/// A number field's value for a request body: a number when it is one,
/// otherwise the text as typed, so the API's message names the field.
export function numberOrText(v) {
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/// Gives every cell of a page's tables its column's name (`data-label`),
/// now and whenever the pages change, so that at phone width each row can
/// show as a card with its cells named (assets/style.css). Compact tables
/// (a chart's figures) stay tables.
export function labelTables(root = document.body) {
  const label = () => {
    for (const table of root.querySelectorAll("table:not(.compact)")) {
      const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
      for (const tr of table.querySelectorAll("tbody tr")) {
        [...tr.children].forEach((cell, i) => {
          if (heads[i] && cell.getAttribute("data-label") !== heads[i]) cell.setAttribute("data-label", heads[i]);
        });
      }
    }
  };
  // Attribute changes are not watched: labelling never triggers itself.
  new MutationObserver(label).observe(root, { childList: true, subtree: true, characterData: true });
  label();
}

/// The sign-in form of a realm (`/auth/login` or `/admin/login`).
export function SignIn({ lang, path, title, onDone }) {
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    // An empty field is left out, so the API names it (422, its pointer).
    const r = await api(lang, "POST", path, {
      login_id: form.get("login_id") || undefined,
      password: form.get("password") || undefined,
    });
    setBusy(false);
    if (r.ok) return onDone(r.data);
    setFields(r.fields);
    setAlert(problemText(lang, r));
  };
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, title)}</h1>
      <form onSubmit={submit} noValidate>
        {alert && <p class="alert" role="alert">{alert}</p>}
        <Field id="login_id" label={t(lang, "login.id")} error={fields.login_id} autocomplete="username" required />
        <Field id="password" label={t(lang, "login.password")} error={fields.password} type="password" autocomplete="current-password" required />
        <button type="submit" disabled={busy}>{t(lang, busy ? "login.busy" : "login.submit")}</button>
      </form>
    </main>
  );
}

/// The header's sign-out button: ends the session at `path`, then `onDone`.
export function SignOut({ lang, path, onDone }) {
  const out = async () => {
    await api(lang, "POST", path);
    onDone();
  };
  return (
    <button type="button" class="secondary" onClick={out}>{t(lang, "logout")}</button>
  );
}

/// Loads `path` once per language; `[data, alert, reload]`.
export function useLoad(lang, path) {
  const [data, setData] = useState(null);
  const [alert, setAlert] = useState("");
  const load = async () => {
    const r = await api(lang, "GET", path);
    if (r.ok) {
      setData(r.data);
      setAlert("");
    } else setAlert(problemText(lang, r));
  };
  useEffect(() => {
    load();
  }, [lang, path]);
  return [data, alert, load];
}

/// A form's call: posts (or `method`s) to `path`; its problems go to `fields` and `alert`,
/// its outcome (the text `ok` makes of the reply) to `done`, which shows it
/// where it outlives the form (a decided application's form goes away).
export function useAction(lang, done) {
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const send = async (path, body, ok, method = "POST") => {
    const r = await api(lang, method, path, body);
    if (!r.ok) {
      setFields(r.fields);
      setAlert(problemText(lang, r));
      return null;
    }
    setFields({});
    setAlert("");
    // An outcome's text follows the page's language: `ok(data, lang)` is
    // kept as what writes it in a language (it must be pure); anything else
    // (a secret to show once) is handed on as it is.
    const made = ok(r.data, lang);
    done(typeof made === "string" ? (l) => ok(r.data, l) : made);
    return r.data;
  };
  return { fields, alert, send };
}

/// The outcome of the page's last action, announced.
export function Outcome({ lang, text }) {
  const said = typeof text === "function" ? text(lang) : text;
  return said ? <p class="notice" role="status" data-field="outcome">{said}</p> : null;
}

/// `[notice, done]` for a page whose actions reload it: `done(text)` shows
/// the outcome and reloads.
export function useOutcome(reload) {
  const [notice, setNotice] = useState("");
  return [notice, (text) => {
    // Stored as given (a text, or what writes it in a language), never
    // called as a state updater.
    setNotice(() => text);
    reload();
  }];
}
