// Dates in Korea Standard Time and amounts in won, whatever the browser's
// own time zone: the platform's days, deadlines and bills are KST.
const ZONE = "Asia/Seoul";

/// An instant (RFC 3339) as a KST date and time in the page's language.
export function kstDateTime(lang, iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const text = new Intl.DateTimeFormat(lang === "ko" ? "ko-KR" : "en-GB", {
    timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
  }).format(d);
  return `${text} KST`;
}

/// Today's KST calendar day, `YYYY-MM-DD` (what the attendance view asks for).
export function kstToday(now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/// An amount in Korean won: `₩500,000` (no minor unit).
export function krw(lang, amount) {
  return new Intl.NumberFormat(lang === "ko" ? "ko-KR" : "en-US", { style: "currency", currency: "KRW", maximumFractionDigits: 0 }).format(amount);
}

/// A byte count for people: KB or MB.
export function size(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/// A terminal's time (RFC 3339 with its offset) as the KST time of day,
/// `HH:MM`.
export function kstTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
}

/// A business registration number as `000-00-00000`.
export function brn(n) {
  const d = (n || "").replace(/\D/g, "");
  return d.length === 10 ? `${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}` : n || "—";
}
