// Korean and English for every page. The language follows the browser
// (navigator.languages) until the person picks one; the choice is kept in
// localStorage (it is not secret). API calls send it as Accept-Language, so
// problem documents come back in the same language.
const KEY = "lang";

export function initialLang() {
  const saved = localStorage.getItem(KEY);
  if (saved === "ko" || saved === "en") return saved;
  const first = (navigator.languages || [navigator.language || "ko"])[0] || "ko";
  return first.toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function saveLang(lang) {
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

const TEXTS = {
  ko: {
    "brand.member": "멤버 플랫폼",
    "brand.staff": "멤버 플랫폼 운영",
    "lang.label": "언어",
    "login.title": "로그인",
    "login.staff_title": "운영자 로그인",
    "login.id": "아이디",
    "login.password": "비밀번호",
    "login.submit": "로그인",
    "login.busy": "확인 중…",
    "logout": "로그아웃",
    "me.title": "내 정보",
    "me.company": "회사",
    "me.contact": "담당자",
    "me.login_id": "아이디",
    "me.email": "이메일",
    "me.mobile": "휴대전화",
    "me.status": "상태",
    "staff.title": "운영 대시보드",
    "staff.role": "역할",
    "role.reviewer": "심사 담당",
    "role.mediator": "분쟁 조정",
    "role.privacy_officer": "개인정보 보호책임",
    "role.billing": "정산 담당",
    "role.auditor": "감사",
    "role.owner": "소유자",
    "error.network": "서버에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요.",
  },
  en: {
    "brand.member": "Member Platform",
    "brand.staff": "Member Platform Staff",
    "lang.label": "Language",
    "login.title": "Sign in",
    "login.staff_title": "Staff sign in",
    "login.id": "Login ID",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.busy": "Checking…",
    "logout": "Sign out",
    "me.title": "My account",
    "me.company": "Company",
    "me.contact": "Contact person",
    "me.login_id": "Login ID",
    "me.email": "E-mail",
    "me.mobile": "Mobile",
    "me.status": "Status",
    "staff.title": "Staff dashboard",
    "staff.role": "Role",
    "role.reviewer": "Reviewer",
    "role.mediator": "Mediator",
    "role.privacy_officer": "Privacy officer",
    "role.billing": "Billing",
    "role.auditor": "Auditor",
    "role.owner": "Owner",
    "error.network": "Could not reach the server. Please try again shortly.",
  },
};

export function t(lang, key) {
  return (TEXTS[lang] && TEXTS[lang][key]) || TEXTS.ko[key] || key;
}
