//! The app's bundle keeps its relocations when it is linked for the browser with the `split` feature: `cargo
//! xtask build` splits it into the app's frame and one chunk per page (`src/routes.rs`), which needs them.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let split = std::env::var_os("CARGO_FEATURE_SPLIT").is_some();
    if split && std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=vinano-web=--emit-relocs");
    }
}
