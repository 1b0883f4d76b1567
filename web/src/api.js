// The JSON API from the pages: same origin, sessions in HttpOnly cookies
// (`x-session: cookie`: the token never reaches a script), the page's
// language as Accept-Language. A problem document (RFC 9457) becomes
// { problem, fields }, fields keyed by the JSON pointer's field name so each
// message shows next to its input.
export async function api(lang, method, path, body) {
  const headers = { "x-session": "cookie", "accept-language": lang };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (_) {
    return { ok: false, status: 0, problem: null, fields: {} };
  }
  const type = res.headers.get("content-type") || "";
  const data = type.includes("json") ? await res.json() : null;
  if (res.ok) return { ok: true, status: res.status, data };
  const fields = {};
  for (const e of (data && data.errors) || []) {
    // Keyed by the whole path (`consents/1/accepted`) and by its first
    // field (`consents`): a form shows each where it belongs.
    const path = (e.pointer || "").replace(/^#\//, "");
    for (const key of [path, path.split("/")[0]]) {
      if (key && !fields[key]) fields[key] = e.detail;
    }
  }
  return { ok: false, status: res.status, problem: data, fields };
}
