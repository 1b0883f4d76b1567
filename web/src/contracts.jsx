// Contract pages (rules M2, C1, C2): a partner's incoming proposals, both
// parties' contracts, and one contract: its current terms, an edit of the
// draft, the confirmation of the current version by its SHA-256, every
// version with its hash, the confirmations and the history.
import { useState } from "preact/hooks";
import { t } from "./i18n.js";
import { api } from "./api.js";
import { Alert, Area, Field, Outcome, numberOrText, problemText, useAction, useLoad, useOutcome } from "./ui.jsx";
import { kstDateTime, krw } from "./format.js";

/// A partner's proposals with accept and decline.
export function ProposalsPage({ lang }) {
  const [data, alert, load] = useLoad(lang, "/member/proposals");
  const [notice, done] = useOutcome(load);
  const a = useAction(lang, done);
  const decide = (p, decision) =>
    a.send(`/member/proposals/${p.proposal_id}`, { decision }, (r) =>
      decision === "accept" ? `${t(lang, "proposal.accepted")} ${r.contract_id}` : t(lang, "proposal.declined"));
  return (
    <main id="main" class="page">
      <h1>{t(lang, "proposals.incoming")}</h1>
      <Alert text={alert || a.alert} />
      <Outcome text={notice} />
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
                  <th scope="row">{p.title}</th>
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

/// The member's contracts.
export function ContractsPage({ lang }) {
  const [data, alert] = useLoad(lang, "/member/contracts");
  return (
    <main id="main" class="page">
      <h1>{t(lang, "contracts.title")}</h1>
      <Alert text={alert} />
      {data && (data.contracts.length === 0 ? <p>{t(lang, "contracts.none")}</p> : (
        <ul class="links">
          {data.contracts.map((c) => (
            <li data-contract={c.contract_id}>
              <a href={`#/contracts/${c.contract_id}`}>{c.contract_id}</a> — {t(lang, `contract_state.${c.state}`)} · v{c.current_version} · {kstDateTime(lang, c.created_at)}
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
    done(t(lang, "contract.saved"));
  };
  return (
    <main id="main" class="page">
      <h1>{v.title}</h1>
      <Alert text={alert || confirm.alert} />
      <Outcome text={notice} />
      <dl class="facts">
        <dt>{t(lang, "request.state")}</dt>
        <dd data-field="contract-state">{t(lang, `contract_state.${data.state}`)}</dd>
        <dt>{t(lang, "contract.version")}</dt>
        <dd data-field="version">{data.current_version}</dd>
        <dt>{t(lang, "contract.amount")}</dt>
        <dd>{krw(lang, v.amount_krw)}</dd>
        <dt>{t(lang, "request.due_date_kst")}</dt>
        <dd>{v.due_date}</dd>
        <dt>{t(lang, "contract.ip")}</dt>
        <dd>{t(lang, `ip.${v.ip_clause}`)}</dd>
        <dt>{t(lang, "contract.consent")}</dt>
        <dd>{t(lang, v.portfolio_consent ? "contract.yes" : "contract.no")}</dd>
        <dt>{t(lang, "proposal.fee")}</dt>
        <dd>{(data.success_fee_bp / 100).toFixed(1)}%</dd>
        <dt>SHA-256</dt>
        <dd><code data-field="sha256">{v.sha256}</code></dd>
        <dt>{t(lang, "contract.confirmed_by")}</dt>
        <dd data-field="confirmed-by">{confirmedBy.length ? confirmedBy.join(", ") : "—"}</dd>
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
          <button type="button" onClick={() => confirm.send(`/member/contracts/${id}/complete`, {}, () => t(lang, "contract.completed_msg"))}>
            {t(lang, "contract.complete")}
          </button>
        </p>
      )}
      {data.state === "completed" && me === data.client_id && (
        <section aria-labelledby="inspection">
          <h2 id="inspection">{t(lang, "contract.inspection")}</h2>
          <p><button type="button" onClick={() => confirm.send(`/member/contracts/${id}/accept`, {}, () => t(lang, "contract.accepted_msg"))}>{t(lang, "contract.accept")}</button></p>
          <form onSubmit={(e) => { e.preventDefault(); confirm.send(`/member/contracts/${id}/defects`, { description: defect || undefined }, () => t(lang, "contract.defects_sent")); }} noValidate>
            <Area id="defect" label={t(lang, "contract.defects")} error={confirm.fields.description} value={defect} onInput={(e) => setDefect(e.currentTarget.value)} />
            <button type="submit" class="secondary">{t(lang, "contract.defects_submit")}</button>
          </form>
        </section>
      )}
      <p class="scope">{v.scope}</p>
      {data.state === "draft" && (
        <>
          <p>
            <button type="button" onClick={() => confirm.send(`/member/contracts/${id}/confirm`, { version: v.number, sha256: v.sha256 }, () => t(lang, "contract.confirmed"))}>
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
            <li data-version={x.number}>v{x.number} · {kstDateTime(lang, x.created_at)} · <code>{x.sha256}</code></li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="history">
        <h2 id="history">{t(lang, "contract.history")}</h2>
        <ol>
          {data.history.map((h) => (
            <li>{kstDateTime(lang, h.at)} · {h.action} · {h.detail}</li>
          ))}
        </ol>
      </section>
      <p><a href="#/contracts">{t(lang, "contracts.back")}</a></p>
    </main>
  );
}
