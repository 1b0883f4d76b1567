// The staff dashboard: sign-in, then what the admin's role may do. The
// role is kept for the tab's life in sessionStorage (not secret: the
// session itself is an HttpOnly cookie and every call is checked).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t, initialLang, saveLang } from "./i18n.js";
import { Bar, SignIn, SignOut } from "./ui.jsx";

function Staff() {
  const [lang, setLang] = useState(initialLang());
  const [role, setRole] = useState(sessionStorage.getItem("role"));
  useEffect(() => saveLang(lang), []);
  const signedIn = (data) => {
    sessionStorage.setItem("role", data.role);
    setRole(data.role);
  };
  const signedOut = () => {
    sessionStorage.removeItem("role");
    setRole(null);
  };
  const out = role ? <SignOut lang={lang} path="/admin/logout" onDone={signedOut} /> : null;
  return (
    <>
      <Bar lang={lang} setLang={setLang} brand="brand.staff">{out}</Bar>
      {role ? (
        <main id="main" class="page">
          <h1>{t(lang, "staff.title")}</h1>
          <dl class="facts">
            <dt>{t(lang, "staff.role")}</dt>
            <dd data-field="role">{t(lang, `role.${role}`)}</dd>
          </dl>
        </main>
      ) : (
        <SignIn lang={lang} path="/admin/login" title="login.staff_title" onDone={signedIn} />
      )}
    </>
  );
}

render(<Staff />, document.getElementById("root"));
