// The staff dashboard: sign-in, then the pages the admin's role may use
// (rule A4, least privilege; the API checks every call again). The role is
// kept for the tab's life in sessionStorage (not secret: the session itself
// is an HttpOnly cookie).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t, historyText, initialLang, saveLang } from "./i18n.js";
import { api, download } from "./api.js";
import { Alert, Bar, Choice, Field, Outcome, SignIn, SignOut, labelTables, numberOrText, problemText, useAction, useLoad, useOutcome } from "./ui.jsx";
import { Terminals, SiteDay } from "./member.jsx";
import { Clocks } from "./clocks.jsx";
import { Desk, Separated, TermsPage } from "./desk.jsx";
import { DisputeCase, Disputes, Objections } from "./mediation.jsx";
import { brn, krw, kstDateTime, size } from "./format.js";

/// Each page with the roles that may open it (as the API admits them).
const PAGES = [
  ["reviews", ["reviewer", "owner"]],
  ["held", ["reviewer", "owner"]],
  ["overdue", ["mediator", "owner"]],
  ["direct-deals", ["mediator", "owner"]],
  ["disputes", ["mediator", "owner"]],
  ["objections", ["owner"]],
  ["weights", ["reviewer", "mediator", "privacy_officer", "billing", "auditor", "owner"]],
  ["members", ["reviewer", "billing", "owner"]],
  ["dead-letters", ["owner"]],
  ["admins", ["owner"]],
  ["desk", ["privacy_officer", "owner"]],
  ["separated", ["privacy_officer"]],
  ["terms", ["privacy_officer", "owner"]],
  ["chains", ["privacy_officer", "auditor", "owner"]],
  ["reports", ["auditor", "owner"]],
];
const DECIDERS = ["reviewer", "owner"];
/// Who reads any contract's record (`GET /admin/contracts/{id}`).
const CONTRACT_STAFF = ["mediator", "owner"];
const BILLING = ["billing", "owner"];

