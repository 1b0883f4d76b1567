// An active member's pages (rules V1, V6, V7): its sites and terminals
// (register, the secret shown once, rotate, suspend, resume) and the
// attendance of a site's KST day with the ingestion chart. Staff reuse
// `SiteDay` for any member's site.
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api } from "./api.js";
import { Alert, Field, problemText } from "./ui.jsx";
import { kstDateTime, kstTime, kstToday } from "./format.js";
import { IngestionChart } from "./chart.jsx";

/// The member's sites with their terminals.
export function Sites({ lang }) {
  const [data, setData] = useState(null);
  const [alert, setAlert] = useState("");
  const [secret, setSecret] = useState(null);
  const load = async () => {
    const r = await api(lang, "GET", "/member/sites");
    if (r.ok) setData(r.data);
    else setAlert(problemText(lang, r));
  };
  useEffect(() => {
    load();
  }, [lang]);
  const act = async (terminal, action) => {
    const r = await api(lang, "POST", "/member/terminals/action", { terminal_id: terminal.terminal_id, action });
    if (!r.ok) return setAlert(problemText(lang, r));
    setAlert("");
    if (r.data.secret) setSecret({ name: terminal.name, secret: r.data.secret, until: r.data.previous_valid_until });
    load();
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "sites.title")}</h1>
      <Alert text={alert} />
      {secret && (
        <section class="secret" aria-labelledby="secret-title">
          <h2 id="secret-title">{t(lang, "terminal.secret_title")} — {secret.name}</h2>
          <p>{t(lang, "terminal.secret_once")}</p>
          <p><code data-field="secret">{secret.secret}</code></p>
          {secret.until && <p>{t(lang, "terminal.previous_until")} {kstDateTime(lang, secret.until)}</p>}
          <button type="button" class="secondary" onClick={() => setSecret(null)}>{t(lang, "terminal.secret_done")}</button>
        </section>
      )}
      {data && (
        <>
          <dl class="facts">
            <dt>{t(lang, "sites.devices")}</dt>
            <dd data-field="devices">{data.devices} / {data.device_limit}</dd>
            {data.suspended && (
              <>
                <dt>{t(lang, "sites.suspended")}</dt>
                <dd>{data.suspension_reason || "—"}</dd>
              </>
            )}
          </dl>
          {data.sites.map((site) => (
            <section class="site" aria-labelledby={`site-${site.site_id}`} data-site={site.site_id}>
              <h2 id={`site-${site.site_id}`}>{site.name}</h2>
              {site.services && site.services.length > 0 && <p class="hint">{site.services.join(", ")}</p>}
              <Terminals lang={lang} terminals={site.terminals} act={act} />
              <NewTerminal lang={lang} site={site} done={(s) => { if (s) setSecret(s); load(); }} />
              <p><a href={`#/attendance/${site.site_id}`}>{t(lang, "attendance.open")}</a></p>
            </section>
          ))}
          <NewSite lang={lang} done={load} />
        </>
      )}
    </main>
  );
}

