//! Writes `spin.toml` from the function catalog (run after adding a function).

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spin.toml");
    std::fs::write(&path, catalog::spin_manifest()).expect("spin.toml written");
    println!("wrote {}", path.display());
}
