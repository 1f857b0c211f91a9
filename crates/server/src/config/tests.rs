//! The configuration's parsing: the file, the environment over it, and mistakes named.

use super::*;

fn from(file: &str, env: &[(&str, &str)]) -> anyhow::Result<Config> {
    let file = parse_file(file)?;
    let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Config::from_lookup(|k| env.get(k).or_else(|| file.get(k)).cloned())
}

#[test]
fn the_file_sets_providers_and_the_environment_wins() {
    let file = r#"
        bind = "0.0.0.0:9000"
        job_workers = 3
        provider = "openai"
        provider_retries = 1
        font_dirs = ["/fonts/a", "/fonts/b"]

        [openai]
        api_key = "sk-from-file"
        model = "gpt-image-1-mini"

        [planner]
        base_url = "http://127.0.0.1:11434"
    "#;
    let c = from(file, &[]).unwrap();
    assert_eq!(c.bind.port(), 9000);
    assert_eq!(c.job_workers, 3);
    assert_eq!(c.font_dirs, vec![PathBuf::from("/fonts/a"), PathBuf::from("/fonts/b")]);
    let Some(crate::providers::ProviderConfig::OpenAi(openai)) = &c.provider else {
        panic!("expected the OpenAI provider, got {:?}", c.provider)
    };
    assert_eq!(openai.api_key, "sk-from-file");
    assert_eq!(openai.model, "gpt-image-1-mini");
    assert_eq!(openai.policy.retries, 1);
    // A planner base URL alone doesn't turn the planner on.
    assert!(c.planner.is_none());

    let c =
        from(file, &[("VINANO_OPENAI_API_KEY", "sk-from-env"), ("VINANO_BIND", "127.0.0.1:7000")]).unwrap();
    let Some(crate::providers::ProviderConfig::OpenAi(openai)) = &c.provider else { panic!() };
    assert_eq!(openai.api_key, "sk-from-env");
    assert_eq!(c.bind.port(), 7000);
}

#[test]
fn mistakes_in_the_file_are_named() {
    let typo = from("provder = \"openai\"", &[]).unwrap_err().to_string();
    assert!(typo.contains("unknown setting \"provder\""), "{typo}");
    let nested = from("[openai]\nkey = \"x\"", &[]).unwrap_err().to_string();
    assert!(nested.contains("\"openai_key\""), "{nested}");
    let missing = format!("{:#}", from("provider = \"gemini\"", &[]).unwrap_err());
    assert!(missing.contains("VINANO_GEMINI_API_KEY"), "{missing}");
    let bad = format!("{:#}", from("video_provider = \"sora\"", &[]).unwrap_err());
    assert!(bad.contains("use local or veo"), "{bad}");
    assert!(parse_file("bind = ").is_err());
    assert!(from("job_workers = 500", &[]).is_err());
}

/// Found by fuzzing (`max_upload_mb="22222222222122222"` overflowed and panicked at start-up).
#[test]
fn numbers_out_of_range_are_named_not_a_crash() {
    for (setting, value) in [
        ("max_upload_mb", "22222222222122222"),
        ("max_upload_mb", "10241"),
        ("max_megapixels", "18446744073709551615"),
        ("header_timeout_secs", "18446744073709551615"),
        ("provider_timeout_secs", "86401"),
    ] {
        let error = format!("{:#}", from(&format!("{setting} = \"{value}\""), &[]).unwrap_err());
        assert!(error.contains(&setting.to_uppercase()) && error.contains(" to "), "{error}");
    }
    let c = from("max_upload_mb = 10240\nmax_megapixels = 1000\nbody_timeout_secs = 86400", &[]).unwrap();
    assert_eq!(c.max_upload_bytes, 10_240 * 1024 * 1024);
    assert_eq!(c.max_pixels, 1_000_000_000);
    assert_eq!(c.connections.body_timeout, std::time::Duration::from_secs(86_400));
}

#[test]
fn a_video_model_is_configured_like_the_others() {
    let c = from("video_provider = \"veo\"\n[veo]\napi_key = \"k\"", &[]).unwrap();
    let veo = c.video.expect("veo configured");
    assert_eq!(veo.api_key, "k");
    assert_eq!(veo.base_url, "https://generativelanguage.googleapis.com");
    assert!(from("", &[]).unwrap().video.is_none());
}
