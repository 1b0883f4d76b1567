//! What the HTTP targets serve, made once per run and never stale: the
//! build stamps' check (`scripts/build-stamp.sh`), and the migrated local
//! databases every `wrangler dev` starts from (a template copied per server).

use crate::root;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Fails when the build `kind` (`spin`, `spin-host`) of `flavour` whose
/// stamp is `stamp` (under the project) is missing or older than its inputs
/// (scripts/build-stamp.sh): the tests serve builds made once per run and
/// never a stale one.
pub(crate) fn check_build(kind: &str, flavour: &str, stamp: &str) {
    succeed(
        Command::new("bash")
            .arg(root().join("scripts/build-stamp.sh"))
            .args(["check", kind, flavour])
            .arg(root().join(stamp)),
        "the build check",
    );
}

/// Runs `cmd` (a project script or tool) and fails, with what it wrote to
/// stderr, unless it succeeds.
pub(crate) fn succeed(cmd: &mut Command, what: &str) {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The local databases of a fresh `wrangler dev` (the main one marked, and
/// every attendance shard) with the migrations applied: made once per set
/// of migrations, wrangler version and config (five `wrangler d1` runs),
/// under `target/e2e-d1/`, and copied for each server (`copy_dir`).
pub(crate) fn d1_template() -> PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            use sha2::Digest;
            let root = root();
            let mut hash = sha2::Sha256::new();
            let mut migrations: Vec<PathBuf> = std::fs::read_dir(root.join("migrations"))
                .expect("migrations/")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect();
            migrations.sort();
            for file in migrations
                .iter()
                .chain([
                    &root.join("wrangler.toml"),
                    &root.join("node_modules/wrangler/package.json"),
                ])
            {
                hash.update(file.to_string_lossy().as_bytes());
                hash.update(std::fs::read(file).expect("a template input"));
            }
            let key: String = hash.finalize()[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let dir = root.join("target/e2e-d1").join(key);
            if dir.join("v3").is_dir() {
                return dir;
            }
            let tmp = root
                .join("target/e2e-d1")
                .join(format!("tmp-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&tmp);
            std::fs::create_dir_all(&tmp).expect("target/e2e-d1");
            let d1 = |args: &[&str]| {
                succeed(
                    Command::new("bash")
                        .arg("-c")
                        .arg(r#"source scripts/env.sh && exec wrangler d1 "$@" --local --persist-to "$TEMPLATE""#)
                        .arg("d1")
                        .args(args)
                        .env("TEMPLATE", &tmp)
                        .current_dir(&root),
                    &format!("wrangler d1 {args:?} (run scripts/setup.sh first)"),
                );
            };
            // The main database and every attendance shard get the same
            // migrations; the main one is then marked so tests can find its
            // file.
            for binding in [
                "DB",
                "ATT_SHARD_0",
                "ATT_SHARD_1",
                "ATT_SHARD_2",
                "ATT_SHARD_3",
            ] {
                d1(&["migrations", "apply", binding]);
            }
            d1(&[
                "execute",
                "DB",
                "--command",
                "INSERT INTO dev_switches (name, value) VALUES ('database', 'main')",
            ]);
            // Each file whole (its write-ahead log folded in), so a copy is
            // a database on its own.
            for file in std::fs::read_dir(tmp.join("v3/d1/miniflare-D1DatabaseObject"))
                .expect("the template's databases")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
            {
                let conn = rusqlite::Connection::open(&file).expect("a template database");
                conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
                    .expect("checkpoint");
            }
            // Made whole or not at all: another run may have made it meanwhile.
            if std::fs::rename(&tmp, &dir).is_err() {
                let _ = std::fs::remove_dir_all(&tmp);
                assert!(dir.join("v3").is_dir(), "the D1 template {}", dir.display());
            }
            dir
        })
        .clone()
}

/// Copies the folder `from` into `to`, recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from)
        .expect("read a folder")
        .filter_map(Result::ok)
    {
        let target = to.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// The fingerprint test adds a file to the sources for a moment: the
    /// tests here take turns.
    static SOURCES: Mutex<()> = Mutex::new(());

    fn stamp(args: &[&str]) -> std::process::Output {
        Command::new("bash")
            .arg(root().join("scripts/build-stamp.sh"))
            .args(args)
            .output()
            .expect("bash runs")
    }

    fn fingerprint(kind: &str) -> String {
        let out = stamp(&["print", kind]);
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .expect("hex")
            .trim()
            .to_owned()
    }

    /// A served build is checked against its inputs: fresh passes; another
    /// fingerprint, another flavour or no stamp fails and names the command
    /// that rebuilds it.
    #[test]
    fn a_stale_or_missing_build_is_refused() {
        let _turn = SOURCES.lock().unwrap_or_else(|e| e.into_inner());
        let dir = std::env::temp_dir().join(format!("e2e-stamp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(".inputs");
        let path = file.to_string_lossy().into_owned();
        let check = |kind: &str, flavour: &str| stamp(&["check", kind, flavour, &path]);
        for kind in ["worker", "spin", "spin-host"] {
            let fresh = fingerprint(kind);
            assert_eq!(fresh.len(), 64, "{kind}: {fresh}");
            let out = stamp(&["write", kind, "dev", &path, &fresh]);
            assert!(out.status.success());
            assert!(check(kind, "dev").status.success(), "{kind}: fresh");
            let other = check(kind, "release");
            assert!(!other.status.success(), "{kind}: another flavour passed");
            let stale = format!("{}0", &fresh[..63]);
            let stale = if stale == fresh {
                format!("{}1", &fresh[..63])
            } else {
                stale
            };
            stamp(&["write", kind, "dev", &path, &stale]);
            let out = check(kind, "dev");
            assert!(!out.status.success(), "{kind}: a stale build passed");
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(
                said.contains("stale") && said.contains("bash scripts/build-"),
                "{said}"
            );
        }
        std::fs::remove_file(&file).expect("remove the stamp");
        let out = check("worker", "dev");
        assert!(!out.status.success(), "a missing build passed");
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("WORKER_DEV=1 bash scripts/build-worker.sh"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The fingerprint covers the sources: a new file under `shared/`
    /// changes the Workers' and the components' fingerprints, and a build
    /// folder's own files change none.
    #[test]
    fn the_fingerprint_follows_the_sources_not_the_outputs() {
        let _turn = SOURCES.lock().unwrap_or_else(|e| e.into_inner());
        let before = (fingerprint("worker"), fingerprint("spin"));
        let probe = root().join(format!("shared/.stamp-probe-{}", std::process::id()));
        struct Remove(PathBuf);
        impl Drop for Remove {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }
        std::fs::write(&probe, b"probe").expect("write a probe");
        let guard = Remove(probe);
        let during = (fingerprint("worker"), fingerprint("spin"));
        drop(guard);
        assert_ne!(
            before.0, during.0,
            "the Workers' fingerprint ignored a source"
        );
        assert_ne!(
            before.1, during.1,
            "the components' fingerprint ignored a source"
        );
        assert_eq!(before, (fingerprint("worker"), fingerprint("spin")));
        let out_dir = root().join(format!(
            "functions/worker/build-probe-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&out_dir).expect("a build folder");
        std::fs::write(out_dir.join("index.js"), b"built").expect("an output");
        let with_output = fingerprint("worker");
        let _ = std::fs::remove_dir_all(&out_dir);
        assert_eq!(before.0, with_output, "a build output counted as an input");
    }
}
