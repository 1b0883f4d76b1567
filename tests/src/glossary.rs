//! One name per concept (issue 22): the page texts (`web/src/i18n.js`) and
//! every message and notice of the API (each area's `messages.rs` and
//! `kernel/i18n.rs`) use the glossary's names (`kernel::i18n::GLOSSARY`)
//! and none of the names it retires. The terms and privacy documents are
//! the seeds' legal texts and keep their own words.

use std::path::PathBuf;

fn texts() -> Vec<(PathBuf, String)> {
    let root = crate::root();
    let mut files = vec![
        root.join("web/src/i18n.js"),
        root.join("shared/domain/src/kernel/i18n.rs"),
    ];
    for area in std::fs::read_dir(root.join("shared/domain/src")).expect("domain sources") {
        let messages = area.expect("entry").path().join("messages.rs");
        if messages.exists() {
            files.push(messages);
        }
    }
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("readable");
            (f, text)
        })
        .collect()
}

#[test]
fn every_text_names_each_concept_by_the_glossarys_name() {
    let texts = texts();
    assert!(
        texts.len() >= 5,
        "the pages and the areas' messages are read"
    );
    let mut found = Vec::new();
    for (file, text) in &texts {
        // The glossary itself lists the retired names.
        let text = match text.find("pub const GLOSSARY") {
            Some(start) => {
                let end = text[start..].find("];").map_or(text.len(), |e| start + e);
                format!("{}{}", &text[..start], &text[end..])
            }
            None => text.clone(),
        };
        for (concept, _, _, retired) in domain::kernel::i18n::GLOSSARY {
            for name in *retired {
                if text.contains(name) {
                    found.push(format!("{}: {name:?} for {concept}", file.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "retired names in use:\n{}",
        found.join("\n")
    );
    // And the pages use each concept's names.
    let pages = &texts[0].1;
    for (concept, ko, en, _) in domain::kernel::i18n::GLOSSARY {
        assert!(pages.contains(ko), "the pages never name {concept} {ko:?}");
        assert!(
            pages.to_lowercase().contains(&en.to_lowercase()),
            "the pages never name {concept} {en:?}"
        );
    }
}
