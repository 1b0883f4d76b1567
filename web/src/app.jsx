// The member pages: sign-in, then the member's own account.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t, initialLang, saveLang } from "./i18n.js";
import { api } from "./api.js";
import { Bar, SignIn, SignOut } from "./ui.jsx";
import { Signup } from "./signup.jsx";

/// The view named by the hash: `#/signup`, `#/signup/<step>`, or the account.
function route() {
  const m = location.hash.match(/^#\/signup(?:\/(\w+))?$/);
  return m ? { signup: true, step: m[1] || "terms" } : { signup: false };
}

function App() {
  const [lang, setLang] = useState(initialLang());
  const [me, setMe] = useState(undefined);
  const [view, setView] = useState(route());
  useEffect(() => {
    const on = () => setView(route());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  const go = (step) => {
    location.hash = `#/signup/${step}`;
  };
  const load = async () => {
    const r = await api(lang, "GET", "/auth/me");
    setMe(r.ok ? r.data : null);
  };
  useEffect(() => {
    saveLang(lang);
    load();
  }, []);
  const out = me ? <SignOut lang={lang} path="/auth/logout" onDone={() => setMe(null)} /> : null;
  return (
    <>
      <Bar lang={lang} setLang={setLang} brand="brand.member">{out}</Bar>
      {view.signup ? (
        <Signup lang={lang} step={view.step} go={go} />
      ) : me === undefined ? null : me === null ? (
        <>
          <SignIn lang={lang} path="/auth/login" title="login.title" onDone={load} />
          <p class="page narrow"><a href="#/signup">{t(lang, "signup.start")}</a></p>
        </>
      ) : (
        <Account lang={lang} me={me} />
      )}
    </>
  );
}

function Account({ lang, me }) {
  const rows = [
    ["me.company", me.company_name],
    ["me.contact", me.contact_name],
    ["me.login_id", me.login_id],
    ["me.email", me.email],
    ["me.mobile", me.mobile],
    ["me.status", me.status],
  ];
  return (
    <main id="main" class="page">
      <h1>{t(lang, "me.title")}</h1>
      <dl class="facts">
        {rows.map(([k, v]) => (
          <>
            <dt>{t(lang, k)}</dt>
            <dd data-field={k}>{v || "—"}</dd>
          </>
        ))}
      </dl>
    </main>
  );
}

render(<App />, document.getElementById("root"));