function route() {
  const m = location.hash.match(/^#\/([\w-]+)(?:\/([\w-]+))?(?:\/([\w-]+))?$/);
  return m ? { page: m[1], id: m[2], sub: m[3] } : { page: "" };
}

function Staff() {
  const [lang, setLang] = useState(initialLang());
  // The role is kept for every tab of this browser (the session itself
  // is the HttpOnly cookie they share; the API checks it on every call): a
  // new tab opens signed in, a sign-out in one tab signs all of them out.
  const [role, setRole] = useState(localStorage.getItem("staff-role"));
  const [view, setView] = useState(route());
  const signedIn = (data) => {
    localStorage.setItem("staff-role", data.role);
    setRole(data.role);
  };
  const signedOut = () => {
    localStorage.removeItem("staff-role");
    setRole(null);
  };
  useEffect(() => {
    saveLang(lang);
    const on = () => setView(route());
    const other = (e) => {
      if (e.key === "staff-role") setRole(e.newValue);
    };
    addEventListener("hashchange", on);
    addEventListener("session-ended", signedOut);
    addEventListener("storage", other);
    return () => {
      removeEventListener("hashchange", on);
      removeEventListener("session-ended", signedOut);
      removeEventListener("storage", other);
    };
  }, []);
  const out = role ? <SignOut lang={lang} path="/admin/logout" onDone={signedOut} /> : null;
  if (!role) {
    return (
      <>
        <Bar lang={lang} setLang={setLang} brand="brand.staff" />
        <SignIn lang={lang} path="/admin/login" title="login.staff_title" onDone={signedIn} />
      </>
    );
  }
  const pages = PAGES.filter(([, roles]) => roles.includes(role)).map(([p]) => p);
  const page =
    view.page === "member" && pages.includes("members") ? "member" :
    view.page === "contract" && CONTRACT_STAFF.includes(role) ? "contract" :
    view.page === "dispute" && CONTRACT_STAFF.includes(role) ? "dispute" :
    pages.includes(view.page) ? view.page : "";
  return (
    <>
      <Bar lang={lang} setLang={setLang} brand="brand.staff">{out}</Bar>
      <nav class="tabs" aria-label={t(lang, "nav.staff")}>
        <ul>
          <li><a href="#/" aria-current={page === "" ? "page" : undefined}>{t(lang, "staff.title")}</a></li>
          {pages.map((p) => <li><a href={`#/${p}`} aria-current={page === p ? "page" : undefined}>{t(lang, `staff.${p}`)}</a></li>)}
        </ul>
      </nav>
      {page === "reviews" ? <Reviews lang={lang} /> :
        page === "held" ? <Held lang={lang} /> :
        page === "overdue" ? <Overdue lang={lang} /> :
        page === "direct-deals" ? <DirectDeals lang={lang} /> :
        page === "weights" ? <Weights lang={lang} role={role} /> :
        page === "members" ? <Members lang={lang} /> :
        page === "member" ? <Member lang={lang} role={role} id={view.id} /> :
        page === "contract" ? <StaffContract lang={lang} id={view.id} /> :
        page === "disputes" ? <Disputes lang={lang} /> :
        page === "dispute" ? <DisputeCase lang={lang} role={role} contractId={view.id} id={view.sub} /> :
        page === "objections" ? <Objections lang={lang} /> :
        page === "dead-letters" ? <DeadLetters lang={lang} /> :
        page === "admins" ? <Admins lang={lang} /> :
        page === "desk" ? <Desk lang={lang} /> :
        page === "separated" ? <Separated lang={lang} id={view.id} /> :
        page === "terms" ? <TermsPage lang={lang} /> :
        page === "chains" ? <Chains lang={lang} /> :
        page === "reports" ? <Reports lang={lang} /> : (
        <main id="main" class="page">
          <h1>{t(lang, "staff.title")}</h1>
          <dl class="facts">
            <dt>{t(lang, "staff.role")}</dt>
            <dd data-field="role">{t(lang, `role.${role}`)}</dd>
          </dl>
          {pages.length === 0 && <p>{t(lang, "staff.no_pages")}</p>}
          <Clocks lang={lang} path="/admin/clocks" staff link={(c) => staffLink(c, pages, role)} />
        </main>
      )}
    </>
  );
}

/// The monthly access-log reviews and quarterly self-audits (rule A9),
/// newest period first: counts, and who did what when it needs a look.
function Reports({ lang }) {
  const [data, alert] = useLoad(lang, "/admin/reports");
  const list = (items, text) => (items && items.length ? <ul>{items.map((x) => <li>{text(x)}</li>)}</ul> : <p>{t(lang, "reports.none")}</p>);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.reports")}</h1>
      <Alert text={alert} />
      {data && data.reports.length === 0 && <p>{t(lang, "reports.empty")}</p>}
      {data && data.reports.map((r) => (
        <section aria-labelledby={`report-${r.id}`} data-report={r.id}>
          <h2 id={`report-${r.id}`}>{t(lang, `reports.${r.kind}`)} {r.period}</h2>
          <dl class="facts">
            <dt>{t(lang, "reports.entries")}</dt><dd>{r.body.access_entries}</dd>
            <dt>{t(lang, "reports.downloads")}</dt><dd>{r.body.downloads}</dd>
            {r.kind === "audit" && (<><dt>{t(lang, "reports.runs")}</dt><dd>{r.body.retention_runs}</dd></>)}
          </dl>
          <h3>{t(lang, "reports.unreasoned")}</h3>
          {list(r.body.downloads_without_reason, (d) => `${kstDateTime(lang, d.at)} · ${d.admin_id} · ${d.what} · ${d.subject}`)}
          <h3>{t(lang, "reports.bulk")}</h3>
          {list(r.body.bulk_reads, (b) => `${b.day} · ${b.admin_id} · ${b.subjects}`)}
          <h3>{t(lang, "reports.night")}</h3>
          {list(r.body.night_reads, (n) => `${n.admin_id} · ${n.entries}`)}
          <h3>{t(lang, "reports.admins")}</h3>
          {list(r.body.admins_created, (a) => `${kstDateTime(lang, a.at)} · ${a.admin_id} (${t(lang, `role.${a.role}`)}) · ${a.by}`)}
          {r.kind === "audit" && (
            <>
              <h3>{t(lang, "reports.destroyed")}</h3>
              {list(r.body.destroyed, (d) => `${d.class} · ${d.what} · ${d.rows}`)}
              <h3>{t(lang, "reports.overdue")}</h3>
              {list(r.body.overdue_requests, (o) => `${o.request_id} · ${t(lang, `privacy_kind.${o.kind}`)} · ${o.due_day} · ${o.state}`)}
            </>
          )}
        </section>
      ))}
    </main>
  );
}

/// The logs' hash chains (rule A3), verified page by page from the oldest
/// entry kept: where one breaks, if it does.
function Chains({ lang }) {
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.chains")}</h1>
      <p>{t(lang, "chains.intro")}</p>
      {["access_log", "audit_log"].map((c) => <ChainCheck lang={lang} chain={c} />)}
    </main>
  );
}

function ChainCheck({ lang, chain }) {
  const [state, setState] = useState(null);
  const [alert, setAlert] = useState("");
  const check = async () => {
    setState({ running: true, checked: 0 });
    setAlert("");
    let after = 0;
    let checked = 0;
    let unsealed = 0;
    let anchored = false;
    for (;;) {
      const r = await api(lang, "GET", `/admin/chains/${chain}?after=${after}`);
      if (!r.ok) {
        setState(null);
        setAlert(problemText(lang, r));
        return;
      }
      if (after === 0) anchored = r.data.anchored;
      checked += r.data.checked;
      unsealed += r.data.unsealed;
      if (r.data.broken_at != null || r.data.next_after == null) {
        setState({ checked, unsealed, anchored, broken_at: r.data.broken_at });
        return;
      }
      after = r.data.next_after;
      setState({ running: true, checked });
    }
  };
  const result = state && !state.running && (state.broken_at != null
    ? t(lang, "chains.broken").replace("{seq}", state.broken_at).replace("{n}", state.checked)
    : t(lang, "chains.whole").replace("{n}", state.checked).replace("{unsealed}", state.unsealed));
  return (
    <section aria-labelledby={`chain-${chain}`} data-chain={chain}>
      <h2 id={`chain-${chain}`}>{t(lang, `chains.${chain}`)}</h2>
      <Alert text={alert} />
      {state && state.running && <p role="status">{t(lang, "chains.running").replace("{n}", state.checked)}</p>}
      {result && <p role="status" data-field="result" data-broken={state.broken_at != null ? "true" : "false"}>{result}{state.anchored ? ` ${t(lang, "chains.anchored")}` : ""}</p>}
      <button type="button" onClick={check} disabled={state && state.running}>{t(lang, "chains.verify")}</button>
    </section>
  );
}

