// The staff's dispute pages (rules D2, D4, D5): the mediator's queue (an
// owner's: every case in mediation), one case with its frozen record, the
// requests for material, the opinion form and, for owners, the
// assignment; a restriction on a party who abuses the process; and the
// owners' answers to objections about the platform's handling.
import { useState } from "preact/hooks";
import { t } from "./i18n.js";
import { download } from "./api.js";
import { Alert, Area, Field, Outcome, Select, numberOrText, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime, krw } from "./format.js";

/// The disputes in mediation the caller handles, opinion due first.
export function Disputes({ lang }) {
  const [data, alert] = useLoad(lang, "/admin/disputes");
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.disputes")}</h1>
      <Alert text={alert} />
      {data && (data.disputes.length === 0 ? <p>{t(lang, "disputes.none")}</p> : (
        <div class="scroll">
          <table>
            <caption class="visually-hidden">{t(lang, "staff.disputes")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(lang, "contract.the_client")}</th>
                <th scope="col">{t(lang, "contract.the_partner")}</th>
                <th scope="col">{t(lang, "dispute.escalated_at")}</th>
                <th scope="col">{t(lang, "dispute.opinion_due")}</th>
                <th scope="col">{t(lang, "dispute.mediator")}</th>
              </tr>
            </thead>
            <tbody>
              {data.disputes.map((d) => (
                <tr data-dispute={d.dispute_id}>
                  <th scope="row"><a href={`#/dispute/${d.contract_id}/${d.dispute_id}`}>{d.client_company || "—"}</a></th>
                  <td>{d.partner_company || "—"}</td>
                  <td>{d.escalated_at ? kstDateTime(lang, d.escalated_at) : "—"}</td>
                  <td>{d.opinion_due ? kstDateTime(lang, d.opinion_due) : "—"}{d.opinion_flagged_at ? ` (${t(lang, "dispute.overdue")})` : ""}{d.opinion_at ? ` · ${t(lang, "dispute.opinion")}` : ""}</td>
                  <td>{d.mediator_id ? t(lang, "dispute.assigned") : t(lang, "dispute.unassigned")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </main>
  );
}

function party(lang, d, id) {
  if (id === d.client_id) return d.client_company || t(lang, "contract.the_client");
  if (id === d.partner_id) return d.partner_company || t(lang, "contract.the_partner");
  return t(lang, "dispute.mediator");
}

/// One case, for its mediator or an owner (every opening is logged for
/// both parties, A3).
export function DisputeCase({ lang, role, contractId, id }) {
  const base = `/admin/contracts/${contractId}/disputes/${id}`;
  const [data, alert, load] = useLoad(lang, base);
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const [outcome, setOutcome] = useState("none");
  if (!data) {
    return (
      <main id="main" class="page">
        <h1>{t(lang, "dispute.title")}</h1>
        <Alert text={alert} />
      </main>
    );
  }
  const m = data.mediation;
  const o = m && m.opinion;
  const inMediation = data.stage === "mediation";
  const opinion = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const get = (k) => String(form.get(k) || "") || undefined;
    const clauses = String(form.get("op-clauses") || "").split("\n").map((c) => c.trim()).filter(Boolean);
    await a.send(`${base}/opinion`, {
      facts: get("op-facts"),
      clauses,
      outcome,
      amount_krw: outcome === "amount" ? numberOrText(get("op-amount") || "") : undefined,
      due_date: outcome === "due_date" || outcome === "redo" ? get("op-due") : undefined,
      scope: outcome === "redo" ? get("op-scope") : undefined,
      reasons: get("op-reasons"),
    }, (_, l) => t(l, "mediation.opinion_given"));
  };
  const material = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await a.send(`${base}/material`, {
      party: String(form.get("mt-party")),
      what: String(form.get("mt-what") || "") || undefined,
      due_date: String(form.get("mt-due") || "") || undefined,
    }, (_, l) => t(l, "mediation.material_asked"));
  };
  const assign = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await a.send(`${base}/mediator`, { mediator_id: String(form.get("as-id") || "") }, (_, l) => t(l, "mediation.assigned"), "PUT");
  };
  const restrict = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const who = String(form.get("rs-party")) === "client" ? data.client_id : data.partner_id;
    await a.send(`/admin/members/${who}/dispute-restriction`, {
      reason: String(form.get("rs-reason") || "") || undefined,
      until_day: String(form.get("rs-until") || "") || undefined,
    }, (_, l) => t(l, "mediation.restricted"));
  };
  const parties = [["client", data.client_company || t(lang, "contract.the_client")], ["partner", data.partner_company || t(lang, "contract.the_partner")]];
  return (
    <main id="main" class="page">
      <h1>{t(lang, "dispute.title")}: {data.title}</h1>
      <Alert text={alert || a.alert} />
      <Outcome lang={lang} text={notice} />
      <dl class="facts">
        <dt>{t(lang, "dispute.stage")}</dt><dd data-field="stage">{t(lang, `dispute_stage.${data.stage}`)}</dd>
        <dt>{t(lang, "dispute.raised_by")}</dt><dd>{party(lang, data, data.raised_by)} · {kstDateTime(lang, data.created_at)}</dd>
        <dt>{t(lang, "dispute.claim")}</dt><dd data-field="claim">{data.claim}</dd>
        <dt>{t(lang, "dispute.relief")}</dt><dd>{data.relief}</dd>
        <dt>{t(lang, "contract.amount")}</dt><dd>{data.contract.amount_krw != null ? krw(lang, data.contract.amount_krw) : "—"}</dd>
        {m && (
          <>
            <dt>{t(lang, "dispute.opinion_due")}</dt><dd data-field="opinion-due">{kstDateTime(lang, m.opinion_due)}{m.opinion_flagged_at ? ` (${t(lang, "dispute.overdue")})` : ""}</dd>
            <dt>{t(lang, "dispute.frozen")}</dt>
            <dd><code>{m.frozen_sha256}</code>{" "}
              <button type="button" class="link" onClick={() => download(lang, `${base}/frozen`, `dispute-${id}-frozen.json`)}>{t(lang, "dispute.frozen_download")}</button>
            </dd>
          </>
        )}
      </dl>
      <p><a href={`#/contract/${contractId}`}>{t(lang, "dispute.to_contract")}</a></p>
      <section aria-labelledby="sd-messages">
        <h2 id="sd-messages">{t(lang, "contract.messages")}</h2>
        <ol class="messages">
          {data.messages.map((x) => <li><strong>{party(lang, data, x.author_id)}</strong> · {kstDateTime(lang, x.created_at)}<p>{x.body}</p></li>)}
        </ol>
        {data.attachments.length > 0 && (
          <ul>{data.attachments.map((f) => <li>{f.content_type} · {f.bytes} B · <code>{f.sha256}</code></li>)}</ul>
        )}
        {data.offers.length > 0 && (
          <ul>{data.offers.map((x) => <li>{party(lang, data, x.from_id)}: {t(lang, `offer_kind.${x.kind}`)} · {t(lang, `offer_state.${x.state}`)}</li>)}</ul>
        )}
      </section>
      {role === "owner" && inMediation && (
        <section aria-labelledby="sd-assign">
          <h2 id="sd-assign">{t(lang, "mediation.assign")}</h2>
          <form onSubmit={assign} noValidate>
            <Field id="as-id" label={t(lang, "mediation.mediator_id")} error={a.fields.mediator_id} value={m && m.mediator_id ? m.mediator_id : ""} />
            <button type="submit">{t(lang, "mediation.assign_submit")}</button>
          </form>
        </section>
      )}
      {m && m.material.length > 0 && (
        <section aria-labelledby="sd-material-list">
          <h2 id="sd-material-list">{t(lang, "dispute.material")}</h2>
          <ul>{m.material.map((r) => <li>{party(lang, data, r.to_id)}: {r.what} · {kstDateTime(lang, r.due_by)} · {r.answered_at ? t(lang, "dispute.answered") : t(lang, "dispute.waiting")}</li>)}</ul>
        </section>
      )}
      {role === "mediator" && inMediation && (
        <section aria-labelledby="sd-material">
          <h2 id="sd-material">{t(lang, "mediation.ask_material")}</h2>
          <form onSubmit={material} noValidate>
            <Select id="mt-party" label={t(lang, "mediation.party")} error={a.fields.party} options={parties} />
            <Area id="mt-what" label={t(lang, "mediation.what")} error={a.fields.what} />
            <Field id="mt-due" label={t(lang, "mediation.due")} error={a.fields.due_date} type="date" />
            <button type="submit">{t(lang, "mediation.ask_submit")}</button>
          </form>
        </section>
      )}
      {o ? (
        <section aria-labelledby="sd-opinion" data-field="opinion">
          <h2 id="sd-opinion">{t(lang, "dispute.opinion")}</h2>
          <dl class="facts">
            <dt>{t(lang, "dispute.facts")}</dt><dd>{o.facts}</dd>
            <dt>{t(lang, "dispute.clauses")}</dt><dd>{o.clauses.join(", ")}</dd>
            <dt>{t(lang, "dispute.outcome")}</dt><dd>{t(lang, `offer_kind.${o.outcome}`)}{o.amount_krw != null ? ` · ${krw(lang, o.amount_krw)}` : ""}{o.due_date ? ` · ${o.due_date}` : ""}</dd>
            <dt>{t(lang, "dispute.reasons")}</dt><dd>{o.reasons}</dd>
          </dl>
        </section>
      ) : role === "mediator" && inMediation && (
        <section aria-labelledby="sd-opinion-form">
          <h2 id="sd-opinion-form">{t(lang, "mediation.opinion_form")}</h2>
          <p class="hint">{t(lang, "mediation.opinion_hint")}</p>
          <form onSubmit={opinion} noValidate>
            <Area id="op-facts" label={t(lang, "dispute.facts")} error={a.fields.facts} />
            <Area id="op-clauses" label={t(lang, "mediation.clauses_lines")} error={a.fields.clauses} />
            <Select id="op-outcome" label={t(lang, "dispute.outcome")} error={a.fields.outcome} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}
              options={["none", "amount", "redo", "due_date", "cancel"].map((k) => [k, t(lang, `offer_kind.${k}`)])} />
            {outcome === "amount" && <Field id="op-amount" label={t(lang, "dispute.new_amount")} error={a.fields.amount_krw} inputmode="numeric" />}
            {outcome === "redo" && <Area id="op-scope" label={t(lang, "dispute.redo_scope")} error={a.fields.scope} />}
            {(outcome === "due_date" || outcome === "redo") && <Field id="op-due" label={t(lang, "dispute.new_due")} error={a.fields.due_date} type="date" />}
            <Area id="op-reasons" label={t(lang, "dispute.reasons")} error={a.fields.reasons} />
            <button type="submit">{t(lang, "mediation.opinion_submit")}</button>
          </form>
        </section>
      )}
      <section aria-labelledby="sd-restrict">
        <h2 id="sd-restrict">{t(lang, "mediation.restrict")}</h2>
        <p class="hint">{t(lang, "mediation.restrict_hint")}</p>
        <form onSubmit={restrict} noValidate>
          <Select id="rs-party" label={t(lang, "mediation.party")} options={parties} />
          <Area id="rs-reason" label={t(lang, "mediation.reason")} error={a.fields.reason} />
          <Field id="rs-until" label={t(lang, "mediation.until")} error={a.fields.until_day} type="date" />
          <button type="submit" class="secondary">{t(lang, "mediation.restrict_submit")}</button>
        </form>
      </section>
      <p><a href="#/disputes">{t(lang, "disputes.back")}</a></p>
    </main>
  );
}

/// Objections to the platform's handling waiting for an answer (owners).
export function Objections({ lang }) {
  const [data, alert, load] = useLoad(lang, "/admin/objections");
  const [notice, done] = useOutcome(load);
  return (
    <main id="main" class="page">
      <h1>{t(lang, "staff.objections")}</h1>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      {data && (data.objections.length === 0 ? <p>{t(lang, "objection.none")}</p> : (
        data.objections.map((o) => <ObjectionItem lang={lang} o={o} done={done} />)
      ))}
    </main>
  );
}

function ObjectionItem({ lang, o, done }) {
  const a = useAction(lang, done);
  const [answer, setAnswer] = useState("");
  return (
    <section data-objection={o.objection_id} aria-label={o.objection_id}>
      <p>{kstDateTime(lang, o.created_at)} · {o.text}</p>
      <p>{t(lang, "objection.due")}: {kstDateTime(lang, o.due_by)}{o.flagged_at ? ` (${t(lang, "dispute.overdue")})` : ""}</p>
      <form onSubmit={(e) => { e.preventDefault(); a.send(`/admin/objections/${o.objection_id}`, { answer: answer || undefined }, (_, l) => t(l, "objection.answered")); }} noValidate>
        <Alert text={a.alert} />
        <Area id={`ans-${o.objection_id}`} label={t(lang, "objection.answer")} error={a.fields.answer} value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
        <button type="submit">{t(lang, "objection.answer_submit")}</button>
      </form>
    </section>
  );
}
