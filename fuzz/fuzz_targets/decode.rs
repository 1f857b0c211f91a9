//! libFuzzer target: [`vinano_fuzz::decode`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vinano_fuzz::decode(data));
