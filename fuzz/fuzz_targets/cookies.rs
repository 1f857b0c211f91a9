//! libFuzzer target: [`vinano_fuzz::cookies`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vinano_fuzz::cookies(data));
