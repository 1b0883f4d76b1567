// The member pages: sign-in, the signup wizard, the member's own account
// and, once active, its sites, terminals and attendance.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t, initialLang, saveLang } from "./i18n.js";
import { api } from "./api.js";
import { Bar, SignIn, SignOut, labelTables } from "./ui.jsx";
import { Signup } from "./signup.jsx";
import { Recover } from "./recover.jsx";
import { Sites, Attendance } from "./member.jsx";
import { Profile, Requests, RequestView } from "./matching.jsx";
import { ContractPage, ContractsPage, DirectDealsPage, ProposalsPage } from "./contracts.jsx";
import { Clocks } from "./clocks.jsx";
import { Consents, PrivacyPage } from "./privacy.jsx";
import { ContactsPage, Invite } from "./people.jsx";
import { DisputePage, DisputesPage, ObjectionsPage } from "./disputes.jsx";
import { kstDateTime } from "./format.js";

/// The view named by the hash: `#/signup[/<step>]`, `#/sites`,
/// `#/recover` (find ID, reset password), `#/attendance[/<site>]`, `#/profile` (partners), `#/requests[/<id>]`
/// (clients), `#/proposals` (partners), `#/contracts[/<id>]`,
/// `#/direct-deals[?contract=<id>]`, `#/privacy` (privacy requests),
/// `#/contacts` (the administrator's contact persons), `#/disputes`,
/// `#/contracts/<id>/disputes/<dispute>`, `#/objections` (to the platform's
/// handling), `#/invite/<token>`
/// (an invited contact person chooses a login), or the account.
function route() {
  const h = location.hash;
  const m = h.match(/^#\/signup(?:\/(\w+))?$/);
  if (m) return { signup: true, step: m[1] || "terms" };
  if (h === "#/recover") return { recover: true };
  if (h === "#/sites") return { page: "sites" };
  const a = h.match(/^#\/attendance(?:\/([\w-]+))?$/);
  if (a) return { page: "attendance", site: a[1] };
  if (h === "#/profile") return { page: "profile" };
  const r = h.match(/^#\/requests(?:\/([\w-]+))?$/);
  if (r) return { page: "requests", request: r[1] };
  if (h === "#/proposals") return { page: "proposals" };
  const dsp = h.match(/^#\/contracts\/([\w-]+)\/disputes\/([\w-]+)$/);
  if (dsp) return { page: "disputes", contract: dsp[1], dispute: dsp[2] };
  if (h === "#/disputes") return { page: "disputes" };
  if (h === "#/objections") return { page: "objections" };
  const c = h.match(/^#\/contracts(?:\/([\w-]+))?$/);
  if (c) return { page: "contracts", contract: c[1] };
  if (h.startsWith("#/direct-deals")) return { page: "direct-deals" };
  if (h === "#/privacy") return { page: "privacy" };
  if (h === "#/contacts") return { page: "contacts" };
  const i = h.match(/^#\/invite\/([\w-]+)$/);
  if (i) return { invite: i[1] };
  return { page: "account" };
}

function App() {
  const [lang, setLang] = useState(initialLang());
  const [me, setMe] = useState(undefined);
  const [view, setView] = useState(route());
  useEffect(() => {
    const on = () => setView(route());
    const ended = () => setMe(null);
    addEventListener("hashchange", on);
    addEventListener("session-ended", ended);
    return () => {
      removeEventListener("hashchange", on);
      removeEventListener("session-ended", ended);
    };
  }, []);
  const go = (step) => {
    location.hash = `#/signup/${step}`;
  };
  const load = async () => {
    const r = await api(lang, "GET", "/auth/me");
    setMe(r.ok ? r.data : null);
  };
  // An applicant signing in before activation gets its application's
  // session: the application's status and next step, not a refusal.
  const signedIn = (session) => (session && session.application ? go("status") : load());
  useEffect(() => {
    saveLang(lang);
    load();
  }, []);
  const out = me ? <SignOut lang={lang} path="/auth/logout" onDone={() => setMe(null)} /> : null;
  // A partner in its trial matchings (rule S7) uses matching and contracts;
  // a terminated member reads them for a year (rule R4).
  const matching = me && (me.status === "active" || inTrial(me) || readOnly(me));
  return (
    <>
      <Bar lang={lang} setLang={setLang} brand="brand.member">{out}</Bar>
      {!view.signup && me && <Menu lang={lang} me={me} page={view.page} />}
      {view.signup ? (
        <Signup lang={lang} step={view.step} go={go} />
      ) : view.recover && !me ? (
        <Recover lang={lang} />
      ) : view.invite && !me ? (
        <Invite lang={lang} token={view.invite} />
      ) : me === undefined ? null : me === null ? (
        <>
          <SignIn lang={lang} path="/auth/login" title="login.title" onDone={signedIn} />
          <p class="page narrow links">
            <a href="#/signup">{t(lang, "signup.start")}</a>
            <a href="#/recover">{t(lang, "recover.link")}</a>
          </p>
        </>
      ) : me.status === "active" && view.page === "sites" ? (
        <Sites lang={lang} />
      ) : (me.status === "active" || readOnly(me)) && view.page === "attendance" ? (
        <Attendance lang={lang} siteId={view.site} />
      ) : matching && me.kind === "partner" && view.page === "profile" ? (
        <Profile lang={lang} />
      ) : me.status === "active" && me.kind === "client" && view.page === "requests" ? (
        view.request ? <RequestView lang={lang} id={view.request} /> : <Requests lang={lang} />
      ) : matching && me.kind === "partner" && view.page === "proposals" ? (
        <ProposalsPage lang={lang} />
      ) : matching && view.page === "direct-deals" ? (
        <DirectDealsPage lang={lang} me={me.member_id} />
      ) : matching && view.page === "privacy" ? (
        <PrivacyPage lang={lang} />
      ) : me.status === "active" && me.administrator && view.page === "contacts" ? (
        <ContactsPage lang={lang} />
      ) : matching && view.page === "disputes" ? (
        view.dispute ? <DisputePage lang={lang} contractId={view.contract} id={view.dispute} me={me.member_id} /> : <DisputesPage lang={lang} me={me.member_id} />
      ) : matching && view.page === "objections" ? (
        <ObjectionsPage lang={lang} />
      ) : matching && view.page === "contracts" ? (
        view.contract ? <ContractPage lang={lang} id={view.contract} me={me.member_id} /> : <ContractsPage lang={lang} me={me.member_id} />
      ) : (
        <Account lang={lang} me={me} />
      )}
    </>
  );
}

/// The member app's menu, on every page once signed in: the pages this
/// member may open (an active member all of its kind's; a partner in trial
/// the matching ones), the current one marked.
function Menu({ lang, me, page }) {
  const active = me.status === "active";
  const reads = active || inTrial(me) || readOnly(me);
  const items = [
    ["account", "#/", "me.title", true],
    ["sites", "#/sites", "sites.title", active],
    ["attendance", "#/attendance", "attendance.title", active || readOnly(me)],
    ["profile", "#/profile", "profile.title", reads && me.kind === "partner"],
    ["requests", "#/requests", "requests.title", active && me.kind === "client"],
    ["proposals", "#/proposals", "proposals.incoming", reads && me.kind === "partner"],
    ["contracts", "#/contracts", "contracts.title", reads],
    ["disputes", "#/disputes", "disputes.title", reads],
    ["direct-deals", "#/direct-deals", "deals.title", reads],
    ["privacy", "#/privacy", "privacy.title", reads],
    ["contacts", "#/contacts", "contacts.title", active && me.administrator],
  ].filter(([, , , shown]) => shown);
  if (items.length < 2) return null;
  return (
    <nav class="tabs" aria-label={t(lang, "nav.member")}>
      <ul>
        {items.map(([p, href, label]) => (
          <li><a href={href} aria-current={page === p ? "page" : undefined}>{t(lang, label)}</a></li>
        ))}
      </ul>
    </nav>
  );
}

/// Approved and signed in before the fee: a partner in its trial
/// matchings (waived ones cannot sign in until they pay).
function inTrial(me) {
  return me.status === "approved" && me.kind === "partner";
}

/// Terminated by the platform (rule S10): reads its data, changes nothing,
/// until `read_only_until` (rule R4; the API refuses every change).
function readOnly(me) {
  return me.status === "terminated" && Boolean(me.read_only_until);
}

/// Where a clock's record is in the member app: the contract, or the
/// partner's profile (its capability information).
function memberLink(c, me) {
  const [type, id, sub] = c.record.split("/");
  if (type === "contract") return `#/contracts/${id}`;
  if (type === "dispute") return `#/contracts/${id}/disputes/${sub}`;
  if (type === "objection") return "#/objections";
  if (type === "member" && me.kind === "partner") return "#/profile";
  if (type === "privacy-request") return "#/privacy";
  return null;
}

function Account({ lang, me }) {
  const rows = [
    ["me.company", me.company_name],
    ["me.contact", me.contact_name],
    ["me.login_id", me.login_id],
    ["me.email", me.email],
    ["me.mobile", me.mobile],
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
        <dt>{t(lang, "me.status")}</dt>
        <dd data-field="me.status">{t(lang, `status.${me.status}`)}</dd>
      </dl>
      {me.status === "active" ? null : readOnly(me) ? (
        <p role="status" data-field="read_only">{t(lang, "me.read_only").replace("{until}", kstDateTime(lang, me.read_only_until))}</p>
      ) : inTrial(me) ? (
        <section aria-label={t(lang, "me.trial")}>
          <p data-field="trial">{t(lang, "me.trial")}</p>
          <p data-field="trials_left">{t(lang, "me.trials_left").replace("{n}", me.trial_matchings_left ?? 0)}</p>
        </section>
      ) : (
        <p>{t(lang, "me.not_active")}</p>
      )}
      {(me.status === "active" || inTrial(me)) && <Clocks lang={lang} path="/member/clocks" link={(c) => memberLink(c, me)} />}
      {(me.status === "active" || inTrial(me)) && <Consents lang={lang} />}
    </main>
  );
}

render(<App />, document.getElementById("root"));
labelTables();
