//! Writes `functions/meta/openapi.json` from the function catalog's
//! operations and the reply and request types (run after changing either).

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../meta/openapi.json");
    std::fs::write(&path, catalog::openapi()).expect("openapi.json written");
    println!("wrote {}", path.display());
}