/// Where a clock's record is in the staff app, if the role may open it:
/// a member's page, or a contract's record.
function staffLink(c, pages, role) {
  const [type, id, sub] = c.record.split("/");
  if (type === "member" && pages.includes("members")) return `#/member/${id}`;
  if (type === "contract" && CONTRACT_STAFF.includes(role)) return `#/contract/${id}`;
  if (type === "dispute" && CONTRACT_STAFF.includes(role)) return `#/dispute/${id}/${sub}`;
  if (type === "objection" && pages.includes("objections")) return "#/objections";
  return null;
}

/// A contract's record for staff (mediators, owners): its state and
/// deadlines, the requests between the parties, its history. The API
/// leaves out the parties' addresses and held messages, and logs the read.
function StaffContract({ lang, id }) {
  const [data, alert] = useLoad(lang, `/admin/contracts/${id}`);
  const who = (m) => (m === data.client_id ? t(lang, "contract.the_client") : t(lang, "contract.the_partner"));
  return (
    <main id="main" class="page">
      <h1>{(data && (data.versions.find((v) => v.number === data.current_version) || {}).title) || t(lang, "contracts.title")}</h1>
      <Alert text={alert} />
      {data && (
        <>
          <dl class="facts">
            <dt>{t(lang, "request.state")}</dt>
            <dd data-field="contract-state">{t(lang, `contract_state.${data.state}`)}</dd>
            <dt>{t(lang, "contract.the_client")}</dt>
            <dd data-field="client">{data.client_company || "—"}</dd>
            <dt>{t(lang, "contract.the_partner")}</dt>
            <dd data-field="partner">{data.partner_company || "—"}</dd>
            {data.inspection_until && (<><dt>{t(lang, "contract.inspection_until")}</dt><dd>{kstDateTime(lang, data.inspection_until)}</dd></>)}
          </dl>
          <h2>{t(lang, "contract.requests")}</h2>
          <div class="scroll">
            <table data-table="contract-requests">
              <caption class="visually-hidden">{t(lang, "contract.requests")}</caption>
              <thead><tr><th scope="col">{t(lang, "overdue.kind")}</th><th scope="col">{t(lang, "overdue.from")}</th><th scope="col">{t(lang, "overdue.to")}</th><th scope="col">{t(lang, "request.state")}</th><th scope="col">{t(lang, "overdue.answer_by")}</th><th scope="col">{t(lang, "overdue.flagged")}</th></tr></thead>
              <tbody>
                {data.requests.map((q) => (
                  <tr data-request={q.request_id} data-state={q.state}>
                    <th scope="row">{t(lang, `ask_kind.${q.kind}`)}</th>
                    <td>{who(q.from_id)}</td>
                    <td>{who(q.to_id)}</td>
                    <td>{t(lang, `ask_state.${q.state}`)}</td>
                    <td>{kstDateTime(lang, q.answer_by)}</td>
                    <td>{q.flagged_at ? kstDateTime(lang, q.flagged_at) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t(lang, "contract.history")}</h2>
          <ol class="history">
            {data.history.map((h) => <li>{kstDateTime(lang, h.at)} · {h.actor === "system" ? t(lang, "history.system") : who(h.actor)} · {historyText(lang, h.action)}</li>)}
          </ol>
        </>
      )}
    </main>
  );
}

function Reviews({ lang }) {
  const [data, alert] = useLoad(lang, "/admin/reviews");
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.reviews")}</h1>
      <Alert text={alert} />
      {data && (data.items.length === 0 ? <p>{t(lang, "reviews.empty")}</p> : (
        <div class="scroll">
          <table data-table="reviews">
            <caption class="visually-hidden">{t(lang, "staff.reviews")}</caption>
            <thead><tr><th scope="col">{t(lang, "members.company")}</th><th scope="col">{t(lang, "members.kind")}</th><th scope="col">{t(lang, "members.status")}</th><th scope="col">{t(lang, "reviews.submitted")}</th><th scope="col">{t(lang, "reviews.flags")}</th></tr></thead>
            <tbody>
              {data.items.map((m) => (
                <tr data-member={m.member_id}>
                  <th scope="row"><a href={`#/member/${m.member_id}`}>{m.company_name || m.member_id}</a></th>
                  <td>{t(lang, `signup.kind_${m.kind}`)}</td>
                  <td>{t(lang, `status.${m.status}`)}</td>
                  <td>{kstDateTime(lang, m.submitted_at)}</td>
                  <td>{m.flags && m.flags.length ? m.flags.join(", ") : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </main>
  );
}

/// Requests between contract parties unanswered for 7 KST days, as the
/// sweep flagged them (C7).
function Overdue({ lang }) {
  const [data, alert] = useLoad(lang, "/admin/contract-requests");
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.overdue")}</h1>
      <Alert text={alert} />
      {data && (data.requests.length === 0 ? <p>{t(lang, "overdue.empty")}</p> : (
        <div class="scroll">
          <table data-table="overdue">
            <caption class="visually-hidden">{t(lang, "staff.overdue")}</caption>
            <thead><tr><th scope="col">{t(lang, "overdue.contract")}</th><th scope="col">{t(lang, "overdue.kind")}</th><th scope="col">{t(lang, "overdue.from")}</th><th scope="col">{t(lang, "overdue.to")}</th><th scope="col">{t(lang, "overdue.answer_by")}</th><th scope="col">{t(lang, "overdue.flagged")}</th></tr></thead>
            <tbody>
              {data.requests.map((q) => (
                <tr data-request={q.request_id}>
                  <th scope="row"><a href={`#/contract/${q.contract_id}`}>{t(lang, "overdue.open")}</a></th>
                  <td>{t(lang, `ask_kind.${q.kind}`)}</td>
                  <td>{q.from_company || q.from_id}</td>
                  <td>{q.to_company || q.to_id}</td>
                  <td>{kstDateTime(lang, q.answer_by)}</td>
                  <td>{kstDateTime(lang, q.flagged_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </main>
  );
}

/// Reports of deals made off the platform (C8): staff confirm one with a
/// reason (the partner owes 200% of the matching's success fee, on the
/// amount stated or else the contract's terms in force) or dismiss it.
function DirectDeals({ lang }) {
  const [data, alert, load] = useLoad(lang, "/admin/direct-deals");
  const [notice, done] = useOutcome(load);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.direct-deals")}</h1>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      {data && (data.reports.length === 0 ? <p>{t(lang, "deals.empty")}</p> : data.reports.map((r) => (
        <DirectDeal lang={lang} report={r} done={done} />
      )))}
    </main>
  );
}

function DirectDeal({ lang, report: r, done }) {
  const a = useAction(lang, done);
  const [reason, setReason] = useState("");
  const [amount, setAmount] = useState("");
  const id = `deal-${r.report_id}`;
  const decide = (decision) =>
    a.send(`/admin/direct-deals/${r.report_id}`, { decision, reason: reason || undefined, deal_amount_krw: amount ? numberOrText(amount) : undefined },
      (d, lang) => d.state === "confirmed" ? `${t(lang, "deals.confirmed")} ${krw(lang, d.charge_krw)}` : t(lang, "deals.dismissed"));
  return (
    <section class="held" aria-labelledby={id} data-report={r.report_id} data-state={r.state}>
      <h2 id={id}>{r.partner_company || r.partner_id} ← {r.client_company || r.client_id}</h2>
      <dl class="facts">
        <dt>{t(lang, "overdue.contract")}</dt><dd><a href={`#/contract/${r.contract_id}`}>{t(lang, "overdue.open")}</a></dd>
        <dt>{t(lang, "deals.description")}</dt><dd>{r.description}</dd>
        <dt>{t(lang, "proposal.fee")}</dt><dd>{r.success_fee_bp == null ? "—" : `${(r.success_fee_bp / 100).toFixed(1)}%`}</dd>
        <dt>{t(lang, "deals.terms_amount")}</dt><dd>{r.terms_amount_krw == null ? "—" : krw(lang, r.terms_amount_krw)}</dd>
        <dt>{t(lang, "deals.reported")}</dt><dd>{kstDateTime(lang, r.created_at)}</dd>
        {r.state !== "reported" && (
          <>
            <dt>{t(lang, "request.state")}</dt><dd data-field="deal-state">{t(lang, `deal_state.${r.state}`)}</dd>
            <dt>{t(lang, "held.reason")}</dt><dd>{r.reason}</dd>
            {r.charge_krw != null && (<><dt>{t(lang, "deals.charge")}</dt><dd data-field="charge">{krw(lang, r.charge_krw)}</dd></>)}
          </>
        )}
      </dl>
      {r.state === "reported" && (
        <div class="actions">
          <Alert text={a.alert} />
          <Field id={`${id}-amount`} label={t(lang, "deals.amount")} error={a.fields.deal_amount_krw} inputmode="numeric" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
          <Field id={`${id}-reason`} label={t(lang, "held.reason")} error={a.fields.reason} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="button" onClick={() => decide("confirm")}>{t(lang, "deals.confirm")}</button>{" "}
          <button type="button" class="secondary" onClick={() => decide("dismiss")}>{t(lang, "deals.dismiss")}</button>
        </div>
      )}
    </section>
  );
}

/// The matching score's weights (M1): every role sees them, an owner
/// changes them (every partner's ranking is re-scored at once).
function Weights({ lang, role }) {
  const [data, alert, load] = useLoad(lang, "/admin/match-weights");
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const owner = role === "owner";
  const save = (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const weights = {};
    for (const w of data.weights) weights[w.factor] = numberOrText(String(form.get(`w-${w.factor}`) || ""));
    a.send("/admin/match-weights", { weights }, (_, lang) => t(lang, "weights.saved"), "PUT");
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.weights")}</h1>
      <Alert text={alert || a.alert} />
      <Outcome lang={lang} text={notice} />
      <p class="hint">{t(lang, "weights.hint")}</p>
      {data && (
        <form onSubmit={save} noValidate>
          {data.weights.map((w) => (
            <Field id={`w-${w.factor}`} label={t(lang, `factor.${w.factor}`)} error={a.fields[`weights/${w.factor}`]} inputmode="numeric" value={String(w.weight)} readOnly={!owner} />
          ))}
          {owner && <button type="submit">{t(lang, "weights.save")}</button>}
        </form>
      )}
    </main>
  );
}

/// Content held for contact details or off-platform proposals (C11): the
/// text, what was found, and a release or reject with a reason.
function Held({ lang }) {
  const [data, alert, load] = useLoad(lang, "/admin/held");
  const [notice, done] = useOutcome(load);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.held")}</h1>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      {data && (data.items.length === 0 ? <p>{t(lang, "held.empty")}</p> : data.items.map((h) => (
        <HeldItem lang={lang} item={h} done={done} />
      )))}
    </main>
  );
}

function HeldItem({ lang, item, done }) {
  const a = useAction(lang, done);
  const [reason, setReason] = useState("");
  const decide = (decision) =>
    a.send(`/admin/held/${item.held_id}`, { decision, reason: reason || undefined }, (_, lang) => t(lang, decision === "release" ? "held.released" : "held.rejected"));
  const kinds = [...new Set(item.findings.map((f) => f.kind))];
  const id = `held-${item.held_id}`;
  return (
    <section class="held" aria-labelledby={id} data-held={item.held_id}>
      <h2 id={id}>{t(lang, `held_kind.${item.kind}`)} — {item.company_name || item.member_id}</h2>
      <dl class="facts">
        <dt>{t(lang, "held.found")}</dt>
        <dd data-field="found">{kinds.map((k) => t(lang, `found.${k}`)).join(", ") || "—"}</dd>
        <dt>{t(lang, "reviews.submitted")}</dt>
        <dd>{kstDateTime(lang, item.created_at)}</dd>
      </dl>
      <p class="scope" data-field="text">{item.text || "—"}</p>
      <form onSubmit={(e) => e.preventDefault()} noValidate>
        <Alert text={a.alert} />
        <Field id={`${id}-reason`} label={t(lang, "held.reason")} error={a.fields.reason} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        <button type="button" onClick={() => decide("release")}>{t(lang, "held.release")}</button>{" "}
        <button type="button" class="secondary" onClick={() => decide("reject")}>{t(lang, "held.reject")}</button>
      </form>
    </section>
  );
}

const STATUSES = ["applying", "submitted", "on_hold", "rejected", "approved", "active", "terminated", "withdrawn"];

function Members({ lang }) {
  const [status, setStatus] = useState("");
  const [data, alert] = useLoad(lang, `/admin/members${status ? `?status=${status}` : ""}`);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.members")}</h1>
      <div class="field inline-field">
        <label for="status-filter">{t(lang, "members.status")}</label>
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t(lang, "members.all")}</option>
          {STATUSES.map((s) => <option value={s}>{t(lang, `status.${s}`)}</option>)}
        </select>
      </div>
      <Alert text={alert} />
      {data && (data.items.length === 0 ? <p>{t(lang, "members.empty")}</p> : (
        <div class="scroll">
          <table data-table="members">
            <caption class="visually-hidden">{t(lang, "staff.members")}</caption>
            <thead><tr><th scope="col">{t(lang, "members.company")}</th><th scope="col">{t(lang, "members.kind")}</th><th scope="col">{t(lang, "members.status")}</th><th scope="col">{t(lang, "members.devices")}</th><th scope="col">{t(lang, "members.since")}</th></tr></thead>
            <tbody>
              {data.items.map((m) => (
                <tr data-member={m.member_id}>
                  <th scope="row"><a href={`#/member/${m.member_id}`}>{m.company_name || m.member_id}</a>{m.business_number ? ` · ${m.business_number}` : ""}</th>
                  <td>{t(lang, `signup.kind_${m.kind}`)}</td>
                  <td data-field="status">{t(lang, `status.${m.status}`)}</td>
                  <td data-field="devices">{m.devices} / {m.device_limit}{m.suspended ? ` · ${t(lang, "members.suspended")}` : ""}</td>
                  <td>{kstDateTime(lang, m.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </main>
  );
}

/// One member for staff: its record (the read is logged), documents, and
/// what the role may do: decide, activate, set devices, see its sites.
function Member({ lang, role, id }) {
  const [m, alert, reload] = useLoad(lang, `/admin/members/${id}`);
  const [notice, done] = useOutcome(reload);
  return (
    <main id="main" class="page">
      <h1>{(m && m.company_name) || t(lang, "member.title")}</h1>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      {m && (
        <>
          <dl class="facts">
            <dt>{t(lang, "members.status")}</dt><dd data-field="status">{t(lang, `status.${m.status}`)}</dd>
            <dt>{t(lang, "members.kind")}</dt><dd>{t(lang, `signup.kind_${m.kind}`)}</dd>
            <dt>{t(lang, "company.business_number")}</dt><dd>{brn(m.business_number)}</dd>
            <dt>{t(lang, "company.representative_name")}</dt><dd>{m.representative_name || "—"}</dd>
            <dt>{t(lang, "company.address")}</dt><dd>{m.address || "—"}</dd>
            <dt>{t(lang, "me.contact")}</dt><dd>{m.contact_name || "—"}</dd>
            <dt>{t(lang, "me.email")}</dt><dd>{m.email || "—"}</dd>
            <dt>{t(lang, "me.mobile")}</dt><dd>{m.mobile || "—"} {m.phone_verified ? `(${t(lang, "member.verified")})` : ""}</dd>
            <dt>{t(lang, "member.categories")}</dt><dd data-field="categories">{Array.isArray(m.categories) ? m.categories.map((c) => t(lang, `category.${c}`)).join(", ") : "—"}</dd>
            <CompanyFacts lang={lang} company={m.company} />
            {m.decision && (<><dt>{t(lang, "member.decision")}</dt><dd>{t(lang, `decision.${m.decision}`)} — {m.decision_reason}</dd></>)}
            {m.flags.length > 0 && (<><dt>{t(lang, "reviews.flags")}</dt><dd>{m.flags.map((f) => `${f.reason} (${f.other_member_id})`).join(", ")}</dd></>)}
            {m.termination && (<><dt>{t(lang, "terminate.cause")}</dt><dd data-field="termination">{t(lang, `termination.${m.termination.cause}`)} — {m.termination.reason || "—"} ({t(lang, "terminate.until")} {kstDateTime(lang, m.termination.read_only_until)})</dd></>)}
          </dl>
          <Changes lang={lang} changes={m.changes} />
          <Documents lang={lang} member={m} />
          {DECIDERS.includes(role) && ["submitted", "on_hold"].includes(m.status) && <Decide lang={lang} id={id} done={done} />}
          {BILLING.includes(role) && m.status === "approved" && <Activate lang={lang} m={m} done={done} />}
          {BILLING.includes(role) && <Devices lang={lang} m={m} done={done} />}
          {BILLING.includes(role) && <MemberSites lang={lang} id={id} />}
          {DECIDERS.includes(role) && ["active", "approved"].includes(m.status) && <Terminate lang={lang} id={id} done={done} />}
        </>
      )}
    </main>
  );
}

/// The rest of the company's record from step 3 (업태, 종목, revenue,
/// employees, founding year, homepage), for the review.
function CompanyFacts({ lang, company }) {
  const c = company || {};
  const rows = [
    ["business_type", c.business_type],
    ["business_item", c.business_item],
    ["revenue_krw", c.revenue_krw == null ? null : krw(lang, c.revenue_krw)],
    ["employees", c.employees == null ? null : `${c.employees.toLocaleString(lang === "ko" ? "ko-KR" : "en-US")}${lang === "ko" ? "명" : ""}`],
    ["founded_year", c.founded_year],
    ["homepage", c.homepage],
  ];
  return rows.map(([k, v]) => (
    <>
      <dt>{t(lang, `company.${k}`)}</dt>
      <dd data-field={k}>{v == null || v === "" ? "—" : v}</dd>
    </>
  ));
}

/// What the applicant changed while the application was on hold (names of
/// fields and documents; the values are in the record above).
function Changes({ lang, changes }) {
  if (!changes || !changes.length) return null;
  const name = (step, f) => t(lang, step === "documents" ? `doc.${f}` : f === "categories" ? "member.categories" : `company.${f}`);
  return (
    <section aria-labelledby="changes">
      <h2 id="changes">{t(lang, "member.changes")}</h2>
      <ul data-field="changes">
        {changes.map((c) => (
          <li>{kstDateTime(lang, c.at)} · {t(lang, `steps.${c.step}`)}: {c.fields.map((f) => name(c.step, f)).join(", ")}</li>
        ))}
      </ul>
    </section>
  );
}

function Documents({ lang, member }) {
  const [alert, setAlert] = useState("");
  if (!member.documents.length) return <p>{t(lang, "member.no_documents")}</p>;
  const get = async (d) => {
    const ext = d.content_type.split("/")[1] || "bin";
    const ok = await download(lang, `/admin/members/${member.member_id}/documents/${d.document_id}`, `${d.kind}-${d.document_id}.${ext}`);
    setAlert(ok ? "" : t(lang, "error.network"));
  };
  return (
    <section aria-labelledby="docs">
      <h2 id="docs">{t(lang, "member.documents")}</h2>
      <Alert text={alert} />
      <ul class="stored">
        {member.documents.map((d) => (
          <li data-document={d.document_id}>
            {t(lang, `doc.${d.kind}`)} · {d.content_type} · {size(d.size_bytes)} · {kstDateTime(lang, d.created_at)}{" "}
            <button type="button" class="secondary" onClick={() => get(d)}>{t(lang, "member.download")}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Decide({ lang, id, done }) {
  const a = useAction(lang, done);
  // No decision is preselected: the reviewer picks one (the API names a
  // missing one at its field).
  const [decision, setDecision] = useState(undefined);
  const submit = (e) => {
    e.preventDefault();
    const reason = new FormData(e.currentTarget).get("reason") || undefined;
    a.send("/admin/reviews", { member_id: id, decision, reason }, (d, lang) => `${t(lang, `decision.${d.decision}`)}: ${t(lang, `status.${d.status}`)}`);
  };
  return (
    <section aria-labelledby="decide">
      <h2 id="decide">{t(lang, "decide.title")}</h2>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        <Choice legend={t(lang, "member.decision")} name="decision" value={decision} onChange={setDecision} error={a.fields.decision}
          options={["approve", "hold", "reject"].map((d) => [d, t(lang, `decision.${d}`)])} />
        <div class="field">
          <label for="reason">{t(lang, "decide.reason")}</label>
          <textarea id="reason" name="reason" rows="3" aria-invalid={a.fields.reason ? "true" : undefined} aria-describedby={a.fields.reason ? "reason-error" : undefined} />
          {a.fields.reason && <p class="error" id="reason-error">{a.fields.reason}</p>}
        </div>
        <button type="submit">{t(lang, "decide.submit")}</button>
      </form>
    </section>
  );
}

/// The causes of seed 000 §7 (and seed 003 §19⑤, §20) a membership is
/// ended for (rule S10).
const CAUSES = ["false_information", "crime", "public_harm", "stolen_account", "defamation", "duplicate_registration", "service_harm", "terms_violation", "unpaid_fees", "insolvency"];

/// Ends the membership for a cause, with a reason the member is shown
/// (rule S10); it then reads its data for a year (rule R4).
function Terminate({ lang, id, done }) {
  const a = useAction(lang, done);
  const [cause, setCause] = useState(undefined);
  const submit = (e) => {
    e.preventDefault();
    const reason = new FormData(e.currentTarget).get("termination_reason") || undefined;
    a.send(`/admin/members/${id}/terminate`, { cause, reason }, (d, lang) => `${t(lang, `status.${d.status}`)} · ${t(lang, "terminate.until")} ${kstDateTime(lang, d.read_only_until)}`);
  };
  return (
    <section aria-labelledby="terminate">
      <h2 id="terminate">{t(lang, "terminate.title")}</h2>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        <Choice legend={t(lang, "terminate.cause")} name="cause" value={cause} onChange={setCause} error={a.fields.cause}
          options={CAUSES.map((c) => [c, t(lang, `termination.${c}`)])} />
        <Field id="termination_reason" label={t(lang, "terminate.reason")} error={a.fields.reason} autocomplete="off" />
        <button type="submit">{t(lang, "terminate.submit")}</button>
      </form>
    </section>
  );
}

/// What activation may record for member `m` now (rule S7): trial
/// matchings and a waiver while a partner's trials are not done, the fee's
/// payment once they are (or were waived). Nothing is preselected.
function activations(m) {
  const trialsOpen = m.kind === "partner" && !m.trials_waived && m.trial_matchings < m.trial_matchings_required;
  const clientOpen = m.kind !== "partner" && !m.trials_waived;
  return [
    ["trial", trialsOpen],
    ["waive", trialsOpen || clientOpen],
    ["payment", !trialsOpen && !clientOpen],
  ].filter(([, ok]) => ok).map(([x]) => x);
}

function Activate({ lang, m, done }) {
  const id = m.member_id;
  const a = useAction(lang, done);
  const [action, setAction] = useState(undefined);
  const allowed = activations(m);
  const submit = (e) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = { member_id: id, action };
    const amount = (f.get("amount_krw") || "").trim();
    if (action !== "waive") body.reference = f.get("reference") || undefined;
    if (action === "payment" && amount) body.amount_krw = numberOrText(amount);
    a.send("/admin/activation", body, (s, lang) => `${t(lang, `status.${s.status}`)} · ${t(lang, "activate.trials")} ${s.trials}${s.trials_waived ? ` · ${t(lang, "activate.waived")}` : ""}`);
  };
  return (
    <section aria-labelledby="activate">
      <h2 id="activate">{t(lang, "activate.title")}</h2>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        <p class="hint" data-field="trials">{t(lang, "activate.trials")} {m.trial_matchings} / {m.trial_matchings_required}{m.trials_waived ? ` · ${t(lang, "activate.waived")}` : ""}</p>
        <Choice legend={t(lang, "activate.action")} name="action" value={action} onChange={setAction} error={a.fields.action}
          options={allowed.map((x) => [x, t(lang, `activate.${x}`)])} />
        {action && action !== "waive" && <Field id="reference" label={t(lang, action === "trial" ? "activate.matching" : "activate.reference")} error={a.fields.reference} autocomplete="off" />}
        {action === "payment" && <Field id="amount_krw" label={t(lang, "activate.amount")} error={a.fields.amount_krw} inputmode="numeric" autocomplete="off" />}
        <button type="submit">{t(lang, "activate.submit")}</button>
      </form>
    </section>
  );
}

function Devices({ lang, m, done }) {
  const a = useAction(lang, done);
  const submit = (e) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const limit = (f.get("device_limit") || "").trim();
    const body = { member_id: m.member_id };
    if (limit) body.device_limit = numberOrText(limit);
    const suspend = f.get("suspended") === "on";
    if (suspend !== m.suspended) {
      body.suspended = suspend;
      body.reason = f.get("suspension_reason") || undefined;
    }
    a.send("/admin/member-devices", body, (p, lang) => `${t(lang, "members.devices")}: ${p.device_limit}${p.suspended ? ` · ${t(lang, "members.suspended")}` : ""}`);
  };
  return (
    <section aria-labelledby="devices">
      <h2 id="devices">{t(lang, "devices.title")}</h2>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        <Field id="device_limit" label={t(lang, "devices.limit")} error={a.fields.device_limit} inputmode="numeric" defaultValue={String(m.device_limit)} autocomplete="off" />
        <label class="check"><input type="checkbox" name="suspended" defaultChecked={m.suspended} /> {t(lang, "devices.suspend")}</label>
        <Field id="suspension_reason" label={t(lang, "devices.reason")} error={a.fields.reason} autocomplete="off" />
        <button type="submit">{t(lang, "devices.submit")}</button>
      </form>
    </section>
  );
}

function MemberSites({ lang, id }) {
  const [data, alert] = useLoad(lang, `/admin/members/${id}/sites`);
  return (
    <section aria-labelledby="member-sites">
      <h2 id="member-sites">{t(lang, "sites.title")}</h2>
      <Alert text={alert} />
      {data && (data.sites.length === 0 ? <p>{t(lang, "attendance.no_sites")}</p> : (
        <>
          {data.sites.map((s) => (
            <div class="site" data-site={s.site_id}>
              <h3>{s.name}</h3>
              <Terminals lang={lang} terminals={s.terminals} />
            </div>
          ))}
          <h3>{t(lang, "attendance.title")}</h3>
          <SiteDay lang={lang} sites={data.sites} siteId={data.sites[0].site_id} path="/admin/attendance" />
        </>
      ))}
    </section>
  );
}

function DeadLetters({ lang }) {
  const [data, alert, reload] = useLoad(lang, "/admin/dead-letters");
  const [notice, done] = useOutcome(reload);
  const a = useAction(lang, done);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.dead-letters")}</h1>
      <Alert text={alert || a.alert} />
      <Outcome lang={lang} text={notice} />
      {data && (data.items.length === 0 ? <p>{t(lang, "dead.empty")}</p> : (
        <div class="scroll">
          <table data-table="dead-letters">
            <caption class="visually-hidden">{t(lang, "staff.dead-letters")}</caption>
            <thead><tr><th scope="col">{t(lang, "dead.queue")}</th><th scope="col">{t(lang, "dead.type")}</th><th scope="col">{t(lang, "dead.received")}</th><th scope="col">{t(lang, "attendance.records")}</th><th scope="col">{t(lang, "terminal.actions")}</th></tr></thead>
            <tbody>
              {data.items.map((d) => (
                <tr data-dead-letter={d.id}>
                  <th scope="row">{d.queue}</th>
                  <td>{d.type || "—"}</td>
                  <td>{kstDateTime(lang, d.received_at)}</td>
                  <td>{d.records ?? "—"}</td>
                  <td>{d.replayed_at ? `${t(lang, "dead.replayed")} ${kstDateTime(lang, d.replayed_at)}` : (
                    <button type="button" class="secondary" onClick={() => a.send("/admin/dead-letters/replay", { id: d.id }, (_, lang) => t(lang, "dead.sent"))}>{t(lang, "dead.replay")}</button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </main>
  );
}

const ROLES = ["reviewer", "mediator", "privacy_officer", "billing", "auditor", "owner"];

function Admins({ lang }) {
  const [data, alert, reload] = useLoad(lang, "/admin/admins");
  const [notice, done] = useOutcome(reload);
  const a = useAction(lang, done);
  const [role, setRole] = useState("reviewer");
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const done = await a.send("/admin/admins", { login_id: f.get("login_id") || undefined, password: f.get("password") || undefined, role }, (c, lang) => `${t(lang, "admins.created")}: ${t(lang, `role.${c.role}`)}`);
    if (done) form.reset();
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.admins")}</h1>
      <Alert text={alert} />
      {data && (
        <div class="scroll">
          <table data-table="admins">
            <caption class="visually-hidden">{t(lang, "staff.admins")}</caption>
            <thead><tr><th scope="col">{t(lang, "login.id")}</th><th scope="col">{t(lang, "staff.role")}</th><th scope="col">{t(lang, "members.since")}</th></tr></thead>
            <tbody>
              {data.items.map((x) => (
                <tr data-admin={x.admin_id}><th scope="row">{x.login_id}</th><td>{t(lang, `role.${x.role}`)}</td><td>{kstDateTime(lang, x.created_at)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="new-admin">
        <h2 id="new-admin">{t(lang, "admins.add")}</h2>
        <form onSubmit={submit} noValidate>
          <Alert text={a.alert} />
          <Field id="login_id" label={t(lang, "contact.login_id")} error={a.fields.login_id} autocomplete="off" />
          <Field id="password" label={t(lang, "contact.password")} error={a.fields.password} type="password" autocomplete="new-password" />
          <div class="field">
            <label for="role">{t(lang, "staff.role")}</label>
            <select id="role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {ROLES.map((r) => <option value={r}>{t(lang, `role.${r}`)}</option>)}
            </select>
          </div>
          <button type="submit">{t(lang, "admins.create")}</button>
        </form>
        <Outcome lang={lang} text={notice} />
      </section>
    </main>
  );
}

render(<Staff />, document.getElementById("root"));
labelTables();
