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
    "signup.start": "회원 가입",
    "signup.terms_title": "약관 동의",
    "signup.kind": "가입 유형",
    "signup.kind_partner": "파트너 (일을 맡는 회사)",
    "signup.kind_client": "클라이언트 (일을 맡기는 회사)",
    "signup.agree_required": "위 내용에 동의합니다 (필수)",
    "signup.agree_optional": "위 내용에 동의합니다 (선택)",
    "signup.version": "판",
    "signup.over_14": "만 14세 이상입니다 (필수)",
    "signup.next": "다음",
    "signup.company_next": "휴대전화 인증을 마쳤습니다. 회사 정보 입력 화면은 곧 제공됩니다.",
    "contact.title": "담당자 정보",
    "contact.login_id": "아이디 (영문 소문자·숫자·_ 4–20자)",
    "contact.password": "비밀번호 (8자 이상)",
    "contact.password_confirm": "비밀번호 확인",
    "contact.name": "이름",
    "contact.mobile": "휴대전화 번호",
    "contact.email": "이메일",
    "phone.title": "휴대전화 인증",
    "phone.explain": "입력한 번호로 6자리 인증번호를 보냅니다.",
    "phone.send": "인증번호 받기",
    "phone.resend": "다시 받기",
    "phone.sent": "인증번호를 보냈습니다. 3분 안에 입력해 주세요.",
    "phone.code": "인증번호 6자리",
    "phone.verify": "확인",
    "phone.done": "휴대전화 인증 완료",
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
    "signup.start": "Sign up",
    "signup.terms_title": "Terms and consents",
    "signup.kind": "Type of member",
    "signup.kind_partner": "Partner (takes on work)",
    "signup.kind_client": "Client (gives out work)",
    "signup.agree_required": "I agree to the above (required)",
    "signup.agree_optional": "I agree to the above (optional)",
    "signup.version": "version",
    "signup.over_14": "I am 14 or older (required)",
    "signup.next": "Next",
    "signup.company_next": "Your mobile number is verified. The company information page is coming soon.",
    "contact.title": "Contact person",
    "contact.login_id": "Login ID (4–20 of a–z, 0–9, _)",
    "contact.password": "Password (8 characters or more)",
    "contact.password_confirm": "Password again",
    "contact.name": "Name",
    "contact.mobile": "Mobile number",
    "contact.email": "E-mail",
    "phone.title": "Verify your mobile number",
    "phone.explain": "We send a 6-digit code to the number you entered.",
    "phone.send": "Send the code",
    "phone.resend": "Send again",
    "phone.sent": "The code is on its way. Enter it within 3 minutes.",
    "phone.code": "6-digit code",
    "phone.verify": "Verify",
    "phone.done": "Mobile number verified",
  },
};

export function t(lang, key) {
  return (TEXTS[lang] && TEXTS[lang][key]) || TEXTS.ko[key] || key;
}
