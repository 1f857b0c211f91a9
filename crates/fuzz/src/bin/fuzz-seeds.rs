//! Writes every target's seeds into `<dir>/<target>/seed-<n>` (the starting corpus of `cargo xtask fuzz`).

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/corpus".into()));
    for (name, _) in vinano_fuzz::TARGETS {
        let target = dir.join(name);
        std::fs::create_dir_all(&target)?;
        for (n, seed) in vinano_fuzz::seeds(name).iter().enumerate() {
            std::fs::write(target.join(format!("seed-{n}")), seed)?;
        }
    }
    Ok(())
}
