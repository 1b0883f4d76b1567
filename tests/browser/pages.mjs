// Browser tests of the web pages: headless Chromium from Debian's package,
// driven by playwright-core (no browser download), against the platform the
// Rust harness started (tests/tests/browser.rs passes the addresses and
// accounts in the environment). Each page is checked with axe-core for
// WCAG 2.1 A/AA, must run under its Content-Security-Policy without a
// violation, and is kept as a screenshot per language and width in
// $ARTIFACTS (not committed). Exits non-zero on the first failure.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const BASE = env("BASE_URL");
const ARTIFACTS = env("ARTIFACTS");
mkdirSync(ARTIFACTS, { recursive: true });
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const HANGUL = /[\uac00-\ud7a3]/;
const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

function check(ok, what) {
  if (!ok) throw new Error(`failed: ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/// A fresh browser context in `lang` (the browser's preference) and width.
async function open(lang, width = "desktop") {
  const context = await browser.newContext({ locale: lang === "ko" ? "ko-KR" : "en-US", viewport: WIDTHS[width] });
  const page = await context.newPage();
  page.violations = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) page.violations.push(m.text());
  });
  page.on("pageerror", (e) => page.violations.push(`page error: ${e.message}`));
  return { context, page };
}

/// axe-core on the page as it is now: no WCAG 2.1 A/AA violation.
async function accessible(page, name) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const found = r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  check(found.length === 0, `${name} has accessibility violations: ${found.join("; ")}`);
  check(page.violations.length === 0, `${name}: ${page.violations.join("; ")}`);
}

/// Screenshots of the page in both widths (same language, same state).
async function keep(page, name) {
  for (const [w, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${ARTIFACTS}/${name}-${w}.png`, fullPage: true });
  }
  await page.setViewportSize(WIDTHS.desktop);
}

const steps = [];
async function step(name, f) {
  await f();
  steps.push(name);
  console.log(`ok - ${name}`);
}

