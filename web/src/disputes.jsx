// Dispute pages for both parties (rules D1–D5): the member's disputes, a
// contract's objection form, and one dispute: its stage and clocks, the
// objection, messages and evidence files, settlement offers, the
// escalation to mediation with the frozen record's hash, the mediator's
// requests and opinion, the referral to the KCAB and the filing pack.
import { useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api, download, upload } from "./api.js";
import { Alert, Area, Field, Outcome, Select, numberOrText, problemText, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime, krw } from "./format.js";

/// The member's disputes, newest first.
export function DisputesPage({ lang, me }) {
  const [data, alert] = useLoad(lang, "/member/disputes");
  return (
    <main id="main" class="page">
      <h1>{t(lang, "disputes.title")}</h1>
      <Alert text={alert} />
      {data && (data.disputes.length === 0 ? <p>{t(lang, "disputes.none")}</p> : (
        <ul class="links">
          {data.disputes.map((d) => (
            <li data-dispute={d.dispute_id}>
              <a href={`#/contracts/${d.contract_id}/disputes/${d.dispute_id}`}>
                {(d.client_id === me ? d.partner_company : d.client_company) || "—"}
              </a>{" "}
              · {t(lang, `dispute_stage.${d.stage}`)} · {kstDateTime(lang, d.created_at)}
            </li>
          ))}
        </ul>
      ))}
    </main>
  );
}

/// The objection form on a formed contract's page.
export function RaiseDispute({ lang, contractId }) {
  // Raised: the page goes to the dispute itself.
  const a = useAction(lang, () => {});
  const [claim, setClaim] = useState("");
  const [relief, setRelief] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const made = await a.send(`/member/contracts/${contractId}/disputes`, { claim: claim || undefined, relief: relief || undefined }, (_, l) => t(l, "dispute.raised"));
    if (made) location.hash = `#/contracts/${contractId}/disputes/${made.dispute_id}`;
  };
  return (
    <section aria-labelledby="raise-dispute">
      <h2 id="raise-dispute">{t(lang, "dispute.raise")}</h2>
      <p class="hint">{t(lang, "dispute.raise_hint")}</p>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        <Area id="d-claim" label={t(lang, "dispute.claim")} error={a.fields.claim} value={claim} onInput={(e) => setClaim(e.currentTarget.value)} />
        <Area id="d-relief" label={t(lang, "dispute.relief")} error={a.fields.relief} value={relief} onInput={(e) => setRelief(e.currentTarget.value)} />
        <button type="submit">{t(lang, "dispute.raise_submit")}</button>
      </form>
    </section>
  );
}

function who(lang, d, me, id) {
  if (id === me) return t(lang, "contract.me");
  if (id === d.client_id) return t(lang, "contract.the_client");
  if (id === d.partner_id) return t(lang, "contract.the_partner");
  return t(lang, "dispute.mediator");
}

function terms(lang, o) {
  const parts = [t(lang, `offer_kind.${o.kind || o.outcome}`)];
  if (o.amount_krw != null) parts.push(krw(lang, o.amount_krw));
  if (o.due_date) parts.push(`${t(lang, "request.due_date_kst")} ${o.due_date}`);
  if (o.scope) parts.push(o.scope);
  return parts.join(" · ");
}

