//! Entry of the on-device editor's Web Worker: its own WASM bundle (see `index.html`), started by the page
//! the first time an instruction is run on the device. The work is in `vinano_device::entry`.

fn main() {
    #[cfg(target_arch = "wasm32")]
    vinano_device::entry::start();
}