try {
  for (const lang of ["ko", "en"]) {
    await step(`landing (${lang})`, async () => {
      const { context, page } = await open(lang);
      await page.goto(`${BASE}/`);
      await accessible(page, "landing");
      await keep(page, `landing-${lang}`);
      await context.close();
    });
  }

  await step("member sign-in: field and sign-in errors in Korean, then English", async () => {
    const { context, page } = await open("ko");
    await page.goto(`${BASE}/app/`);
    await page.getByRole("heading", { name: "로그인" }).waitFor();
    // Empty fields: the API's 422 pointers put each message under its field.
    await page.getByRole("button", { name: "로그인" }).click();
    const idError = page.locator("#login_id-error");
    await idError.waitFor();
    check(HANGUL.test(await idError.textContent()), "the field message is Korean");
    check((await page.locator("#login_id").getAttribute("aria-invalid")) === "true", "the field is marked invalid");
    await accessible(page, "member sign-in with errors (ko)");
    await keep(page, "member-signin-error-ko");
    // The same in English after switching.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    check((await page.evaluate(() => document.documentElement.lang)) === "en", "html lang follows");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForFunction(() => !/[\uac00-\ud7a3]/.test(document.querySelector("#login_id-error")?.textContent || "가"));
    // A wrong password: one message for the form, in English.
    await page.getByLabel("Login ID").fill(env("MEMBER_LOGIN"));
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    check(!HANGUL.test(await alert.textContent()), "the sign-in problem is English");
    await accessible(page, "member sign-in with errors (en)");
    await keep(page, "member-signin-error-en");
    await context.close();
  });

  await step("an applicant consents, enters the contact person and verifies the phone with the code it was sent", async () => {
    const { context, page } = await open("ko");
    await page.goto(`${BASE}/app/#/signup`);
    await page.getByRole("heading", { name: "약관 동의" }).waitFor();
    // The documents in full (as GET /terms gave them), each a
    // keyboard-scrollable region.
    await page.locator(".document").nth(3).waitFor();
    check((await page.locator(".document").count()) === 4, "four documents shown");
    check((await page.locator(".document-text[role=region][tabindex=\"0\"]").count()) === 4, "each text is a focusable region");
    // Required consents missing and under 14: the messages show where they belong.
    await page.getByRole("button", { name: "다음" }).click();
    await page.locator("#over_14-error").waitFor();
    check(await page.locator("#consent-0-error").isVisible(), "the terms' message shows at its checkbox");
    await accessible(page, "signup terms with errors (ko)");
    await keep(page, "signup-terms-error-ko");
    for (const box of await page.locator('input[type="checkbox"]').all()) await box.check();
    await page.getByRole("button", { name: "다음" }).click();
    await page.getByRole("heading", { name: "담당자 정보" }).waitFor();
    check(!(await page.evaluate(() => document.cookie)).includes("mp_signup"), "the signup token is HttpOnly");
    // A bad mobile number: the message under the field, in Korean.
    const loginId = `web${Date.now() % 1000000000}`;
    const mobile = `010-${String(Date.now() % 10000).padStart(4, "0")}-${String(Math.floor(Math.random() * 10000)).padStart(4, "0")}`;
    await page.locator("#login_id").fill(loginId);
    await page.locator("#password").fill("correct horse battery staple");
    await page.locator("#password_confirm").fill("correct horse battery staple");
    await page.locator("#name").fill("김담당");
    await page.locator("#mobile").fill("02-123-4567");
    await page.locator("#email").fill(`${loginId}@example.co.kr`);
    await page.getByRole("button", { name: "다음" }).click();
    await page.locator("#mobile-error").waitFor();
    check(HANGUL.test(await page.locator("#mobile-error").textContent()), "the mobile message is Korean");
    await accessible(page, "signup contact with errors (ko)");
    await keep(page, "signup-contact-error-ko");
    await page.locator("#mobile").fill(mobile);
    await page.getByRole("button", { name: "다음" }).click();
    await page.getByRole("heading", { name: "휴대전화 인증" }).waitFor();
    await page.getByRole("button", { name: "인증번호 받기" }).click();
    await page.locator("#code").waitFor();
    // The code as the SMS provider got it (the harness's receiver).
    const digits = mobile.replace(/\D/g, "");
    let code = null;
    for (let i = 0; i < 600 && !code; i++) {
      const got = await (await fetch(`${env("RECEIVER_URL")}/messages`)).json();
      const sms = got.filter((m) => m.channel === "sms" && m.to === digits).pop();
      code = sms && (sms.text.match(/\b\d{6}\b/) || [])[0];
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    check(code, "the code reached the SMS provider");
    await page.locator("#code").fill(code);
    await accessible(page, "signup phone (ko)");
    await keep(page, "signup-phone-ko");
    await page.getByRole("button", { name: "확인" }).click();
    // The application's status: what is done and what comes next (S1).
    await page.getByRole("heading", { name: "가입 신청 현황" }).waitFor();
    const next = page.locator('[data-field="next"]');
    await next.waitFor();
    check((await next.textContent()) === "회사 정보 입력", "the next step is the company information");
    check((await page.locator('[data-field="status"]').textContent()) === "작성 중", "still in progress");
    check(!(await page.locator("main").textContent()).includes("doc."), "every document kind is named");
    await accessible(page, "signup status (ko)");
    await keep(page, "signup-status-ko");
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Your application" }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-field="next"]')?.textContent === "Enter the company information");
    await accessible(page, "signup status (en)");
    await keep(page, "signup-status-en");
    await context.close();
  });

  for (const lang of ["ko", "en"]) {
    await step(`member signs in and sees its account (${lang}); the session is out of scripts' reach`, async () => {
      const { context, page } = await open(lang);
      await page.goto(`${BASE}/app/`);
      await page.locator("#login_id").fill(env("MEMBER_LOGIN"));
      await page.locator("#password").fill(env("MEMBER_PASSWORD"));
      await page.locator("form button[type=submit]").click();
      const id = page.locator('[data-field="me.login_id"]');
      await id.waitFor();
      check((await id.textContent()) === env("MEMBER_LOGIN"), "the account shows the login ID");
      check((await page.locator('[data-field="me.status"]').textContent()) === "active", "the member is active");
      check(!(await page.evaluate(() => document.cookie)).includes("mp_member"), "the session cookie is HttpOnly");
      await accessible(page, `member account (${lang})`);
      await keep(page, `member-account-${lang}`);
      // A reload keeps the session (the cookie), signing out ends it.
      await page.reload();
      await id.waitFor();
      await page.locator("header button.secondary:not([lang])").click();
      await page.locator("#login_id").waitFor();
      await page.reload();
      await page.locator("#login_id").waitFor();
      await context.close();
    });
  }

  for (const lang of ["ko", "en"]) {
    await step(`staff sign in and see their role (${lang})`, async () => {
      const { context, page } = await open(lang);
      await page.goto(`${BASE}/staff/`);
      await page.locator("#login_id").waitFor();
      await accessible(page, `staff sign-in (${lang})`);
      await keep(page, `staff-signin-${lang}`);
      await page.locator("#login_id").fill(env("STAFF_LOGIN"));
      await page.locator("#password").fill(env("STAFF_PASSWORD"));
      await page.locator("form button[type=submit]").click();
      const role = page.locator('[data-field="role"]');
      await role.waitFor();
      check((await role.textContent()) === (lang === "ko" ? "심사 담당" : "Reviewer"), "the role is shown");
      check(!(await page.evaluate(() => document.cookie)).includes("mp_admin"), "the staff cookie is HttpOnly");
      await accessible(page, `staff dashboard (${lang})`);
      await keep(page, `staff-dashboard-${lang}`);
      await context.close();
    });
  }
  console.log(`${steps.length} browser checks passed; screenshots in ${ARTIFACTS}`);
} finally {
  await browser.close();
}
