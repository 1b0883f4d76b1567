//! Field encryption (rule A2), blind indexes, password hashing (rule A1) and
//! random identifiers. Pure computation: keys come from the Secrets port,
//! randomness from the Random port.

use crate::kernel::ports::{Random, Secrets};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// OWASP's minimum for argon2id (m = 19 MiB, t = 2, p = 1).
pub const ARGON2_M_KIB: u32 = 19_456;
pub const ARGON2_T: u32 = 2;
pub const ARGON2_P: u32 = 1;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("secret {0} is missing or not 32 base64 bytes")]
    Bad(&'static str),
}

/// The platform's keys, read once per request from the Secrets port.
#[derive(Clone)]
pub struct Keys {
    data: [u8; 32],
    index: [u8; 32],
    pub jwt: Vec<u8>,
    pub bootstrap_token: Option<String>,
    /// Authenticates `POST /maintenance/run` (schedulers without a cron
    /// trigger, such as `spin cron`); unset means the endpoint is off.
    pub maintenance_token: Option<String>,
}

fn key32(secrets: &dyn Secrets, name: &'static str) -> Result<[u8; 32], KeyError> {
    let raw = secrets.get(name).ok_or(KeyError::Bad(name))?;
    let bytes = STANDARD
        .decode(raw.trim())
        .map_err(|_| KeyError::Bad(name))?;
    bytes.try_into().map_err(|_| KeyError::Bad(name))
}

/// Where a sealed value lives: table, column (or the family of columns a
/// value moves between) and row, e.g. `at("members.email", id)`. Sealed
/// values are bound to it as associated data: a value copied to another
/// row, column or table does not open there.
pub fn at(place: &str, row: &str) -> String {
    format!("{place}:{row}")
}

impl Keys {
    /// # Errors
    /// When `DATA_KEY`, `INDEX_KEY` or `JWT_KEY` is missing or malformed.
    pub fn from_secrets(secrets: &dyn Secrets) -> Result<Keys, KeyError> {
        Ok(Keys {
            data: key32(secrets, "DATA_KEY")?,
            index: key32(secrets, "INDEX_KEY")?,
            jwt: key32(secrets, "JWT_KEY")?.to_vec(),
            bootstrap_token: secrets
                .get("ADMIN_BOOTSTRAP_TOKEN")
                .filter(|t| t.len() >= 16),
            maintenance_token: secrets.get("MAINTENANCE_TOKEN").filter(|t| t.len() >= 16),
        })
    }

