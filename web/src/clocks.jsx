// Open deadlines (one clock for every deadline): overdue first, then due
// today, this week and later, KST days. The staff dashboard's first page
// shows the kinds the admin's role watches; the member's account page its
// own, those it must act on and those it waits on. Each row links to its
// record (`link` turns `<type>/<id>` into the app's address, or nothing).
import { t } from "./i18n.js";
import { Alert, useLoad } from "./ui.jsx";
import { kstDateTime } from "./format.js";

const BUCKETS = ["overdue", "today", "this_week", "later"];

/// What a clock is about, in words: the contract with the other company
/// (staff: both), or a member's capability information. Never an id.
function described(lang, c, staff) {
  const type = c.record.split("/")[0];
  if (type === "contract") {
    if (staff) return t(lang, "clocks.record_contract_staff").replace("{a}", c.actor_company || "—").replace("{b}", c.party_company || "—");
    return t(lang, "clocks.record_contract").replace("{company}", (c.yours ? c.party_company : c.actor_company) || "—");
  }
  if (type === "privacy-request") {
    return staff ? `${t(lang, "clocks.record_privacy")} · ${c.party_company || "—"}` : t(lang, "clocks.record_privacy");
  }
  return t(lang, "clocks.record_member").replace("{company}", c.actor_company || "—");
}

export function Clocks({ lang, path, link, staff }) {
  const [data, alert] = useLoad(lang, path);
  return (
    <section aria-labelledby="clocks-title" data-section="clocks">
      <h2 id="clocks-title">{t(lang, "clocks.title")}</h2>
      <Alert text={alert} />
      {data && (
        <>
          <ul class="counts" aria-label={t(lang, "clocks.counts")}>
            {BUCKETS.map((b) => <li data-count={b}>{t(lang, `clocks.${b}`)}: <strong>{data.counts[b]}</strong></li>)}
          </ul>
          {data.clocks.length === 0 ? <p>{t(lang, "clocks.empty")}</p> : (
            <div class="scroll">
              <table data-table="clocks">
                <caption class="visually-hidden">{t(lang, "clocks.title")}</caption>
                <thead><tr>
                  <th scope="col">{t(lang, "clocks.when")}</th>
                  <th scope="col">{t(lang, "clocks.kind")}</th>
                  <th scope="col">{t(lang, "clocks.record")}</th>
                  <th scope="col">{t(lang, staff ? "clocks.actor" : "clocks.who")}</th>
                  <th scope="col">{t(lang, "clocks.last_day")}</th>
                </tr></thead>
                <tbody>
                  {data.clocks.map((c) => {
                    const href = link(c);
                    return (
                      <tr data-clock={c.clock_id} data-bucket={c.bucket} class={c.bucket === "overdue" ? "overdue" : undefined}>
                        <td>{t(lang, `clocks.${c.bucket}`)}</td>
                        <td>{t(lang, `clock_kind.${c.kind}`)}</td>
                        <th scope="row">{href ? <a href={href}>{described(lang, c, staff)}</a> : described(lang, c, staff)}</th>
                        <td>{staff ? c.actor_company || c.actor : t(lang, c.yours ? "clocks.yours" : "clocks.theirs")}</td>
                        <td>{c.due_day} <span class="hint">({t(lang, "clocks.ends")} {kstDateTime(lang, c.due_at)})</span></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {data.more && <p>{t(lang, "clocks.more")}</p>}
        </>
      )}
    </section>
  );
}
