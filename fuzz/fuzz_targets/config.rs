//! libFuzzer target: [`vinano_fuzz::config`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vinano_fuzz::config(data));
