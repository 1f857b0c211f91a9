//! Secrets from files: every secret setting also has a `_FILE` variant naming a file that holds it
//! (`VINANO_MASTER_KEY_FILE=/run/secrets/vinano_master_key`), as Docker and Kubernetes secrets, systemd's
//! `LoadCredential=` and Vaultwarden-style deployments expect, so a key need not sit in the environment
//! (where `ps e`, `/proc/<pid>/environ` and crash reports can show it) or in `vinano.toml`.
//!
//! The file's contents are the value, without the line break an editor or `echo` leaves at its end. Setting
//! both the value and its file is refused, as are a missing, unreadable, empty or oversized file — each
//! with the variable's name, never the secret.

use anyhow::Context;
use std::collections::HashMap;

/// The settings that are secrets: each may be given as `<name>_FILE` instead.
pub const SECRETS: &[&str] = &[
    "VINANO_MASTER_KEY",
    "VINANO_OPENAI_API_KEY",
    "VINANO_GEMINI_API_KEY",
    "VINANO_PLANNER_API_KEY",
    "VINANO_VEO_API_KEY",
    "VINANO_SMTP_URL",
    "VINANO_STRIPE_SECRET_KEY",
    "VINANO_STRIPE_WEBHOOK_SECRET",
    "VINANO_METRICS_TOKEN",
    "VINANO_DATABASE_URL",
    "VINANO_S3_SECRET_ACCESS_KEY",
];

/// The largest secret file read (a key or URL is far smaller; a wrong path to a big file is a mistake).
const MAX_BYTES: u64 = 64 * 1024;

/// Whether `name` is the `_FILE` variant of a secret setting.
pub fn is_file_setting(name: &str) -> bool {
    name.strip_suffix("_FILE").is_some_and(|secret| SECRETS.contains(&secret))
}

/// The secrets given as files, read: `name → value` for each `<name>_FILE` that `var` sets.
pub fn from_files(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<HashMap<&'static str, String>> {
    let mut found = HashMap::new();
    for &name in SECRETS {
        let Some(path) = var(&format!("{name}_FILE")) else { continue };
        anyhow::ensure!(var(name).is_none(), "{name} and {name}_FILE are both set: use one of them");
        let size = std::fs::metadata(&path).with_context(|| format!("{name}_FILE: can't read {path}"))?.len();
        anyhow::ensure!(size <= MAX_BYTES, "{name}_FILE: {path} is {size} bytes; a secret is at most 64 KiB");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{name}_FILE: can't read {path} as UTF-8 text"))?;
        let value = text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text);
        anyhow::ensure!(!value.trim().is_empty(), "{name}_FILE: {path} is empty");
        found.insert(name, value.to_string());
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(pairs: &'a [(&'a str, String)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn a_secret_is_read_from_its_file_without_the_final_line_break() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "sk-test-123\r\n").unwrap();
        let vars = [("VINANO_OPENAI_API_KEY_FILE", path.display().to_string())];
        let found = from_files(&lookup(&vars)).unwrap();
        assert_eq!(found["VINANO_OPENAI_API_KEY"], "sk-test-123");
        assert_eq!(found.len(), 1);
        assert!(is_file_setting("VINANO_MASTER_KEY_FILE") && !is_file_setting("VINANO_BIND_FILE"));
    }

    #[test]
    fn mistakes_name_the_variable_and_never_show_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key").display().to_string();
        let missing = [("VINANO_SMTP_URL_FILE", path.clone())];
        let e = format!("{:#}", from_files(&lookup(&missing)).unwrap_err());
        assert!(e.starts_with("VINANO_SMTP_URL_FILE: can't read"), "{e}");
        std::fs::write(&path, "smtps://user:hunter2@smtp.example.com").unwrap();
        let both = [("VINANO_SMTP_URL_FILE", path.clone()), ("VINANO_SMTP_URL", "smtp://relay:25".into())];
        let e = from_files(&lookup(&both)).unwrap_err().to_string();
        assert_eq!(e, "VINANO_SMTP_URL and VINANO_SMTP_URL_FILE are both set: use one of them");
        std::fs::write(&path, "\n").unwrap();
        let e = from_files(&lookup(&missing)).unwrap_err().to_string();
        assert!(e.ends_with("is empty"), "{e}");
        std::fs::write(&path, vec![b'a'; 70 * 1024]).unwrap();
        let e = from_files(&lookup(&missing)).unwrap_err().to_string();
        assert!(e.contains("at most 64 KiB") && !e.contains("aaaa"), "{e}");
    }

    fn from(file: &str, env: &[(&str, &str)]) -> anyhow::Result<super::super::Config> {
        let file = super::super::parse_file(file)?;
        let env: HashMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        super::super::Config::from_lookup(|k| env.get(k).or_else(|| file.get(k)).cloned())
    }

    #[test]
    fn secrets_come_from_files_named_in_the_file_or_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        let (stripe_key, hook, smtp) = (
            write("stripe", "sk_test_from_file\n"),
            write("hook", "whsec_from_file"),
            write("smtp", "smtp://relay:25\n"),
        );
        let file = format!(
            "billing_processor = \"stripe\"\nsmtp_url_file = \"{smtp}\"\n[stripe]\nsecret_key_file = \"{stripe_key}\"\n\
             webhook_secret_file = \"{hook}\"\nprice_pro = \"price_p\"\nprice_studio = \"price_s\"\n"
        );
        let c = from(&file, &[("VINANO_LOG_FORMAT", "json")]).unwrap();
        let stripe = c.billing.stripe.as_ref().unwrap();
        assert_eq!(
            (stripe.secret_key.as_str(), stripe.webhook_secret.as_str()),
            ("sk_test_from_file", "whsec_from_file")
        );
        assert!(matches!(&c.mail, crate::mail::MailConfig::Smtp(url) if url == "smtp://relay:25"));
        assert_eq!(c.log_format, super::super::LogFormat::Json);
        // The value and its file both given: which one was meant is unknown.
        let e = from(&file, &[("VINANO_STRIPE_SECRET_KEY", "sk_test_env")]).unwrap_err().to_string();
        assert!(e.contains("VINANO_STRIPE_SECRET_KEY and VINANO_STRIPE_SECRET_KEY_FILE are both set"), "{e}");
        let e = from("", &[("VINANO_LOG_FORMAT", "xml")]).unwrap_err().to_string();
        assert_eq!(e, "VINANO_LOG_FORMAT=xml: use text or json");
        let e = from("bind_file = \"/etc/x\"", &[]).unwrap_err();
        assert!(format!("{e:#}").contains("unknown setting \"bind_file\""), "{e:#}");
    }
}
