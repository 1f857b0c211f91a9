//! Entry of the image-prep Web Worker: its own WASM bundle (see `index.html`), started by the page the
//! first time a photo is attached. The work is in `vinano_prep::entry`.

fn main() {
    #[cfg(target_arch = "wasm32")]
    vinano_prep::entry::start();
}