/// One dispute, for either party.
export function DisputePage({ lang, contractId, id, me }) {
  const base = `/member/contracts/${contractId}/disputes/${id}`;
  const [data, alert, load] = useLoad(lang, base);
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const [body, setBody] = useState("");
  const [kind, setKind] = useState("amount");
  const [progress, setProgress] = useState(null);
  const [fileAlert, setFileAlert] = useState("");
  if (!data) {
    return (
      <main id="main" class="page">
        <h1>{t(lang, "dispute.title")}</h1>
        <Alert text={alert} />
      </main>
    );
  }
  const open = data.stage === "negotiation" || data.stage === "mediation";
  const m = data.mediation;
  const o = m && m.opinion;
  const mineAccepted = o && (me === data.client_id ? o.client_accepted_at : o.partner_accepted_at);
  const mayRefer = data.stage === "mediation" && (o || m.opinion_flagged_at || new Date(m.opinion_due) <= new Date());
  const write = async (e) => {
    e.preventDefault();
    if (await a.send(`${base}/messages`, { body: body || undefined }, (_, l) => t(l, "dispute.message_sent"))) setBody("");
  };
  const offer = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const get = (k) => String(form.get(k) || "") || undefined;
    await a.send(`${base}/offers`, {
      kind,
      amount_krw: kind === "amount" ? numberOrText(get("o-amount") || "") : undefined,
      due_date: kind === "due_date" || kind === "redo" ? get("o-due") : undefined,
      scope: kind === "redo" ? get("o-scope") : undefined,
      note: get("o-note"),
    }, (_, l) => t(l, "dispute.offer_sent"));
  };
  const attach = async (e) => {
    const file = e.currentTarget.files && e.currentTarget.files[0];
    if (!file) return;
    const r = await upload(lang, `${base}/attachments`, file, setProgress);
    setProgress(null);
    e.currentTarget.value = "";
    if (!r.ok) return setFileAlert(problemText(lang, r));
    setFileAlert("");
    done((l) => t(l, "dispute.file_added"));
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "dispute.title")}: {data.title}</h1>
      <Alert text={alert || a.alert} />
      <Outcome lang={lang} text={notice} />
      <dl class="facts">
        <dt>{t(lang, "dispute.stage")}</dt>
        <dd data-field="stage">{t(lang, `dispute_stage.${data.stage}`)}</dd>
        <dt>{t(lang, "dispute.raised_by")}</dt>
        <dd>{who(lang, data, me, data.raised_by)} · {kstDateTime(lang, data.created_at)}</dd>
        <dt>{t(lang, "dispute.claim")}</dt>
        <dd data-field="claim">{data.claim}</dd>
        <dt>{t(lang, "dispute.relief")}</dt>
        <dd data-field="relief">{data.relief}</dd>
        <dt>{t(lang, "dispute.answer_by")}</dt>
        <dd data-field="answer-by">
          {data.answered_at ? `${t(lang, "dispute.answered")} ${kstDateTime(lang, data.answered_at)}` : kstDateTime(lang, data.answer_by)}
          {data.flagged_at && !data.answered_at ? ` (${t(lang, "dispute.overdue")})` : ""}
        </dd>
        <dt>{t(lang, "contract.amount")}</dt>
        <dd>{data.contract.amount_krw != null ? krw(lang, data.contract.amount_krw) : "—"} · {t(lang, `contract_state.${data.contract.state}`)}</dd>
        <dt>{t(lang, "dispute.retention")}</dt>
        <dd>{t(lang, "dispute.retention_3y")}</dd>
      </dl>
      <p><a href={`#/contracts/${contractId}`}>{t(lang, "dispute.to_contract")}</a></p>

      <section aria-labelledby="d-messages">
        <h2 id="d-messages">{t(lang, "contract.messages")}</h2>
        {data.messages.length === 0 ? <p>{t(lang, "dispute.no_messages")}</p> : (
          <ol class="messages">
            {data.messages.map((x) => (
              <li data-message={x.message_id}><strong>{who(lang, data, me, x.author_id)}</strong> · {kstDateTime(lang, x.created_at)}<p>{x.body}</p></li>
            ))}
          </ol>
        )}
        {open && (
          <form onSubmit={write} noValidate>
            <Area id="d-body" label={t(lang, "message.body")} error={a.fields.body} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
            <button type="submit">{t(lang, "message.send")}</button>
          </form>
        )}
      </section>

      <section aria-labelledby="d-files">
        <h2 id="d-files">{t(lang, "dispute.files")}</h2>
        <Alert text={fileAlert} />
        {data.attachments.length > 0 && (
          <ul>
            {data.attachments.map((f) => (
              <li data-file={f.attachment_id}>
                <button type="button" class="link" onClick={() => download(lang, `${base}/attachments/${f.attachment_id}`, f.attachment_id)}>{f.content_type}</button>{" "}
                · {who(lang, data, me, f.author_id)} · {f.bytes} B · <code>{f.sha256}</code>
              </li>
            ))}
          </ul>
        )}
        {open && (
          <div class="field">
            <label for="d-file">{t(lang, "dispute.add_file")}</label>
            <input id="d-file" type="file" onChange={attach} />
            {progress != null && <progress max="100" value={progress}>{progress}%</progress>}
          </div>
        )}
      </section>

      <section aria-labelledby="d-offers">
        <h2 id="d-offers">{t(lang, "dispute.offers")}</h2>
        <p class="hint">{t(lang, "dispute.offers_hint")}</p>
        {data.offers.length > 0 && (
          <ul>
            {data.offers.map((x) => (
              <li data-offer={x.offer_id}>
                {who(lang, data, me, x.from_id)}: {terms(lang, x)}{x.note ? ` — ${x.note}` : ""} · <span data-field="offer-state">{t(lang, `offer_state.${x.state}`)}</span>
                {x.state === "open" && x.to_id === me && (
                  <>
                    {" "}<button type="button" onClick={() => a.send(`${base}/offers/${x.offer_id}`, { answer: "accept" }, (_, l) => t(l, "dispute.settled_msg"))}>{t(lang, "dispute.accept_offer")}</button>
                    {" "}<button type="button" class="secondary" onClick={() => a.send(`${base}/offers/${x.offer_id}`, { answer: "decline" }, (_, l) => t(l, "dispute.offer_declined"))}>{t(lang, "dispute.decline_offer")}</button>
                  </>
                )}
                {x.state === "open" && x.from_id === me && (
                  <>{" "}<button type="button" class="secondary" onClick={() => a.send(`${base}/offers/${x.offer_id}`, { answer: "withdraw" }, (_, l) => t(l, "dispute.offer_withdrawn"))}>{t(lang, "dispute.withdraw_offer")}</button></>
                )}
              </li>
            ))}
          </ul>
        )}
        {open && (
          <form onSubmit={offer} noValidate>
            <Select id="o-kind" label={t(lang, "dispute.offer_kind")} error={a.fields.kind} value={kind} onChange={(e) => setKind(e.currentTarget.value)}
              options={["amount", "redo", "due_date", "cancel"].map((k) => [k, t(lang, `offer_kind.${k}`)])} />
            {kind === "amount" && <Field id="o-amount" label={t(lang, "dispute.new_amount")} error={a.fields.amount_krw} inputmode="numeric" />}
            {kind === "redo" && <Area id="o-scope" label={t(lang, "dispute.redo_scope")} error={a.fields.scope} />}
            {(kind === "due_date" || kind === "redo") && <Field id="o-due" label={t(lang, "dispute.new_due")} error={a.fields.due_date} type="date" />}
            <Area id="o-note" label={t(lang, "dispute.note")} error={a.fields.note} />
            <button type="submit">{t(lang, "dispute.offer_submit")}</button>
          </form>
        )}
      </section>

      {data.can_escalate && (
        <section aria-labelledby="d-escalate">
          <h2 id="d-escalate">{t(lang, "dispute.escalate")}</h2>
          <p class="hint">{t(lang, "dispute.escalate_hint")}</p>
          <button type="button" onClick={() => a.send(`${base}/escalation`, undefined, (_, l) => t(l, "dispute.escalated"))}>{t(lang, "dispute.escalate_submit")}</button>
        </section>
      )}

      {m && (
        <section aria-labelledby="d-mediation">
          <h2 id="d-mediation">{t(lang, "dispute.mediation")}</h2>
          <dl class="facts">
            <dt>{t(lang, "dispute.escalated_at")}</dt>
            <dd>{kstDateTime(lang, m.escalated_at)} · {who(lang, data, me, m.escalated_by)}</dd>
            <dt>{t(lang, "dispute.mediator")}</dt>
            <dd data-field="mediator">{m.mediator_id ? t(lang, "dispute.assigned") : t(lang, "dispute.unassigned")}</dd>
            <dt>{t(lang, "dispute.opinion_due")}</dt>
            <dd data-field="opinion-due">{kstDateTime(lang, m.opinion_due)}{m.opinion_flagged_at ? ` (${t(lang, "dispute.overdue")})` : ""}</dd>
            <dt>{t(lang, "dispute.frozen")}</dt>
            <dd><code data-field="frozen-sha256">{m.frozen_sha256}</code>{" "}
              <button type="button" class="link" onClick={() => download(lang, `${base}/frozen`, `dispute-${id}-frozen.json`)}>{t(lang, "dispute.frozen_download")}</button>
            </dd>
          </dl>
          {m.material.length > 0 && (
            <>
              <h3>{t(lang, "dispute.material")}</h3>
              <ul>
                {m.material.map((r) => (
                  <li data-material={r.request_id}>{who(lang, data, me, r.to_id)}: {r.what} · {t(lang, "dispute.due")} {kstDateTime(lang, r.due_by)} · {r.answered_at ? t(lang, "dispute.answered") : t(lang, "dispute.waiting")}</li>
                ))}
              </ul>
            </>
          )}
          {o && (
            <div data-field="opinion">
              <h3>{t(lang, "dispute.opinion")}</h3>
              <dl class="facts">
                <dt>{t(lang, "dispute.facts")}</dt><dd>{o.facts}</dd>
                <dt>{t(lang, "dispute.clauses")}</dt><dd>{o.clauses.join(", ")}</dd>
                <dt>{t(lang, "dispute.outcome")}</dt><dd data-field="outcome-terms">{terms(lang, o)}</dd>
                <dt>{t(lang, "dispute.reasons")}</dt><dd>{o.reasons}</dd>
              </dl>
              {data.stage === "mediation" && !mineAccepted && (
                <button type="button" onClick={() => a.send(`${base}/opinion`, undefined, (_, l) => t(l, "dispute.opinion_accepted"))}>{t(lang, "dispute.accept_opinion")}</button>
              )}
              {mineAccepted && <p>{t(lang, "dispute.you_accepted")}</p>}
            </div>
          )}
        </section>
      )}

      {mayRefer && (
        <section aria-labelledby="d-refer">
          <h2 id="d-refer">{t(lang, "dispute.refer")}</h2>
          <p class="hint">{t(lang, "dispute.refer_hint")}</p>
          <button type="button" onClick={() => a.send(`${base}/arbitration`, undefined, (_, l) => t(l, "dispute.referred"))}>{t(lang, "dispute.refer_submit")}</button>
        </section>
      )}

      {data.arbitration && (
        <section aria-labelledby="d-pack">
          <h2 id="d-pack">{t(lang, "dispute.pack")}</h2>
          <p>{t(lang, "dispute.pack_hint")}</p>
          <dl class="facts">
            <dt>{t(lang, "dispute.referred_at")}</dt>
            <dd>{kstDateTime(lang, data.arbitration.referred_at)} · {who(lang, data, me, data.arbitration.referred_by)}</dd>
            <dt>{t(lang, "dispute.pack_hash")}</dt>
            <dd><code data-field="pack-sha256">{data.arbitration.pack_sha256}</code></dd>
          </dl>
          <p>
            <button type="button" onClick={() => download(lang, `${base}/pack`, `kcab-pack-${id}.json`)}>{t(lang, "dispute.pack_json")}</button>{" "}
            <button type="button" class="secondary" onClick={() => download(lang, `${base}/pack.html`, `kcab-pack-${id}.html`)}>{t(lang, "dispute.pack_html")}</button>
          </p>
        </section>
      )}
      <p><a href="#/disputes">{t(lang, "disputes.back")}</a></p>
    </main>
  );
}

