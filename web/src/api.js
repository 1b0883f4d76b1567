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
  // A session that ended (expired, revoked): the app shows its sign-in.
  if (res.status === 401) dispatchEvent(new Event("session-ended"));
  return { ok: false, status: res.status, problem: data, fields: fieldsOf(data) };
}

/// A problem document's messages by field: keyed by the whole pointer path
/// (`consents/1/accepted`) and by its first field (`consents`), so a form
/// shows each where it belongs.
function fieldsOf(data) {
  const fields = {};
  for (const e of (data && data.errors) || []) {
    const path = (e.pointer || "").replace(/^#\//, "");
    for (const key of [path, path.split("/")[0]]) {
      if (key && !fields[key]) fields[key] = e.detail;
    }
  }
  return fields;
}

/// A file upload with progress: `onProgress(percent)` as the bytes go out
/// (fetch cannot report upload progress; XMLHttpRequest can). The result
/// has the same shape as `api`'s.
export function upload(lang, path, file, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", path);
    xhr.setRequestHeader("x-session", "cookie");
    xhr.setRequestHeader("accept-language", lang);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch (_) {}
      if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true, status: xhr.status, data });
      else resolve({ ok: false, status: xhr.status, problem: data, fields: fieldsOf(data) });
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, problem: null, fields: {} });
    onProgress(0);
    xhr.send(file);
  });
}

/// Fetches a file the session may read (the cookie is honoured only with
/// `x-session`, which a plain link cannot send) and saves it as `name`.
export async function download(lang, path, name) {
  const res = await fetch(path, { headers: { "x-session": "cookie", "accept-language": lang }, credentials: "same-origin" });
  if (!res.ok) return false;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return true;
}
