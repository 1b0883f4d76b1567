// A member company's contact persons (`#/contacts`, rule P10), for its
// administrator: who they are, an invitation to a new one (its e-mail
// carries a link to choose a login), and removing one who left (its name,
// mobile, e-mail and password erased at once; its login ID kept retired).
// The invited person's page (`#/invite/<token>`) chooses the login.
import { t } from "./i18n.js";
import { Alert, Field, Outcome, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime } from "./format.js";
import { useState } from "preact/hooks";

export function ContactsPage({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/contacts");
  const [notice, done] = useOutcome(load);
  const add = useAction(lang, done);
  const remove = useAction(lang, done);
  const submit = async (e) => {
    e.preventDefault();
    const el = e.currentTarget;
    const form = new FormData(el);
    const made = await add.send("/member/contacts", {
      name: form.get("person-name") || undefined,
      mobile: form.get("person-mobile") || undefined,
      email: form.get("person-email") || undefined,
    }, (p, l) => t(l, "contacts.invited").replace("{email}", p.email || ""));
    if (made) el.reset();
  };
  const person = (p) => (
    <li data-person={p.person_id || "administrator"} data-state={p.state}>
      <h2>{p.name || t(lang, "contacts.erased")}{p.administrator ? ` · ${t(lang, "contacts.administrator")}` : ""}</h2>
      <dl class="facts">
        <dt>{t(lang, "contacts.state")}</dt><dd data-field="state">{t(lang, `contacts.state_${p.state}`)}</dd>
        {p.login_id && <><dt>{t(lang, "contacts.login_id")}</dt><dd>{p.login_id}</dd></>}
        {p.mobile && <><dt>{t(lang, "contacts.mobile")}</dt><dd>{p.mobile}</dd></>}
        {p.email && <><dt>{t(lang, "contacts.email")}</dt><dd>{p.email}</dd></>}
        {p.invite_expires_at && <><dt>{t(lang, "contacts.invite_until")}</dt><dd>{kstDateTime(lang, p.invite_expires_at)}</dd></>}
        {p.removed_at && <><dt>{t(lang, "contacts.removed_at")}</dt><dd>{kstDateTime(lang, p.removed_at)}</dd></>}
      </dl>
      {!p.administrator && p.state !== "removed" && (
        <button type="button" class="secondary" onClick={() => {
          if (confirm(t(lang, "contacts.remove_confirm"))) {
            remove.send(`/member/contacts/${p.person_id}`, undefined, (_, l) => t(l, "contacts.removed"), "DELETE");
          }
        }}>{t(lang, "contacts.remove")}</button>
      )}
    </li>
  );
  return (
    <main id="main" class="page">
      <h1>{t(lang, "contacts.title")}</h1>
      <p>{t(lang, "contacts.intro")}</p>
      <Alert text={alert || remove.alert} />
      <Outcome lang={lang} text={notice} />
      {data && (
        <ul class="records" data-list="contacts">
          {person(data.administrator)}
          {data.persons.map(person)}
        </ul>
      )}
      {data && data.room > 0 && (
        <form onSubmit={submit} noValidate data-form="add-person">
          <h2>{t(lang, "contacts.add")}</h2>
          <Alert text={add.alert} />
          <Field id="person-name" label={t(lang, "contacts.name")} error={add.fields.name} autocomplete="off" />
          <Field id="person-mobile" label={t(lang, "contacts.mobile")} error={add.fields.mobile} inputmode="tel" autocomplete="off" />
          <Field id="person-email" type="email" label={t(lang, "contacts.email")} error={add.fields.email} autocomplete="off" />
          <button type="submit">{t(lang, "contacts.add_submit")}</button>
        </form>
      )}
    </main>
  );
}

/// The invited person chooses its login ID and password.
export function Invite({ lang, token }) {
  const [said, setSaid] = useState(null);
  const a = useAction(lang, (text) => setSaid(() => text));
  const submit = (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    a.send("/contacts/accept", {
      token,
      login_id: form.get("invite-login") || undefined,
      password: form.get("invite-password") || undefined,
      password_confirm: form.get("invite-confirm") || undefined,
    }, (r, l) => t(l, "invite.done").replace("{login}", r.login_id));
  };
  return (
    <main id="main" class="page narrow">
      <h1>{t(lang, "invite.title")}</h1>
      <p>{t(lang, "invite.intro")}</p>
      <Outcome lang={lang} text={said} />
      {said ? <p><a href="#/">{t(lang, "invite.sign_in")}</a></p> : (
      <form onSubmit={submit} noValidate data-form="invite">
        <Alert text={a.alert} />
        <Field id="invite-login" label={t(lang, "contact.login_id")} error={a.fields.login_id} autocomplete="username" />
        <Field id="invite-password" type="password" label={t(lang, "contact.password")} error={a.fields.password} autocomplete="new-password" />
        <Field id="invite-confirm" type="password" label={t(lang, "contact.password_confirm")} error={a.fields.password_confirm} autocomplete="new-password" />
        <button type="submit">{t(lang, "invite.submit")}</button>
      </form>
      )}
    </main>
  );
}
