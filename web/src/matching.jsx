// Matching pages (rules M1, M3, C11): a partner's profile with its own
// score, every factor shown; a client's work requests, a new request, and
// one request with the partners proposed and why.
import { useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api } from "./api.js";
import { Alert, Area, Field, Outcome, Select, numberOrText, problemText, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime, krw, kstToday } from "./format.js";

export const REGIONS = ["seoul", "busan", "daegu", "incheon", "gwangju", "daejeon", "ulsan", "sejong", "gyeonggi", "gangwon", "chungbuk", "chungnam", "jeonbuk", "jeonnam", "gyeongbuk", "gyeongnam", "jeju"];
const CATEGORIES = ["software", "design", "manufacturing", "construction", "marketing", "consulting"];
const FACTORS = ["category", "capabilities", "capacity", "portfolio", "scale", "region", "freshness"];

/// Every factor of a score: value (‰), weight, points (M1).
export function Factors({ lang, factors, caption }) {
  return (
    <div class="scroll">
      <table class="factors">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, "score.factor")}</th>
            <th scope="col">{t(lang, "score.value")}</th>
            <th scope="col">{t(lang, "score.weight")}</th>
            <th scope="col">{t(lang, "score.points")}</th>
          </tr>
        </thead>
        <tbody>
          {factors.map((f) => (
            <tr data-factor={f.factor}>
              <th scope="row">{t(lang, `factor.${f.factor}`)}</th>
              <td>{f.value}‰</td>
              <td>{f.weight}</td>
              <td>{f.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/// What the detector found, by kind (C11).
function Findings({ lang, findings }) {
  if (!findings || !findings.length) return null;
  const kinds = [...new Set(findings.map((f) => f.kind))];
  return <p class="notice" data-field="findings">{t(lang, "held.why")} {kinds.map((k) => t(lang, `found.${k}`)).join(", ")}</p>;
}

/// A partner's matching profile and its own score per category.
export function Profile({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/profile");
  const [notice, done] = useOutcome(load);
  const [fields, setFields] = useState({});
  const [formAlert, setFormAlert] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const capabilities = String(form.get("capabilities") || "").split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
    const regions = form.getAll("regions").map(String);
    const r = await api(lang, "PUT", "/member/profile", {
      capabilities,
      capacity: numberOrText(String(form.get("capacity") || "")),
      regions,
      portfolio_text: String(form.get("portfolio_text") || "") || undefined,
    });
    if (!r.ok) {
      setFields(r.fields);
      setFormAlert(problemText(lang, r));
      return;
    }
    setFields({});
    setFormAlert("");
    done((l) => t(l, r.data.portfolio_held ? "profile.saved_held" : "profile.saved"));
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "profile.title")}</h1>
      <Alert text={alert || formAlert} />
      <Outcome lang={lang} text={notice} />
      {data && (
        <>
          <p>{t(lang, "profile.updated")} {kstDateTime(lang, data.updated_at)}</p>
          {data.portfolio_held && <Findings lang={lang} findings={data.portfolio_findings} />}
          <form onSubmit={submit} noValidate>
            <Area id="capabilities" label={t(lang, "profile.capabilities")} error={fields.capabilities} value={(data.capabilities || []).join(", ")} />
            <Field id="capacity" label={t(lang, "profile.capacity")} error={fields.capacity} inputmode="numeric" value={data.capacity ?? ""} />
            <fieldset>
              <legend>{t(lang, "profile.regions")}</legend>
              {fields.regions && <p class="error" id="regions-error">{fields.regions}</p>}
              {["all", ...REGIONS].map((r) => (
                <label><input type="checkbox" name="regions" value={r} checked={(data.regions || []).includes(r)} /> {t(lang, `region.${r}`)}</label>
              ))}
            </fieldset>
            <Area id="portfolio_text" label={t(lang, "profile.portfolio_text")} error={fields.portfolio_text} value={data.portfolio_text || ""} />
            <button type="submit">{t(lang, "profile.save")}</button>
          </form>
          {data.scores.map((s) => (
            <section aria-labelledby={`score-${s.category}`} data-category={s.category}>
              <h2 id={`score-${s.category}`}>{t(lang, `category.${s.category}`)} — {s.points} {t(lang, "score.points")}</h2>
              <Factors lang={lang} factors={s.factors} caption={t(lang, "score.own_caption")} />
            </section>
          ))}
        </>
      )}
    </main>
  );
}

/// A client's work requests and the form for a new one.
export function Requests({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/requests");
  const [notice, done] = useOutcome(load);
  const [fields, setFields] = useState({});
  const [formAlert, setFormAlert] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const get = (k) => String(form.get(k) || "") || undefined;
    const r = await api(lang, "POST", "/member/requests", {
      category: get("category"),
      title: get("title"),
      scope: get("scope"),
      budget_krw: numberOrText(get("budget_krw") || ""),
      due_date: get("due_date"),
      region: get("region"),
      location: get("location"),
    });
    if (!r.ok) {
      setFields(r.fields);
      setFormAlert(problemText(lang, r));
      return;
    }
    setFields({});
    setFormAlert("");
    location.hash = `#/requests/${r.data.request_id}`;
    done("");
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "requests.title")}</h1>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      {data && (data.requests.length === 0 ? <p>{t(lang, "requests.none")}</p> : (
        <div class="scroll">
          <table>
            <caption class="visually-hidden">{t(lang, "requests.list")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(lang, "request.title")}</th>
                <th scope="col">{t(lang, "request.category")}</th>
                <th scope="col">{t(lang, "request.state")}</th>
                <th scope="col">{t(lang, "request.due_date")}</th>
              </tr>
            </thead>
            <tbody>
              {data.requests.map((r) => (
                <tr data-request={r.request_id}>
                  <th scope="row"><a href={`#/requests/${r.request_id}`}>{r.title}</a></th>
                  <td>{t(lang, `category.${r.category}`)}</td>
                  <td>{t(lang, `request_state.${r.state}`)}</td>
                  <td>{r.due_date}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <section aria-labelledby="new-request">
        <h2 id="new-request">{t(lang, "requests.new")}</h2>
        <form onSubmit={submit} noValidate>
          <Alert text={formAlert} />
          <Select id="category" label={t(lang, "request.category")} error={fields.category} options={CATEGORIES.map((c) => [c, t(lang, `category.${c}`)])} />
          <Field id="title" label={t(lang, "request.title")} error={fields.title} />
          <Area id="scope" label={t(lang, "request.scope")} error={fields.scope} />
          <Field id="budget_krw" label={t(lang, "request.budget")} error={fields.budget_krw} inputmode="numeric" />
          <Field id="due_date" label={t(lang, "request.due_date_kst")} error={fields.due_date} type="date" min={kstToday()} />
          <Select id="region" label={t(lang, "request.region")} error={fields.region} options={REGIONS.map((r) => [r, t(lang, `region.${r}`)])} />
          <Field id="location" label={t(lang, "request.location")} error={fields.location} />
          <button type="submit">{t(lang, "requests.post")}</button>
        </form>
      </section>
    </main>
  );
}

/// One work request and, while it is open, the partners proposed with every
/// factor of their score.
export function RequestView({ lang, id }) {
  const [data, alert, load] = useLoad(lang, `/member/requests/${id}`);
  const [notice, done] = useOutcome(load);
  const offer = useAction(lang, done);
  return (
    <main id="main" class="page">
      <h1>{data ? data.title : t(lang, "requests.title")}</h1>
      <Alert text={alert || offer.alert} />
      <Outcome lang={lang} text={notice} />
      {data && (
        <>
          <dl class="facts">
            <dt>{t(lang, "request.state")}</dt>
            <dd data-field="state">{t(lang, `request_state.${data.state}`)}</dd>
            <dt>{t(lang, "request.category")}</dt>
            <dd>{t(lang, `category.${data.category}`)}</dd>
            <dt>{t(lang, "request.budget")}</dt>
            <dd>{krw(lang, data.budget_krw)}</dd>
            <dt>{t(lang, "request.due_date_kst")}</dt>
            <dd>{data.due_date}</dd>
            <dt>{t(lang, "request.region")}</dt>
            <dd>{t(lang, `region.${data.region}`)}</dd>
            {data.review_reason && (
              <>
                <dt>{t(lang, "request.review_reason")}</dt>
                <dd>{data.review_reason}</dd>
              </>
            )}
          </dl>
          <p class="scope">{data.scope}</p>
          {data.state === "held" && <Findings lang={lang} findings={data.findings} />}
          {data.state === "open" && (
            <section aria-labelledby="proposals">
              <h2 id="proposals">{t(lang, "proposals.title")}</h2>
              <p class="hint">{t(lang, "proposals.how")}</p>
              {data.proposals.length === 0 ? <p>{t(lang, "proposals.none")}</p> : (
                <ol class="proposals">
                  {data.proposals.map((p) => (
                    <li data-partner={p.partner_id}>
                      <h3>{p.rank}. {p.company_name || p.partner_id} — <span data-field="points">{p.points}</span> {t(lang, "score.points")}</h3>
                      <Factors lang={lang} factors={p.factors} caption={`${p.company_name || p.partner_id}: ${t(lang, "score.caption")}`} />
                      <button type="button" onClick={() => offer.send(`/member/requests/${id}/proposals`, { partner_id: p.partner_id }, (_, lang) => t(lang, "proposal.sent"))}>
                        {t(lang, "proposal.send")}
                      </button>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          )}
          <p><a href="#/requests">{t(lang, "requests.back")}</a></p>
        </>
      )}
    </main>
  );
}
