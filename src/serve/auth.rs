//! Who may do what: API tokens (only their SHA-256 is stored), browser sessions made by a
//! login with the same tokens, CSRF tokens for every form, and a login rate limit.
//!
//! A token is `kensa_` and 43 characters of base64url (32 random bytes from ring's system
//! randomness): high-entropy, so one SHA-256 is the right way to store it (there is nothing to
//! guess, so no slow password hash is needed). Tokens are never logged: the service logs no
//! request headers and no form fields.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use ring::rand::SecureRandom as _;
use serde::Serialize;

/// A role of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything.
    Viewer,
    /// Also starts re-checks.
    Evaluator,
    /// Also edits the catalog and reads the audit log.
    Admin,
}

impl Role {
    /// Parse `viewer`, `evaluator` or `admin`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "viewer" => Some(Self::Viewer),
            "evaluator" => Some(Self::Evaluator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    /// The role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Evaluator => "evaluator",
            Self::Admin => "admin",
        }
    }
}

/// Who is asking.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The token's number.
    pub token_id: i64,
    /// Its role.
    pub role: Role,
    /// For a browser session: its CSRF token (forms must send it back).
    pub csrf: Option<String>,
}

impl Principal {
    /// How the audit log names this principal.
    pub fn actor(&self) -> String {
        format!("token #{} ({})", self.token_id, self.role.as_str())
    }
}

/// `n` random bytes as base64url without padding.
pub fn random_b64(n: usize) -> String {
    let mut b = vec![0u8; n];
    // SystemRandom fails only without an OS randomness source; a zero token is then refused
    // at creation below rather than handed out.
    let _ = ring::rand::SystemRandom::new().fill(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// A new API token (the secret, shown once).
pub fn new_token() -> String {
    format!("kensa_{}", random_b64(32))
}

/// The SHA-256 (hex) a token is stored as.
pub fn token_hash(token: &str) -> String {
    crate::evidence::sha256_hex(token.as_bytes())
}

/// Compare two strings in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How long a browser session lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);

/// Login attempts one client address may make per [`LOGIN_WINDOW`].
pub const LOGIN_ATTEMPTS: u32 = 10;
/// The window of the login rate limit.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct Session {
    token_id: i64,
    role: Role,
    csrf: String,
    expires: Instant,
}

/// Browser sessions (in memory: a restart logs everyone out) and the login rate limit.
#[derive(Debug, Default)]
pub struct Sessions {
    by_hash: Mutex<HashMap<String, Session>>,
    attempts: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Sessions {
    /// Start a session for a token; returns the cookie value.
    pub fn create(&self, token_id: i64, role: Role) -> String {
        let sid = random_b64(32);
        if let Ok(mut m) = self.by_hash.lock() {
            let now = Instant::now();
            m.retain(|_, s| s.expires > now);
            m.insert(
                token_hash(&sid),
                Session {
                    token_id,
                    role,
                    csrf: random_b64(32),
                    expires: now + SESSION_TTL,
                },
            );
        }
        sid
    }

    /// The session of a cookie value, if live.
    pub fn get(&self, sid: &str) -> Option<Principal> {
        let m = self.by_hash.lock().ok()?;
        let s = m.get(&token_hash(sid))?;
        (s.expires > Instant::now()).then(|| Principal {
            token_id: s.token_id,
            role: s.role,
            csrf: Some(s.csrf.clone()),
        })
    }

    /// End a session.
    pub fn remove(&self, sid: &str) {
        if let Ok(mut m) = self.by_hash.lock() {
            m.remove(&token_hash(sid));
        }
    }

    /// Count a login attempt from `ip`; false when over the limit.
    pub fn login_allowed(&self, ip: IpAddr) -> bool {
        let Ok(mut m) = self.attempts.lock() else {
            return false;
        };
        let now = Instant::now();
        m.retain(|_, (start, _)| now.duration_since(*start) < LOGIN_WINDOW);
        let e = m.entry(ip).or_insert((now, 0));
        e.1 = e.1.saturating_add(1);
        e.1 <= LOGIN_ATTEMPTS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed_and_sessions_expire_with_their_map() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with("kensa_") && a.len() == 6 + 43, "{a}");
        assert_eq!(token_hash(&a).len(), 64);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
        let s = Sessions::default();
        let sid = s.create(3, Role::Viewer);
        let p = s.get(&sid).unwrap();
        assert_eq!((p.token_id, p.role), (3, Role::Viewer));
        assert!(s.get("nope").is_none());
        s.remove(&sid);
        assert!(s.get(&sid).is_none());
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..LOGIN_ATTEMPTS {
            assert!(s.login_allowed(ip));
        }
        assert!(!s.login_allowed(ip));
        assert!(s.login_allowed("127.0.0.2".parse().unwrap()));
    }
}