/// A site's terminals as a table: mode, serial, status, last seen (KST);
/// `act` (when given) adds the member's actions.
export function Terminals({ lang, terminals, act }) {
  if (!terminals.length) return <p>{t(lang, "terminal.none")}</p>;
  return (
    <div class="scroll">
      <table>
        <caption class="visually-hidden">{t(lang, "terminal.list")}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, "terminal.name")}</th>
            <th scope="col">{t(lang, "terminal.mode")}</th>
            <th scope="col">{t(lang, "terminal.status")}</th>
            <th scope="col">{t(lang, "terminal.last_seen")}</th>
            {act && <th scope="col">{t(lang, "terminal.actions")}</th>}
          </tr>
        </thead>
        <tbody>
          {terminals.map((term) => (
            <tr data-terminal={term.terminal_id}>
              <th scope="row">{term.name}</th>
              <td>{t(lang, `mode.${term.mode}`)}{term.serial ? ` · ${term.serial}` : ""}</td>
              <td data-field="status">{t(lang, `terminal.${term.status}`)}</td>
              <td>{kstDateTime(lang, term.last_seen_at)}</td>
              {act && (
                <td class="actions">
                  {term.mode === "webhook" && <button type="button" class="secondary" onClick={() => act(term, "rotate_secret")}>{t(lang, "terminal.rotate")}</button>}
                  {term.status === "active" ? (
                    <button type="button" class="secondary" onClick={() => act(term, "suspend")}>{t(lang, "terminal.suspend")}</button>
                  ) : (
                    <button type="button" class="secondary" onClick={() => act(term, "resume")}>{t(lang, "terminal.resume")}</button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewTerminal({ lang, site, done }) {
  const [mode, setMode] = useState("webhook");
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const id = (k) => `${k}-${site.site_id}`;
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const r = await api(lang, "POST", "/member/terminals", {
      site_id: site.site_id,
      name: f.get(id("name")) || undefined,
      mode,
      serial: mode === "adms" ? f.get(id("serial")) || undefined : undefined,
    });
    if (!r.ok) {
      setFields(r.fields);
      return setAlert(problemText(lang, r));
    }
    setFields({});
    setAlert("");
    form.reset();
    done(r.data.secret ? { name: f.get(id("name")), secret: r.data.secret } : null);
  };
  return (
    <details class="add">
      <summary>{t(lang, "terminal.add")}</summary>
      <form onSubmit={submit} noValidate>
        <Alert text={alert} />
        <Field id={id("name")} label={t(lang, "terminal.name")} error={fields.name} />
        <fieldset>
          <legend>{t(lang, "terminal.mode")}</legend>
          <label><input type="radio" name={id("mode")} checked={mode === "webhook"} onChange={() => setMode("webhook")} /> {t(lang, "mode.webhook")}</label>
          <label><input type="radio" name={id("mode")} checked={mode === "adms"} onChange={() => setMode("adms")} /> {t(lang, "mode.adms")}</label>
        </fieldset>
        {mode === "adms" && <Field id={id("serial")} label={t(lang, "terminal.serial")} error={fields.serial} />}
        <button type="submit">{t(lang, "terminal.register")}</button>
      </form>
    </details>
  );
}

function NewSite({ lang, done }) {
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const services = (f.get("services") || "").split(",").map((s) => s.trim()).filter(Boolean);
    const body = { services };
    for (const k of ["name", "manager_name", "manager_contact", "address"]) body[k] = f.get(k) || undefined;
    const r = await api(lang, "POST", "/member/sites", body);
    if (!r.ok) {
      setFields(r.fields);
      return setAlert(problemText(lang, r));
    }
    setFields({});
    setAlert("");
    form.reset();
    done();
  };
  return (
    <section aria-labelledby="new-site">
      <h2 id="new-site">{t(lang, "site.add")}</h2>
      <form onSubmit={submit} noValidate>
        <Alert text={alert} />
        {["name", "manager_name", "manager_contact", "address"].map((k) => (
          <Field id={k} label={t(lang, `site.${k}`)} error={fields[k]} autocomplete="off" />
        ))}
        <Field id="services" label={t(lang, "site.services")} error={fields.services} autocomplete="off" />
        <button type="submit">{t(lang, "site.create")}</button>
      </form>
    </section>
  );
}

/// Attendance of one of the member's sites on a KST day.
export function Attendance({ lang, siteId }) {
  const [sites, setSites] = useState(null);
  const [alert, setAlert] = useState("");
  useEffect(() => {
    api(lang, "GET", "/member/sites").then((r) => (r.ok ? setSites(r.data.sites) : setAlert(problemText(lang, r))));
  }, [lang]);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "attendance.title")}</h1>
      <Alert text={alert} />
      {sites && (sites.length === 0 ? <p>{t(lang, "attendance.no_sites")}</p> : (
        <SiteDay lang={lang} sites={sites} siteId={siteId || sites[0].site_id} path="/member/attendance" />
      ))}
    </main>
  );
}

/// A site's KST day (rule V7): pick the site and the day, then workers'
/// first in and last out, records per terminal and the ingestion chart.
export function SiteDay({ lang, sites, siteId, path }) {
  const [site, setSite] = useState(siteId);
  const [day, setDay] = useState(kstToday());
  const [view, setView] = useState(null);
  const [fields, setFields] = useState({});
  const [alert, setAlert] = useState("");
  const load = async (s, d) => {
    const r = await api(lang, "GET", `${path}?site=${encodeURIComponent(s)}&day=${encodeURIComponent(d)}`);
    if (r.ok) {
      setView(r.data);
      setFields({});
      setAlert("");
    } else {
      setView(null);
      setFields(r.fields);
      setAlert(problemText(lang, r));
    }
  };
  useEffect(() => {
    load(site, day);
  }, [lang]);
  const submit = (e) => {
    e.preventDefault();
    load(site, day);
  };
  return (
    <>
      <form class="inline" onSubmit={submit} noValidate>
        <div class="field">
          <label for="site">{t(lang, "attendance.site")}</label>
          <select id="site" value={site} onChange={(e) => setSite(e.currentTarget.value)}>
            {sites.map((s) => <option value={s.site_id}>{s.name}</option>)}
          </select>
        </div>
        <Field id="day" label={t(lang, "attendance.day")} type="date" value={day} error={fields.day} onInput={(e) => setDay(e.currentTarget.value)} />
        <button type="submit">{t(lang, "attendance.show")}</button>
      </form>
      <Alert text={alert} />
      {view && (
        <>
          <h2>{t(lang, "attendance.workers")} — {view.day} (KST)</h2>
          {view.workers.length === 0 ? <p>{t(lang, "attendance.none")}</p> : (
            <div class="scroll">
              <table data-table="workers">
                <caption class="visually-hidden">{t(lang, "attendance.workers")}</caption>
                <thead><tr><th scope="col">{t(lang, "attendance.worker")}</th><th scope="col">{t(lang, "attendance.first_in")}</th><th scope="col">{t(lang, "attendance.last_out")}</th><th scope="col">{t(lang, "attendance.records")}</th></tr></thead>
                <tbody>
                  {view.workers.map((w) => (
                    <tr data-worker={w.worker_code}><th scope="row">{w.worker_code}</th><td>{kstTime(w.first_in)}</td><td>{kstTime(w.last_out)}</td><td>{w.records}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>{t(lang, "attendance.terminals")}</h2>
          <div class="scroll">
            <table data-table="terminals">
              <caption class="visually-hidden">{t(lang, "attendance.terminals")}</caption>
              <thead><tr><th scope="col">{t(lang, "terminal.name")}</th><th scope="col">{t(lang, "terminal.status")}</th><th scope="col">{t(lang, "terminal.last_seen")}</th><th scope="col">{t(lang, "attendance.records")}</th></tr></thead>
              <tbody>
                {view.terminals.map((term) => (
                  <tr data-terminal={term.terminal_id}><th scope="row">{term.name}</th><td>{t(lang, `terminal.${term.status}`)}</td><td>{kstDateTime(lang, term.last_seen_at)}</td><td data-field="records">{term.records}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <IngestionChart lang={lang} received={view.received} terminals={view.terminals} />
        </>
      )}
    </>
  );
}