/// The platform's answer to objections about its handling (D4), and the
/// form to make one.
export function ObjectionsPage({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/objections");
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const [text, setText] = useState("");
  const [about, setAbout] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const body = { text: text || undefined };
    if (about.startsWith("rst_")) body.restriction_id = about;
    else if (about) body.dispute_id = about;
    if (await a.send("/member/objections", body, (_, l) => t(l, "objection.sent"))) setText("");
  };
  return (
    <main id="main" class="page">
      <h1>{t(lang, "objection.title")}</h1>
      <p class="hint">{t(lang, "objection.hint")}</p>
      <Alert text={alert || a.alert} />
      <Outcome lang={lang} text={notice} />
      <form onSubmit={submit} noValidate>
        <Field id="ob-about" label={t(lang, "objection.about")} error={a.fields.dispute_id || a.fields.restriction_id} value={about} onInput={(e) => setAbout(e.currentTarget.value)} />
        <Area id="ob-text" label={t(lang, "objection.text")} error={a.fields.text} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit">{t(lang, "objection.submit")}</button>
      </form>
      {data && data.objections.length > 0 && (
        <ul>
          {data.objections.map((x) => (
            <li data-objection={x.objection_id}>
              {kstDateTime(lang, x.created_at)} · {x.text} · {x.answer ? `${t(lang, "objection.answer")}: ${x.answer}` : `${t(lang, "objection.due")} ${kstDateTime(lang, x.due_by)}`}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
