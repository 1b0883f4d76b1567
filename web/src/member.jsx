// An active member's pages (rules V1, V6, V7): its sites and terminals
// (register, the secret shown once, rotate, suspend, resume) and the
// attendance of a site's KST day with the ingestion chart. Staff reuse
// `SiteDay` for any member's site.
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api } from "./api.js";
import { Alert, Choice, Field, problemText, useAction, useLoad } from "./ui.jsx";
import { kstDateTime, kstTime, kstToday } from "./format.js";
import { IngestionChart } from "./chart.jsx";

/// The member's sites with their terminals.
export function Sites({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/sites");
  const [secret, setSecret] = useState(null);
  // A rotation's or registration's new secret is shown once, here.
  const shown = (s) => {
    if (s) setSecret(s);
    load();
  };
  const a = useAction(lang, shown);
  const act = (term, action) =>
    a.send("/member/terminals/action", { terminal_id: term.terminal_id, action }, (r) =>
      r.secret ? { ...term, secret: r.secret, until: r.previous_valid_until } : null);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "sites.title")}</h1>
      <Alert text={alert || a.alert} />
      {secret && (
        <section class="secret" aria-labelledby="secret-title">
          <h2 id="secret-title">{t(lang, "terminal.connect_title")} — {secret.name}</h2>
          <Connect lang={lang} term={secret} />
          {secret.secret && (
            <>
              <p>{t(lang, "terminal.secret_once")}</p>
              <p><code data-field="secret">{secret.secret}</code></p>
              <Copy lang={lang} text={secret.secret} />
              {secret.until && <p>{t(lang, "terminal.previous_until")} {kstDateTime(lang, secret.until)}</p>}
            </>
          )}
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
          {data.devices >= data.device_limit && (
            <p class="notice" data-field="ask-staff">
              {t(lang, data.device_limit === 0 ? "sites.no_devices" : "sites.devices_full")}{" "}
              {data.support_contact ? t(lang, "sites.ask_at").replace("{contact}", data.support_contact) : t(lang, "sites.ask_staff")}
            </p>
          )}
          {data.sites.map((site) => (
            <section class="site" aria-labelledby={`site-${site.site_id}`} data-site={site.site_id}>
              <h2 id={`site-${site.site_id}`}>{site.name}</h2>
              {site.services && site.services.length > 0 && <p class="hint">{site.services.join(", ")}</p>}
              <Terminals lang={lang} terminals={site.terminals} act={act} />
              <NewTerminal lang={lang} site={site} done={shown} />
              <p><a href={`#/attendance/${site.site_id}`}>{t(lang, "attendance.open")}</a></p>
            </section>
          ))}
          <NewSite lang={lang} done={shown} />
        </>
      )}
    </main>
  );
}

/// What a device needs to post to the platform: for a webhook terminal its
/// id and the address it posts to, signed with its secret (Standard
/// Webhooks); for an ADMS terminal the server address and port to set on
/// the device, which then identifies itself by its serial number.
function Connect({ lang, term }) {
  const https = location.protocol === "https:";
  const port = location.port || (https ? "443" : "80");
  return term.mode === "adms" ? (
    <dl class="facts" data-connect="adms">
      <dt>{t(lang, "connect.server")}</dt><dd><code data-field="adms-server">{location.hostname}</code></dd>
      <dt>{t(lang, "connect.port")}</dt><dd><code data-field="adms-port">{port}</code>{https ? ` (HTTPS)` : ""}</dd>
      <dt>{t(lang, "terminal.serial")}</dt><dd><code>{term.serial || "—"}</code></dd>
      <dt>{t(lang, "connect.how")}</dt><dd>{t(lang, "connect.adms_how")}</dd>
    </dl>
  ) : (
    <dl class="facts" data-connect="webhook">
      <dt>{t(lang, "connect.terminal_id")}</dt><dd><code data-field="terminal-id">{term.terminal_id}</code></dd>
      <dt>{t(lang, "connect.url")}</dt><dd><code data-field="webhook-url">{`${location.origin}/devices/webhook?terminal=${term.terminal_id}`}</code></dd>
      <dt>{t(lang, "connect.how")}</dt><dd>{t(lang, "connect.webhook_how")}</dd>
    </dl>
  );
}

/// A button that copies `text` and says whether it did.
function Copy({ lang, text }) {
  const [said, setSaid] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid(t(lang, "copy.done"));
    } catch (_) {
      setSaid(t(lang, "copy.failed"));
    }
  };
  return (
    <p>
      <button type="button" class="secondary" onClick={copy}>{t(lang, "copy.button")}</button>{" "}
      <span role="status" data-field="copied">{said}</span>
    </p>
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
              <th scope="row">{term.name}{act && <details class="connect"><summary>{t(lang, "connect.show")}</summary><Connect lang={lang} term={term} /></details>}</th>
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
  const a = useAction(lang, done);
  const id = (k) => `${k}-${site.site_id}`;
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const name = f.get(id("name"));
    const body = { site_id: site.site_id, name: name || undefined, mode, serial: mode === "adms" ? f.get(id("serial")) || undefined : undefined };
    // The secret comes once, in this reply: handed to the page to show
    // with what the device needs to connect.
    if (await a.send("/member/terminals", body, (r) => ({ name, terminal_id: r.terminal_id, mode, serial: body.serial, secret: r.secret })))
      form.reset();
  };
  return (
    <details class="add">
      <summary>{t(lang, "terminal.add")}</summary>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        <Field id={id("name")} label={t(lang, "terminal.name")} error={a.fields.name} />
        <Choice legend={t(lang, "terminal.mode")} name={id("mode")} value={mode} onChange={setMode}
          options={["webhook", "adms"].map((x) => [x, t(lang, `mode.${x}`)])} />
        {mode === "adms" && <Field id={id("serial")} label={t(lang, "terminal.serial")} error={a.fields.serial} />}
        <button type="submit">{t(lang, "terminal.register")}</button>
      </form>
    </details>
  );
}

function NewSite({ lang, done }) {
  const a = useAction(lang, done);
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const services = (f.get("services") || "").split(",").map((s) => s.trim()).filter(Boolean);
    const body = { services };
    for (const k of ["name", "manager_name", "manager_contact", "address"]) body[k] = f.get(k) || undefined;
    if (await a.send("/member/sites", body, () => null)) form.reset();
  };
  return (
    <section aria-labelledby="new-site">
      <h2 id="new-site">{t(lang, "site.add")}</h2>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        {["name", "manager_name", "manager_contact", "address"].map((k) => (
          <Field id={k} label={t(lang, `site.${k}`)} error={a.fields[k]} autocomplete="off" />
        ))}
        <Field id="services" label={t(lang, "site.services")} error={a.fields.services} autocomplete="off" />
        <button type="submit">{t(lang, "site.create")}</button>
      </form>
    </section>
  );
}

/// Attendance of one of the member's sites on a KST day.
export function Attendance({ lang, siteId }) {
  const [data, alert] = useLoad(lang, "/member/sites");
  const sites = data && data.sites;
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
