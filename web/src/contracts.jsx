// Contract pages (rules M2, C1–C7, C11): a partner's incoming proposals,
// both parties' contracts, and one contract: the terms in force, an edit of
// the draft, the confirmation of the current version by its SHA-256,
// amendments of a formed contract, cancellation, the requests between the
// parties with their 7-day deadlines, messages, every version with its
// hash, the history, and the whole record as a JSON file.
import { useState } from "preact/hooks";
import { t, historyText } from "./i18n.js";
import { api, download } from "./api.js";
import { Alert, Area, Field, Outcome, Select, numberOrText, problemText, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime, krw } from "./format.js";
import { RaiseDispute } from "./disputes.jsx";

/// A partner's proposals with accept and decline.
export function ProposalsPage({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/proposals");
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const decide = (p, decision) =>
    a.send(`/member/proposals/${p.proposal_id}`, { decision }, (_, lang) =>
      decision === "accept" ? t(lang, "proposal.accepted") : t(lang, "proposal.declined"));
  return (
    <main id="main" class="page">
      <h1>{t(lang, "proposals.incoming")}</h1>
      <Alert text={alert || a.alert} />
      <Outcome lang={lang} text={notice} />
      {data && (data.proposals.length === 0 ? <p>{t(lang, "proposals.none_incoming")}</p> : (
        <div class="scroll">
          <table>
            <caption class="visually-hidden">{t(lang, "proposals.incoming")}</caption>
            <thead>
              <tr>
                <th scope="col">{t(lang, "request.title")}</th>
                <th scope="col">{t(lang, "proposal.client")}</th>
                <th scope="col">{t(lang, "request.budget")}</th>
                <th scope="col">{t(lang, "proposal.fee")}</th>
                <th scope="col">{t(lang, "request.state")}</th>
                <th scope="col">{t(lang, "terminal.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.proposals.map((p) => (
                <tr data-proposal={p.proposal_id}>
                  <th scope="row">
                    {/* What is being accepted: read before the decision. */}
                    <details class="proposal-detail" data-detail={p.proposal_id}>
                      <summary>{p.title}</summary>
                      <dl class="facts">
                        <dt>{t(lang, "request.scope")}</dt><dd data-field="scope">{p.scope}</dd>
                        <dt>{t(lang, "request.budget")}</dt><dd>{krw(lang, p.budget_krw)}</dd>
                        <dt>{t(lang, "request.due_date_kst")}</dt><dd data-field="due_date">{p.due_date}</dd>
                        <dt>{t(lang, "request.location")}</dt><dd data-field="location">{p.location}</dd>
                        <dt>{t(lang, "request.region")}</dt><dd>{t(lang, `region.${p.region}`)}</dd>
                        <dt>{t(lang, "request.category")}</dt><dd>{t(lang, `category.${p.category}`)}</dd>
                      </dl>
                    </details>
                  </th>
                  <td>{p.client_name || "—"}</td>
                  <td>{krw(lang, p.budget_krw)}</td>
                  <td>{(p.success_fee_bp / 100).toFixed(1)}%</td>
                  <td>{t(lang, `proposal_state.${p.state}`)}</td>
                  <td>
                    {p.state === "sent" ? (
                      <>
                        <button type="button" onClick={() => decide(p, "accept")}>{t(lang, "proposal.accept")}</button>{" "}
                        <button type="button" class="secondary" onClick={() => decide(p, "decline")}>{t(lang, "proposal.decline")}</button>
                      </>
                    ) : p.contract_id ? <a href={`#/contracts/${p.contract_id}`}>{t(lang, "contract.open")}</a> : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </main>
  );
}

/// The member's contracts, each by its title and the other company.
export function ContractsPage({ lang, me }) {
  const [data, alert] = useLoad(lang, "/member/contracts");
  return (
    <main id="main" class="page">
      <h1>{t(lang, "contracts.title")}</h1>
      <Alert text={alert} />
      {data && (data.contracts.length === 0 ? <p>{t(lang, "contracts.none")}</p> : (
        <ul class="links">
          {data.contracts.map((c) => (
            <li data-contract={c.contract_id}>
              <a href={`#/contracts/${c.contract_id}`}>{c.title}</a> — {(c.client_id === me ? c.partner_company : c.client_company) || "—"} · {t(lang, `contract_state.${c.state}`)} · {t(lang, "contract.version")} {c.current_version} · {kstDateTime(lang, c.created_at)}
            </li>
          ))}
        </ul>
      ))}
    </main>
  );
}

/// One contract, for either party.
export function ContractPage({ lang, id, me }) {
  const [data, alert, load] = useLoad(lang, `/member/contracts/${id}`);
  const [notice, done] = useOutcome(load);
  const [fields, setFields] = useState({});
  const [formAlert, setFormAlert] = useState("");
  const confirm = useAction(lang, done);
  const [defect, setDefect] = useState("");
  if (!data) {
    return (
      <main id="main" class="page">
        <h1>{t(lang, "contracts.title")}</h1>
        <Alert text={alert} />
      </main>
    );
  }
  const v = data.versions.find((x) => x.number === data.current_version);
  // A formed contract's terms are those both confirmed (an amendment
  // waiting for an answer is shown with the requests).
  const inForce = data.formed_version ? data.versions.find((x) => x.number === data.formed_version) : v;
  const formedOpen = data.state === "in_progress" || data.state === "completed";
  const confirmedBy = data.confirmations.filter((k) => k.number === data.current_version).map((k) => k.member_id);
  const save = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const get = (k) => String(form.get(k) || "");
    const r = await api(lang, "POST", `/member/contracts/${id}/versions`, {
      revision: data.revision,
      title: get("c-title") || undefined,
      scope: get("c-scope") || undefined,
      amount_krw: numberOrText(get("c-amount")),
      due_date: get("c-due") || undefined,
      ip_clause: get("c-ip"),
      portfolio_consent: form.get("c-consent") === "yes",
    });
    if (!r.ok) {
      setFields(r.fields);
      setFormAlert(problemText(lang, r));
      return;
    }
    setFields({});
    setFormAlert("");
    done((l) => t(l, "contract.saved"));
  };
  return (
    <main id="main" class="page">
      <h1>{inForce.title}</h1>
      <Alert text={alert || confirm.alert} />
      <Outcome lang={lang} text={notice} />
      <dl class="facts">
        <dt>{t(lang, "contract.the_client")}</dt>
        <dd data-field="client">{data.client_company || "—"}</dd>
        <dt>{t(lang, "contract.the_partner")}</dt>
        <dd data-field="partner">{data.partner_company || "—"}</dd>
        <dt>{t(lang, "request.state")}</dt>
        <dd data-field="contract-state">{t(lang, `contract_state.${data.state}`)}</dd>
        <dt>{t(lang, "contract.version")}</dt>
        <dd data-field="version">{inForce.number}</dd>
        {data.location && (
          <>
            <dt>{t(lang, "request.location")}</dt>
            <dd data-field="location">{data.location}</dd>
          </>
        )}
        <dt>{t(lang, "contract.amount")}</dt>
        <dd data-field="amount">{krw(lang, inForce.amount_krw)}</dd>
        <dt>{t(lang, "request.due_date_kst")}</dt>
        <dd>{inForce.due_date}</dd>
        <dt>{t(lang, "contract.ip")}</dt>
        <dd>{t(lang, `ip.${inForce.ip_clause}`)}</dd>
        <dt>{t(lang, "contract.consent")}</dt>
        <dd>{t(lang, inForce.portfolio_consent ? "contract.yes" : "contract.no")}</dd>
        <dt>{t(lang, "proposal.fee")}</dt>
        <dd>{(data.success_fee_bp / 100).toFixed(1)}%</dd>
        <dt>SHA-256</dt>
        <dd><code data-field="sha256">{inForce.sha256}</code></dd>
        {data.state === "draft" && (
          <>
            <dt>{t(lang, "contract.confirmed_by")}</dt>
            <dd data-field="confirmed-by">{confirmedBy.length ? confirmedBy.map((m) => party(lang, data, me, m)).join(", ") : "—"}</dd>
          </>
        )}
        {data.cancelled_at && (
          <>
            <dt>{t(lang, "contract.cancelled_at")}</dt>
            <dd data-field="cancelled-at">{kstDateTime(lang, data.cancelled_at)} ({t(lang, `cancel_cause.${data.cancel_cause}`)})</dd>
          </>
        )}
        {data.inspection_until && (
          <>
            <dt>{t(lang, "contract.inspection_until")}</dt>
            <dd data-field="inspection-until">{kstDateTime(lang, data.inspection_until)}</dd>
          </>
        )}
        {data.accepted_at && (
          <>
            <dt>{t(lang, "contract.accepted_at")}</dt>
            <dd data-field="accepted-at">{kstDateTime(lang, data.accepted_at)}{data.deemed ? ` (${t(lang, "contract.deemed")})` : ""}</dd>
            <dt>{t(lang, "contract.ip_transferred")}</dt>
            <dd>{data.ip_transferred_at ? kstDateTime(lang, data.ip_transferred_at) : t(lang, "ip.reserved")}</dd>
          </>
        )}
      </dl>
      {data.state === "in_progress" && me === data.partner_id && (
        <p>
          <button type="button" onClick={() => confirm.send(`/member/contracts/${id}/complete`, {}, (_, lang) => t(lang, "contract.completed_msg"))}>
            {t(lang, "contract.complete")}
          </button>
        </p>
      )}
      {data.state === "completed" && me === data.client_id && (
        <section aria-labelledby="inspection">
          <h2 id="inspection">{t(lang, "contract.inspection")}</h2>
          <p><button type="button" onClick={() => confirm.send(`/member/contracts/${id}/accept`, {}, (_, lang) => t(lang, "contract.accepted_msg"))}>{t(lang, "contract.accept")}</button></p>
          <form onSubmit={(e) => { e.preventDefault(); confirm.send(`/member/contracts/${id}/defects`, { description: defect || undefined }, (_, lang) => t(lang, "contract.defects_sent")); }} noValidate>
            <Area id="defect" label={t(lang, "contract.defects")} error={confirm.fields.description} value={defect} onInput={(e) => setDefect(e.currentTarget.value)} />
            <button type="submit" class="secondary">{t(lang, "contract.defects_submit")}</button>
          </form>
        </section>
      )}
      <p class="scope">{inForce.scope}</p>
      <Requests lang={lang} data={data} me={me} done={done} />
      {formedOpen && <Amend lang={lang} data={data} terms={inForce} done={done} />}
      {(data.state === "draft" || formedOpen) && <Cancel lang={lang} data={data} done={done} />}
      <Messages lang={lang} data={data} me={me} done={done} />
      {data.state === "draft" && (
        <>
          <p>
            <button type="button" onClick={() => confirm.send(`/member/contracts/${id}/confirm`, { version: v.number, sha256: v.sha256 }, (_, lang) => t(lang, "contract.confirmed"))}>
              {t(lang, "contract.confirm")}
            </button>
          </p>
          <section aria-labelledby="edit-contract">
            <h2 id="edit-contract">{t(lang, "contract.edit")}</h2>
            <p class="hint">{t(lang, "contract.edit_hint")}</p>
            <form onSubmit={save} noValidate>
              <Alert text={formAlert} />
              <Field id="c-title" label={t(lang, "request.title")} error={fields.title} value={v.title} />
              <Area id="c-scope" label={t(lang, "request.scope")} error={fields.scope} value={v.scope} />
              <Field id="c-amount" label={t(lang, "contract.amount")} error={fields.amount_krw} inputmode="numeric" value={String(v.amount_krw)} />
              <Field id="c-due" label={t(lang, "request.due_date_kst")} error={fields.due_date} type="date" value={v.due_date} />
              <fieldset>
                <legend>{t(lang, "contract.ip")}</legend>
                {["transfer", "reserved"].map((c) => (
                  <label><input type="radio" name="c-ip" value={c} checked={v.ip_clause === c} /> {t(lang, `ip.${c}`)}</label>
                ))}
              </fieldset>
              <fieldset>
                <legend>{t(lang, "contract.consent")}</legend>
                {[["yes", true], ["no", false]].map(([val, b]) => (
                  <label><input type="radio" name="c-consent" value={val} checked={v.portfolio_consent === b} /> {t(lang, b ? "contract.yes" : "contract.no")}</label>
                ))}
              </fieldset>
              <button type="submit">{t(lang, "contract.save")}</button>
            </form>
          </section>
        </>
      )}
      <section aria-labelledby="versions">
        <h2 id="versions">{t(lang, "contract.versions")}</h2>
        <ol>
          {data.versions.map((x) => (
            <li data-version={x.number}>{t(lang, "contract.version")} {x.number} · {kstDateTime(lang, x.created_at)} · <code>{x.sha256}</code></li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="history">
        <h2 id="history">{t(lang, "contract.history")}</h2>
        <ol>
          {data.history.map((h) => (
            <li>{kstDateTime(lang, h.at)} · {h.actor === "system" ? t(lang, "history.system") : party(lang, data, me, h.actor)} · {historyText(lang, h.action)}</li>
          ))}
        </ol>
      </section>
      {(formedOpen || data.state === "accepted") && <RaiseDispute lang={lang} contractId={id} />}
      <p><a href="#/disputes">{t(lang, "disputes.title")}</a> · <a href="#/objections">{t(lang, "objection.title")}</a></p>
      <p><a href={`#/direct-deals?contract=${id}`}>{t(lang, "deals.report_this")}</a></p>
      <p>
        {/* The whole record as the API gives it to this party: versions with
            hashes, confirmations with time and address, requests, messages. */}
        <button type="button" class="secondary" onClick={() => download(lang, `/member/contracts/${id}`, `contract-${id}.json`)}>{t(lang, "contract.download")}</button>
      </p>
      <p><a href="#/contracts">{t(lang, "contracts.back")}</a></p>
    </main>
  );
}

/// Who a member id is, seen from the reader.
function party(lang, data, me, id) {
  if (id === me) return t(lang, "contract.me");
  return t(lang, id === data.client_id ? "contract.the_client" : "contract.the_partner");
}

/// What the parties asked of each other, with their deadlines (C7); the
/// reader answers what was asked of it and withdraws its own.
function Requests({ lang, data, me, done }) {
  const a = useAction(lang, done);
  const [reason, setReason] = useState("");
  if (data.requests.length === 0) return null;
  const path = (q) => `/member/contracts/${data.contract_id}/requests/${q.request_id}`;
  const answer = async (q, body, msg) => {
    if (await a.send(path(q), { ...body, reason: reason || undefined }, (_, lang) => t(lang, msg))) setReason("");
  };
  return (
    <section aria-labelledby="requests">
      <h2 id="requests">{t(lang, "contract.requests")}</h2>
      <Alert text={a.alert} />
      <ul class="requests">
        {data.requests.map((q) => {
          const v = q.number ? data.versions.find((x) => x.number === q.number) : null;
          const open = q.state === "open";
          const mine = q.from_id === me;
          const answerHere = open && q.to_id === me && (q.kind === "amendment" || q.kind === "cancellation");
          return (
            <li data-request={q.request_id} data-kind={q.kind} data-state={q.state}>
              <strong>{t(lang, `ask_kind.${q.kind}`)}</strong> · {party(lang, data, me, q.from_id)} → {party(lang, data, me, q.to_id)} ·{" "}
              {t(lang, `ask_state.${q.state}`)}
              {open && <> · {t(lang, "contract.answer_by")} {kstDateTime(lang, q.answer_by)}</>}
              {q.flagged_at && open && <> · <span class="flag" data-field="overdue">{t(lang, "contract.overdue")}</span></>}
              {q.reason && <div>{t(lang, "contract.reason")}: {q.reason}</div>}
              {q.answer_reason && <div>{t(lang, "contract.answer_reason")}: {q.answer_reason}</div>}
              {q.kind === "amendment" && v && (
                <div class="proposed">v{v.number}: {v.title} · {krw(lang, v.amount_krw)} · {v.due_date} · <code>{v.sha256}</code></div>
              )}
              {answerHere && (
                <div class="actions">
                  <Field id={`reason-${q.request_id}`} label={t(lang, "contract.answer_reason")} error={a.fields.reason} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                  <button type="button" onClick={() => answer(q, { answer: "accept", sha256: v ? v.sha256 : undefined }, q.kind === "amendment" ? "contract.amended" : "contract.cancelled")}>
                    {t(lang, `contract.accept_${q.kind}`)}
                  </button>{" "}
                  <button type="button" class="secondary" onClick={() => answer(q, { answer: "decline" }, "contract.declined")}>{t(lang, "contract.decline")}</button>
                </div>
              )}
              {open && mine && q.kind !== "confirmation" && (
                <div class="actions">
                  <button type="button" class="secondary" onClick={() => answer(q, { answer: "withdraw" }, "contract.withdrawn_request")}>{t(lang, "contract.withdraw")}</button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/// New terms for a formed contract, confirmed by the proposer; the other
/// party accepts or declines (C2). The IP clause and consent stay.
function Amend({ lang, data, terms, done }) {
  const a = useAction(lang, done);
  const submit = (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const get = (k) => String(form.get(k) || "");
    a.send(`/member/contracts/${data.contract_id}/amendments`, {
      revision: data.revision,
      title: get("a-title") || undefined,
      scope: get("a-scope") || undefined,
      amount_krw: numberOrText(get("a-amount")),
      due_date: get("a-due") || undefined,
      ip_clause: terms.ip_clause,
      portfolio_consent: terms.portfolio_consent,
      reason: get("a-reason") || undefined,
    }, (_, lang) => t(lang, "contract.amendment_sent"));
  };
  return (
    <section aria-labelledby="amend">
      <h2 id="amend">{t(lang, "contract.amend")}</h2>
      <p class="hint">{t(lang, "contract.amend_hint")}</p>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        <Field id="a-title" label={t(lang, "request.title")} error={a.fields.title} value={terms.title} />
        <Area id="a-scope" label={t(lang, "request.scope")} error={a.fields.scope} value={terms.scope} />
        <Field id="a-amount" label={t(lang, "contract.amount")} error={a.fields.amount_krw} inputmode="numeric" value={String(terms.amount_krw)} />
        <Field id="a-due" label={t(lang, "request.due_date_kst")} error={a.fields.due_date} type="date" value={terms.due_date} />
        <Field id="a-reason" label={t(lang, "contract.reason")} error={a.fields.reason} />
        <button type="submit">{t(lang, "contract.amend_submit")}</button>
      </form>
    </section>
  );
}

/// A draft is withdrawn at once; a formed contract's cancellation is a
/// request the other party answers (C6).
function Cancel({ lang, data, done }) {
  const a = useAction(lang, done);
  const [reason, setReason] = useState("");
  const draft = data.state === "draft";
  return (
    <section aria-labelledby="cancel">
      <h2 id="cancel">{t(lang, draft ? "contract.withdraw_draft" : "contract.ask_cancel")}</h2>
      <p class="hint">{t(lang, draft ? "contract.withdraw_hint" : "contract.cancel_hint")}</p>
      <form onSubmit={(e) => { e.preventDefault(); a.send(`/member/contracts/${data.contract_id}/cancel`, { reason: reason || undefined }, (_, lang) => t(lang, draft ? "contract.withdrawn" : "contract.cancel_asked")); }} noValidate>
        <Alert text={a.alert} />
        <Field id="cancel-reason" label={t(lang, "contract.reason")} error={a.fields.reason} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        <button type="submit" class="secondary">{t(lang, draft ? "contract.withdraw_draft" : "contract.ask_cancel")}</button>
      </form>
    </section>
  );
}

/// The parties' messages; one with contact details waits for review (C11),
/// one that asks is answered by the other's next message (C7).
function Messages({ lang, data, me, done }) {
  const a = useAction(lang, done);
  const [body, setBody] = useState("");
  const [asks, setAsks] = useState(false);
  const send = async (e) => {
    e.preventDefault();
    const r = await a.send(`/member/contracts/${data.contract_id}/messages`, { body: body || undefined, asks }, (rec, lang) => {
      const last = rec.messages[rec.messages.length - 1];
      return t(lang, last && last.state === "held" ? "message.held" : "message.sent");
    });
    if (r) {
      setBody("");
      setAsks(false);
    }
  };
  return (
    <section aria-labelledby="messages">
      <h2 id="messages">{t(lang, "contract.messages")}</h2>
      {data.messages.length === 0 ? <p>{t(lang, "message.none")}</p> : (
        <ol class="messages">
          {data.messages.map((m) => (
            <li data-message={m.message_id} data-state={m.state}>
              <strong>{party(lang, data, me, m.author_id)}</strong> · {kstDateTime(lang, m.created_at)}
              {m.asks && <> · {t(lang, "message.asks")}</>}
              {m.state !== "visible" && <> · <span class="flag">{t(lang, `message_state.${m.state}`)}</span></>}
              <p class="body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={send} noValidate>
        <Alert text={a.alert} />
        <Area id="message-body" label={t(lang, "message.body")} error={a.fields.body} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        <label><input type="checkbox" name="asks" checked={asks} onChange={(e) => setAsks(e.currentTarget.checked)} /> {t(lang, "message.ask_answer")}</label>
        <p class="hint">{t(lang, "message.hint")}</p>
        <button type="submit">{t(lang, "message.send")}</button>
      </form>
    </section>
  );
}

/// Reporting a deal made off the platform on a matching (C8), and how the
/// member's reports were decided.
export function DirectDealsPage({ lang, me }) {
  const [data, alert, load] = useLoad(lang, "/member/direct-deals");
  const [mine] = useLoad(lang, "/member/contracts");
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const [contract, setContract] = useState(location.hash.split("?contract=")[1] || "");
  const [description, setDescription] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const r = await a.send("/member/direct-deals", { contract_id: contract || undefined, description: description || undefined }, (_, lang) => t(lang, "deals.reported_msg"));
    if (r) setDescription("");
  };
  // Contracts by their title and the other company, never by id.
  const named = (id) => {
    const c = mine && mine.contracts.find((x) => x.contract_id === id);
    return c ? `${c.title} — ${(c.client_id === me ? c.partner_company : c.client_company) || "—"}` : t(lang, "deals.the_contract");
  };
  const options = [["", t(lang, "deals.pick")], ...((mine && mine.contracts) || []).map((c) => [c.contract_id, named(c.contract_id)])];
  return (
    <main id="main" class="page">
      <h1>{t(lang, "deals.title")}</h1>
      <Alert text={alert} />
      <Outcome lang={lang} text={notice} />
      <p class="hint">{t(lang, "deals.hint")}</p>
      <form onSubmit={submit} noValidate>
        <Alert text={a.alert} />
        {/* Drawn once the contracts are here, so the one named in the
            address is the one chosen. */}
        {mine && <Select id="deal-contract" label={t(lang, "deals.contract")} error={a.fields.contract_id} options={options} value={contract} onChange={(e) => setContract(e.currentTarget.value)} />}
        <Area id="deal-description" label={t(lang, "deals.description")} error={a.fields.description} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <button type="submit">{t(lang, "deals.report")}</button>
      </form>
      <h2>{t(lang, "deals.mine")}</h2>
      {data && (data.reports.length === 0 ? <p>{t(lang, "deals.none")}</p> : (
        <ul class="links">
          {data.reports.map((r) => (
            <li data-report={r.report_id} data-state={r.state}>
              <a href={`#/contracts/${r.contract_id}`}>{named(r.contract_id)}</a> · {kstDateTime(lang, r.created_at)} · {t(lang, `deal_state.${r.state}`)}{r.reason ? ` — ${r.reason}` : ""}
            </li>
          ))}
        </ul>
      ))}
    </main>
  );
}
