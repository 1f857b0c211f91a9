//! libFuzzer target: [`vinano_fuzz::plan_json`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vinano_fuzz::plan_json(data));
