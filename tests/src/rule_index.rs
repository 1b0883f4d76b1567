//! Each area's `mod.rs` keeps a table: rule → file → tests. The tests column
//! names test patterns (`c9_*`) and where they are (`here`, a path). This
//! checks the table against the code: every pattern names tests that exist
//! in one of the places its row lists, and every place listed holds one of
//! the row's patterns, so the index never points at tests that are not
//! there.

use std::path::{Path, PathBuf};

/// Rows of an area's table: (rule text, tests column).
fn rows(mod_rs: &str) -> Vec<(String, String)> {
    mod_rs
        .lines()
        .filter_map(|l| l.strip_prefix("//! |"))
        .filter(|l| !l.starts_with("---") && !l.starts_with(" rule "))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() >= 3).then(|| (cells[0].to_owned(), cells[2].to_owned()))
        })
        .collect()
}

/// Backticked items of a cell.
fn ticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The source files a place names: `here` (the area's folder), a path in
/// the project, or one relative to the domain crate's `src`.
fn files(root: &Path, area: &Path, place: &str) -> Vec<PathBuf> {
    let candidates = if place == "here" {
        vec![area.to_path_buf()]
    } else {
        vec![root.join(place), root.join("shared/domain/src").join(place)]
    };
    let mut out = Vec::new();
    for c in candidates {
        if c.is_file() {
            out.push(c);
        } else if c.is_dir() {
            let mut stack = vec![c];
            while let Some(dir) = stack.pop() {
                for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "rs") {
                        out.push(p);
                    }
                }
            }
        }
    }
    out
}

fn holds(files: &[PathBuf], pattern: &str) -> bool {
    let prefix = format!("fn {}", pattern.trim_end_matches('*'));
    files
        .iter()
        .any(|f| std::fs::read_to_string(f).is_ok_and(|s| s.contains(&prefix)))
}

/// What is wrong with the index of `area` (empty when it holds).
pub fn check(root: &Path, area: &str) -> Vec<String> {
    let dir = root.join("shared/domain/src").join(area);
    let text = std::fs::read_to_string(dir.join("mod.rs")).expect("the area's mod.rs");
    let mut wrong = Vec::new();
    for (rule, tests) in rows(&text) {
        let items = ticked(&tests);
        let patterns: Vec<&str> = items
            .iter()
            .copied()
            .filter(|t| t.ends_with("_*"))
            .collect();
        let mut places: Vec<&str> = items
            .iter()
            .copied()
            .filter(|t| !t.ends_with("_*"))
            .collect();
        if tests.contains("here") {
            places.push("here");
        }
        let located: Vec<(&str, Vec<PathBuf>)> =
            places.iter().map(|p| (*p, files(root, &dir, p))).collect();
        for (place, found) in &located {
            if found.is_empty() {
                wrong.push(format!("{area}: {rule}: no such place `{place}`"));
            } else if !patterns.iter().any(|p| holds(found, p)) {
                wrong.push(format!(
                    "{area}: {rule}: `{place}` holds none of {patterns:?}"
                ));
            }
        }
        for p in &patterns {
            if !located.iter().any(|(_, found)| holds(found, p)) {
                wrong.push(format!("{area}: {rule}: no test `{p}` in {places:?}"));
            }
        }
    }
    wrong
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_areas_rule_index_names_tests_that_exist() {
        let root = crate::root();
        let wrong: Vec<String> = ["signup", "auth", "devices", "matching", "contracts"]
            .iter()
            .flat_map(|a| check(&root, a))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn a_row_naming_a_missing_test_is_found() {
        let dir = std::env::temp_dir().join(format!("rule-index-{}", std::process::id()));
        let area = dir.join("shared/domain/src/demo");
        std::fs::create_dir_all(&area).expect("dir");
        std::fs::write(
            area.join("mod.rs"),
            "//! | rule | file | tests |\n//! |---|---|---|\n//! | X1 a rule | `x.rs` | `x1_*` here |\n//! | X2 another | `x.rs` | `x2_*` here |\n",
        )
        .expect("mod.rs");
        std::fs::write(area.join("x.rs"), "#[test]\nfn x1_holds() {}\n").expect("x.rs");
        let wrong = check(&dir, "demo");
        assert_eq!(wrong.len(), 2, "{wrong:?}");
        assert!(wrong.iter().all(|w| w.contains("X2")), "{wrong:?}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
