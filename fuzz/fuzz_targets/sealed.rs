//! libFuzzer target: [`vinano_fuzz::sealed`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vinano_fuzz::sealed(data));
