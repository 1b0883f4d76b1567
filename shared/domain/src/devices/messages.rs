//! Korean and English texts of the devices area's messages.

use crate::kernel::i18n::Message;

/// (key, Korean, English)
pub const MESSAGES: &[Message] = &[
    (
        "detail.device_limit",
        "계약한 단말기 수를 넘었습니다.",
        "The contract's device count is reached.",
    ),
    (
        "detail.terminal_conflict",
        "이미 등록된 단말기 일련번호이거나 단말기 수를 넘었습니다.",
        "This serial is already registered, or the device count is reached.",
    ),
    (
        "detail.terminal_unknown",
        "등록되지 않은 단말기입니다.",
        "Unknown terminal.",
    ),
    (
        "detail.member_suspended",
        "이용이 정지된 회원사의 단말기입니다.",
        "This terminal's member company is suspended.",
    ),
    (
        "detail.terminal_suspended",
        "사용이 중지된 단말기입니다.",
        "This terminal is suspended.",
    ),
    (
        "detail.signature",
        "서명이 올바르지 않습니다.",
        "The signature does not match.",
    ),
    (
        "detail.timestamp",
        "요청 시각이 허용 범위(±5분)를 벗어났습니다.",
        "The timestamp is outside the allowed ±5 minutes.",
    ),
    (
        "field.code_text",
        "1~64자의 영문·숫자·기호여야 합니다.",
        "Must be 1–64 visible ASCII characters.",
    ),
    (
        "field.records_count",
        "기록은 1~1000건이어야 합니다.",
        "Send 1 to 1000 records.",
    ),
    (
        "field.unknown_site",
        "알 수 없는 현장입니다.",
        "Unknown site.",
    ),
    (
        "field.action",
        "trial, waive, payment 중 하나여야 합니다.",
        "Must be trial, waive or payment.",
    ),
    (
        "detail.shard_unbound",
        "옮길 출퇴근 기록의 샤드가 연결되어 있지 않습니다",
        "The shard the records are in is not bound",
    ),
    (
        "field.unknown_member",
        "알 수 없는 회원사입니다",
        "Unknown member company",
    ),
    (
        "field.shard_count",
        "샤드 수는 1에서 64 사이여야 합니다",
        "The shard count must be from 1 to 64",
    ),
];
