//! The service worker of the installable app, made for the build being served: `public/sw.js` (copied to
//! `dist/sw.js` by Trunk) with two lines in front, the build's version and the list of files its shell
//! needs (everything `index.html` names, and what those scripts load: the pages' chunks). A new build changes the version, so browsers see a new worker,
//! install it beside the old one and let the page offer "A new version is ready — Reload".
//!
//! Made on every request from the files on disk (a few kilobytes), so a build swapped under a running
//! server is picked up as well as one that comes with a restart.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What `GET /sw.js` answers: the script, never cached without asking (browsers also check it themselves
/// at least once a day).
pub async fn script(State(dist): State<PathBuf>) -> Response {
    let read = tokio::task::spawn_blocking(move || build(&dist)).await;
    match read {
        Ok(Some(body)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            body,
        )
            .into_response(),
        // No built SPA (an API-only deployment): no app to install.
        _ => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

/// `POST /share` reached the server: the phone shared a photo to the installed app, but no service worker
/// took it (it was removed, or the browser bypassed it). The photo can't be kept without one, so the editor
/// opens and says so instead of the browser showing an error.
pub async fn share_without_worker() -> Redirect {
    Redirect::to("/image?shared=lost")
}

/// The script for the build in `dist`, if there is one.
fn build(dist: &Path) -> Option<String> {
    let index = std::fs::read_to_string(dist.join("index.html")).ok()?;
    let template = std::fs::read_to_string(dist.join("sw.js")).ok()?;
    let files: Vec<String> = std::fs::read_dir(dist)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    Some(script_for(&index, &template, &files, |name| std::fs::read(dist.join(name)).unwrap_or_default()))
}

/// The script: `template` after the version and the shell (`/` and every file of `files` that `index.html`
/// names, or that a script of the shell imports or fetches, as `read` gives them). The version is a hash of `index.html`, the template and the shell's files without a content hash
/// in their names (the manifest, say; `read` gives their bytes), so changing any of them makes a new worker.
pub fn script_for(
    index_html: &str,
    template: &str,
    files: &[String],
    read: impl Fn(&str) -> Vec<u8>,
) -> String {
    let candidates: Vec<&String> = files
        .iter()
        .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
        // The page is `/`; the worker script is the worker's own business (pwa.js names it to register it).
        .filter(|name| !matches!(name.as_str(), "index.html" | "sw.js"))
        .collect();
    // What index.html names, then what those scripts import in turn (the page chunks' loader and the
    // chunks it fetches), so that every page of the app opens offline, not only those already visited.
    let mut shell_files: Vec<&String> =
        candidates.iter().copied().filter(|name| names(index_html, name)).collect();
    let mut scanned = 0;
    while scanned < shell_files.len() {
        let name = shell_files[scanned];
        scanned += 1;
        if !name.ends_with(".js") {
            continue;
        }
        let script = String::from_utf8_lossy(&read(name)).into_owned();
        for candidate in &candidates {
            if !shell_files.contains(candidate) && names(&script, candidate) {
                shell_files.push(candidate);
            }
        }
    }
    shell_files.sort();
    let mut hash = Sha256::new();
    hash.update(index_html.as_bytes());
    hash.update(template.as_bytes());
    for name in shell_files.iter().filter(|name| !super::spa::is_hashed(name)) {
        hash.update(read(name));
    }
    let version = &hex::encode(hash.finalize())[..16];
    let shell: Vec<String> =
        std::iter::once("/".to_string()).chain(shell_files.iter().map(|name| format!("/{name}"))).collect();
    let shell = serde_json::to_string(&shell).expect("strings serialise");
    format!("const VERSION = \"{version}\";\nconst SHELL = {shell};\n{template}")
}

/// Whether `html` refers to the file `name` (as `/name` or `./name`, in an attribute or an import).
fn names(html: &str, name: &str) -> bool {
    ["\"/", "'/", "\"./", "'./"].iter().any(|quote| {
        html.match_indices(&format!("{quote}{name}")).any(|(at, found)| {
            let next = html[at + found.len()..].chars().next();
            matches!(next, Some('"' | '\'' | '?' | '#'))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = r#"<link rel="modulepreload" href="/vinano-web-0123456789abcdef.js" crossorigin="anonymous">
<link rel="preload" href="/vinano-web-0123456789abcdef_bg.wasm" as="fetch" type="application/wasm">
<link rel="stylesheet" href="/main-fedcba9876543210.css"><link rel="manifest" href="/manifest.webmanifest">
<script type="module">import init from '/vinano-web-0123456789abcdef.js';init('/vinano-web-0123456789abcdef_bg.wasm');</script>"#;

    fn files() -> Vec<String> {
        [
            "index.html",
            "index.html.br",
            "vinano-web-0123456789abcdef.js",
            "vinano-web-0123456789abcdef.js.br",
            "vinano-web-0123456789abcdef_bg.wasm",
            "main-fedcba9876543210.css",
            "manifest.webmanifest",
            "worker_bg.wasm",
            "robots.txt",
            "sw.js",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn the_shell_is_what_index_html_pulls_and_nothing_else() {
        let script = script_for(INDEX, "self.x = 1;", &files(), |_| Vec::new());
        let shell = script.lines().nth(1).unwrap();
        assert_eq!(
            shell,
            r#"const SHELL = ["/","/main-fedcba9876543210.css","/manifest.webmanifest","/vinano-web-0123456789abcdef.js","/vinano-web-0123456789abcdef_bg.wasm"];"#
        );
        assert!(script.ends_with("\nself.x = 1;"), "{script}");
        assert!(!names(INDEX, "vinano-web-0123456789abcdef"), "a prefix of a name is not the name");
    }

    #[test]
    fn the_pages_chunks_are_in_the_shell_through_the_scripts_that_load_them() {
        let mut files = files();
        files.extend(
            [
                "vinano-split-00112233.js",
                "split_editor-aa.wasm",
                "chunk_1-bb.wasm",
                "split_unnamed-cc.wasm",
                "pwa.js",
            ]
            .map(String::from),
        );
        let index = format!("{INDEX}<script src=\"/pwa.js\" defer></script>");
        let script = script_for(&index, "", &files, |name| {
            match name {
                "vinano-web-0123456789abcdef.js" => "import * as s from './vinano-split-00112233.js';",
                "pwa.js" => "navigator.serviceWorker.register('/sw.js');",
                "vinano-split-00112233.js" => "f(\"./split_editor-aa.wasm\"); f(\"./chunk_1-bb.wasm\");",
                _ => "",
            }
            .as_bytes()
            .to_vec()
        });
        let shell = script.lines().nth(1).unwrap();
        for file in ["/vinano-split-00112233.js", "/split_editor-aa.wasm", "/chunk_1-bb.wasm"] {
            assert!(shell.contains(&format!("\"{file}\"")), "{file} is in {shell}");
        }
        assert!(!shell.contains("split_unnamed"), "a file no script names is not: {shell}");
        assert!(!shell.contains("worker_bg.wasm"), "{shell}");
        assert!(!shell.contains("/sw.js"), "the worker doesn't keep its own script: {shell}");
    }

    #[test]
    fn a_new_build_or_a_new_worker_is_a_new_version() {
        let version = |index: &str, template: &str| {
            script_for(index, template, &files(), |name| name.as_bytes().to_vec())
                .lines()
                .next()
                .unwrap()
                .to_string()
        };
        let first = version(INDEX, "a");
        assert!(first.starts_with("const VERSION = \"") && first.len() == "const VERSION = \"\";".len() + 16);
        assert_eq!(first, version(INDEX, "a"), "the same build, the same version");
        assert_ne!(first, version(&INDEX.replace("0123", "4567"), "a"));
        assert_ne!(first, version(INDEX, "b"));
        let manifest = |bytes: &'static [u8]| {
            script_for(INDEX, "a", &files(), move |name| {
                if name == "manifest.webmanifest" {
                    bytes.to_vec()
                } else {
                    Vec::new()
                }
            })
        };
        assert_ne!(manifest(b"{}"), manifest(b"{\"name\":\"x\"}"), "a changed manifest is a new version");
    }
}