    /// AES-256-GCM with a random 96-bit nonce; `v1.` + base64(nonce ‖ ciphertext).
    pub fn seal(&self, rng: &dyn Random, plain: &str) -> String {
        let cipher = Aes256Gcm::new_from_slice(&self.data).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rng.fill(&mut nonce);
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("encryption of a buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("v1.{}", STANDARD.encode(out))
    }

    /// # Errors
    /// When the text was not sealed with this key.
    pub fn open(&self, sealed: &str) -> Result<String, KeyError> {
        let raw = sealed
            .strip_prefix("v1.")
            .and_then(|b| STANDARD.decode(b).ok())
            .ok_or(KeyError::Bad("DATA_KEY"))?;
        if raw.len() < 12 {
            return Err(KeyError::Bad("DATA_KEY"));
        }
        let cipher = Aes256Gcm::new_from_slice(&self.data).expect("32-byte key");
        let plain = cipher
            .decrypt(Nonce::from_slice(&raw[..12]), &raw[12..])
            .map_err(|_| KeyError::Bad("DATA_KEY"))?;
        String::from_utf8(plain).map_err(|_| KeyError::Bad("DATA_KEY"))
    }

    /// AES-256-GCM bound to where the value lives: `context` (say
    /// `idempotency.body:<scope>:<key>`) is the associated data, so a
    /// value copied into another row, column or table does not open.
    /// `v2.` + base64(nonce ‖ ciphertext); `v1.` values (no context) still
    /// open with [`Keys::open`].
    pub fn seal_for(&self, rng: &dyn Random, context: &str, plain: &str) -> String {
        let cipher = Aes256Gcm::new_from_slice(&self.data).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rng.fill(&mut nonce);
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                aes_gcm::aead::Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .expect("encryption of a buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("v2.{}", STANDARD.encode(out))
    }

    /// Opens a `v2.` value sealed for this `context`.
    ///
    /// # Errors
    /// When the value is malformed, sealed for another context or with
    /// another key.
    pub fn open_for(&self, context: &str, sealed: &str) -> Result<String, KeyError> {
        let raw = sealed
            .strip_prefix("v2.")
            .and_then(|b| STANDARD.decode(b).ok())
            .filter(|r| r.len() >= 12)
            .ok_or(KeyError::Bad("DATA_KEY"))?;
        let cipher = Aes256Gcm::new_from_slice(&self.data).expect("32-byte key");
        let plain = cipher
            .decrypt(
                Nonce::from_slice(&raw[..12]),
                aes_gcm::aead::Payload {
                    msg: &raw[12..],
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| KeyError::Bad("DATA_KEY"))?;
        String::from_utf8(plain).map_err(|_| KeyError::Bad("DATA_KEY"))
    }

    /// Opens a value sealed for `context` (`v2.`), or one sealed before
    /// values were bound to their place (`v1.`, read as it was).
    ///
    /// # Errors
    /// When the value is malformed, sealed elsewhere or with another key.
    pub fn open_at(&self, context: &str, sealed: &str) -> Result<String, KeyError> {
        if sealed.starts_with("v1.") {
            self.open(sealed)
        } else {
            self.open_for(context, sealed)
        }
    }

    /// Keyed blind index for equality lookups on encrypted fields; `purpose`
    /// separates domains so equal values in different fields do not match.
    pub fn blind_index(&self, purpose: &str, value: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.index).expect("any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// argon2id PHC string (rule A1).
pub fn hash_password(rng: &dyn Random, password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    rng.fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 parameters are valid")
        .to_string()
}

pub fn verify_password(phc: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a well-formed dummy password: login compares against it when the
/// login ID is unknown, so timing does not tell whether an ID exists.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$zIrR3qYnXQ8mqt3NsYPgUUXiG6XmH6Y3Z9f2z8y0Kxk";

fn argon2() -> argon2::Argon2<'static> {
    let params = argon2::Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).expect("valid params");
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// 128-bit random identifier, URL-safe.
pub fn new_id(rng: &dyn Random, prefix: &str) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(b))
}

/// Uniform 6-digit code (rejection sampling, no modulo bias).
pub fn six_digits(rng: &dyn Random) -> String {
    loop {
        let mut b = [0u8; 4];
        rng.fill(&mut b);
        let v = u32::from_le_bytes(b);
        if v < 4_294_000_000 {
            return format!("{:06}", v % 1_000_000);
        }
    }
}

pub fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
pub(crate) mod testkit {
    use super::*;
    use std::cell::Cell;

    /// Deterministic counter-based randomness for unit tests only.
    pub struct SeqRandom(pub Cell<u8>);
    impl Random for SeqRandom {
        fn fill(&self, buf: &mut [u8]) {
            for b in buf {
                let v = self.0.get().wrapping_mul(31).wrapping_add(7);
                self.0.set(v);
                *b = v;
            }
        }
    }
    pub struct MapSecrets;
    impl Secrets for MapSecrets {
        fn get(&self, name: &str) -> Option<String> {
            let fill = match name {
                "DATA_KEY" => 1u8,
                "INDEX_KEY" => 2,
                "JWT_KEY" => 3,
                _ => return None,
            };
            Some(STANDARD.encode([fill; 32]))
        }
    }
    pub fn keys() -> Keys {
        Keys::from_secrets(&MapSecrets).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a2_sealed_values_are_bound_to_their_place_and_old_values_still_open() {
        let k = keys();
        let rng = SeqRandom(Cell::new(7));
        let email = at("members.email", "mem_a");
        let sealed = k.seal_for(&rng, &email, "a@example.kr");
        assert!(sealed.starts_with("v2."));
        assert_eq!(k.open_at(&email, &sealed).unwrap(), "a@example.kr");
        // Another row, another column, another table: it does not open.
        for elsewhere in [
            at("members.email", "mem_b"),
            at("members.phone", "mem_a"),
            at("outbox.recipient", "mem_a"),
        ] {
            assert!(k.open_at(&elsewhere, &sealed).is_err(), "{elsewhere}");
        }
        // Values sealed before places existed (`v1.`) still read.
        let old = k.seal(&rng, "old@example.kr");
        assert_eq!(k.open_at(&email, &old).unwrap(), "old@example.kr");
    }

    #[test]
    fn a2_sealed_fields_round_trip_and_hide_the_plain_text() {
        let k = keys();
        let rng = SeqRandom(Cell::new(1));
        let sealed = k.seal(&rng, "010-1234-5678 김철수");
        assert!(!sealed.contains("김철수") && !sealed.contains("1234"));
        assert_eq!(k.open(&sealed).unwrap(), "010-1234-5678 김철수");
        let again = k.seal(&rng, "010-1234-5678 김철수");
        assert_ne!(
            sealed, again,
            "random nonce: equal plain texts differ at rest"
        );
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('A');
        assert!(k.open(&tampered).is_err() || tampered == sealed);
    }

    #[test]
    fn a2_blind_index_is_keyed_deterministic_and_purpose_separated() {
        let k = keys();
        assert_eq!(
            k.blind_index("phone", "01012345678"),
            k.blind_index("phone", "01012345678")
        );
        assert_ne!(
            k.blind_index("phone", "01012345678"),
            k.blind_index("email", "01012345678")
        );
        assert!(!k.blind_index("phone", "01012345678").contains("0101"));
    }

    #[test]
    fn a1_passwords_hash_with_argon2id_at_owasp_minimum() {
        let rng = SeqRandom(Cell::new(9));
        let h = hash_password(&rng, "correct horse");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct horsf"));
        assert!(!verify_password(DUMMY_HASH, "anything"));
        assert!(!verify_password("garbage", "x"));
    }

    #[test]
    fn secrets_must_be_32_bytes() {
        struct Short;
        impl Secrets for Short {
            fn get(&self, _: &str) -> Option<String> {
                Some(STANDARD.encode([0u8; 16]))
            }
        }
        assert!(Keys::from_secrets(&Short).is_err());
    }

    #[test]
    fn s3_six_digit_codes_are_six_digits() {
        let rng = SeqRandom(Cell::new(3));
        for _ in 0..50 {
            let c = six_digits(&rng);
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
