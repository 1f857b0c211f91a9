//! Splits the app's bundle into its frame and one chunk per page (the `lazy_page!`s of `src/routes.rs`, and the Chinese locales of `src/i18n`),
//! after `trunk build` and before the bundle is precompressed: the first page of a visit then downloads the
//! frame and that page, not the whole app.
//!
//! Trunk has no step between cargo and wasm-bindgen, so this redoes its last stretch for the app's bundle:
//! the linked WebAssembly (kept with its relocations by `build.rs`) → `wasm_split_cli_support` (the splitter
//! cargo-leptos uses) → wasm-bindgen (`--keep-lld-exports`: the chunks link against the frame's exports) →
//! wasm-opt, then swaps Trunk's unsplit files in `dist/` for these, with `index.html`'s names and
//! `integrity` hashes updated. Every file is named by a hash of its content, so an old page never loads a
//! new build's chunk.

use crate::chunks::Splits;
use crate::{cmd, root, step, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};
use std::path::Path;
use std::time::Instant;

/// The name the frame's imports use for the chunk loader until its content (and so its hash) is known; the
/// final name has the same length, so it can be patched into the binary.
const LOADER_PLACEHOLDER: &str = "./vinano-split-________________.js";

/// The splitter (crates/xtask/Cargo.toml, patched: vendor/README.md), part of the frame's name.
const SPLITTER: &str = "wasm_split_cli_support 0.2.4 + chunk grouping";

/// A shared chunk under this size (the splitter's output, before wasm-opt) moves into a larger set's
/// chunk when one can take it (chunks.rs).
const SMALL_CHUNK: u64 = 20_000;

/// wasm-opt's options: size first, with the features rustc's wasm32 target uses.
const WASM_OPT: &[&str] = &[
    "-Oz",
    "--enable-simd",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
    // Who built it and with which features: nothing a browser reads.
    "--strip-producers",
    "--strip-target-features",
];

/// The first 16 hex digits of the content's SHA-256.
fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The `integrity` value of a file (what Trunk writes).
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs wasm-opt on `file` in place (quietly: its complaints about the splitter's name sections, which it
/// drops anyway, are noise).
fn wasm_opt(file: &Path) -> Result {
    let out = file.with_extension("opt.wasm");
    let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let run = cmd(&root().join("tools/web/node_modules/.bin/wasm-opt").to_string_lossy())
        .args(WASM_OPT)
        .arg(file)
        .arg("-o")
        .arg(&out)
        .output()
        .map_err(|e| format!("wasm-opt {name}: {e}"))?;
    if !run.status.success() {
        return Err(format!("wasm-opt {name} failed: {}", String::from_utf8_lossy(&run.stderr)));
    }
    std::fs::rename(&out, file).map_err(|e| format!("{}: {e}", file.display()))
}

/// `source` minified by esbuild (an ES module stays one, with its exports' names: the loader and the
/// chunks import from the frame's script by name).
fn minify_js(source: &[u8], what: &str) -> Result<Vec<u8>> {
    use std::io::Write as _;
    let mut child = cmd(&root().join("tools/web/node_modules/.bin/esbuild").to_string_lossy())
        .args(["--minify", "--format=esm", "--loader=js", "--log-level=warning"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("esbuild ({what}): {e}"))?;
    child
        .stdin
        .take()
        .ok_or("esbuild has no stdin")?
        .write_all(source)
        .map_err(|e| format!("esbuild ({what}): {e}"))?;
    let run = child.wait_with_output().map_err(|e| format!("esbuild ({what}): {e}"))?;
    if !run.status.success() || run.stdout.is_empty() {
        return Err(format!("esbuild ({what}) failed: {}", String::from_utf8_lossy(&run.stderr)));
    }
    Ok(run.stdout)
}

/// Splits the bundle Trunk built and puts the split one in its place in `dist`.
pub fn split(dist: &Path) -> Result {
    println!("\n==> splitting the app's bundle into its frame and one chunk per page");
    let input_path = root().join("target/wasm32-unknown-unknown/release/vinano-web.wasm");
    let input = read(&input_path)?;
    // Named by everything its bytes depend on: the code, and how it is split, bound and optimised (a new
    // pipeline must not serve new bytes under a name browsers keep for a year).
    // (The npm tools, wasm-opt and esbuild, by their lock file.)
    let tools = std::fs::read(root().join("tools/web/package-lock.json")).unwrap_or_default();
    let recipe = format!(
        "{}|{SPLITTER} under {SMALL_CHUNK}|wasm-bindgen {}|{}|esbuild --minify",
        WASM_OPT.join(" "),
        crate::bootstrap::wasm_bindgen_version()?,
        short_hash(&tools)
    );
    let name = format!("vinano-web-{}", short_hash(&[input.as_slice(), recipe.as_bytes()].concat()));
    let work = root().join("target/wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let main_wasm = work.join("main.wasm");
    let main_module = format!("./{name}.js");
    let transform = |grouping: Option<&(dyn Fn(&Splits) -> Splits + Sync)>| {
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &work;
        options.main_out_path = &main_wasm;
        options.main_module = &main_module;
        options.link_name = LOADER_PLACEHOLDER;
        options.chunk_grouping = grouping;
        wasm_split_cli_support::transform(options).map_err(|e| format!("splitting the bundle: {e:#}"))
    };
    // Once as the splitter would, to weigh its chunks; then again with the small ones merged (chunks.rs).
    let started = Instant::now();
    let ungrouped = transform(None)?;
    let mut sizes = Vec::new();
    for (file, splits) in &ungrouped.chunks {
        let size = std::fs::metadata(file).map_err(|e| format!("{}: {e}", file.display()))?.len();
        sizes.push((splits.clone(), size));
    }
    let moves = crate::chunks::grouping(&sizes, SMALL_CHUNK);
    std::fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let group = |splits: &Splits| moves.get(splits).cloned().unwrap_or_else(|| splits.clone());
    let split = transform(Some(&group))?;
    println!(
        "    {} shared chunks, {} after merging those under {SMALL_CHUNK} bytes: {:.0?}",
        ungrouped.chunks.len(),
        split.chunks.len(),
        started.elapsed()
    );

    // The chunks: optimised, then named by their content, in the loader too.
    let started = Instant::now();
    let loader_path = work.join(LOADER_PLACEHOLDER.trim_start_matches("./"));
    let mut loader = String::from_utf8(read(&loader_path)?).map_err(|e| format!("the chunk loader: {e}"))?;
    let mut chunks = Vec::new();
    let mut renamed = std::collections::HashMap::new();
    for chunk in &split.split_modules {
        wasm_opt(chunk)?;
        let bytes = read(chunk)?;
        let stem = chunk.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let hashed = format!("{stem}-{}.wasm", short_hash(&bytes));
        let quoted = format!("\"./{stem}.wasm\"");
        if !loader.contains(&quoted) {
            return Err(format!("the chunk loader doesn't name {stem}.wasm"));
        }
        loader = loader.replace(&quoted, &format!("\"./{hashed}\""));
        renamed.insert(stem, hashed.clone());
        chunks.push((hashed, bytes));
    }
    println!("    wasm-opt on {} chunks: {:.0?}", chunks.len(), started.elapsed());
    let loader = String::from_utf8(minify_js(loader.as_bytes(), "the chunk loader")?)
        .map_err(|e| format!("the chunk loader: {e}"))?;
    let loader_name = format!("./vinano-split-{}.js", short_hash(loader.as_bytes()));
    assert_eq!(loader_name.len(), LOADER_PLACEHOLDER.len(), "the loader's name keeps its length");

    // The frame imports the loader by its final name.
    let mut frame = read(&main_wasm)?;
    let placeholder = LOADER_PLACEHOLDER.as_bytes();
    let mut patched = 0;
    let mut at = 0;
    while let Some(found) = frame[at..].windows(placeholder.len()).position(|w| w == placeholder) {
        let start = at + found;
        frame[start..start + placeholder.len()].copy_from_slice(loader_name.as_bytes());
        patched += 1;
        at = start + placeholder.len();
    }
    if patched == 0 {
        return Err("the split bundle never imports the chunk loader: no split point left?".into());
    }
    write(&main_wasm, &frame)?;

    let bindgen = work.join("bindgen");
    step(
        "wasm-bindgen (the frame)",
        cmd("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-typescript",
                "--out-name",
                &name,
                "--out-dir",
            ])
            .arg(&bindgen)
            .arg(&main_wasm),
    )?;
    let js_path = bindgen.join(format!("{name}.js"));
    let wasm_path = bindgen.join(format!("{name}_bg.wasm"));
    let started = Instant::now();
    wasm_opt(&wasm_path)?;
    println!("    wasm-opt on the frame: {:.0?}", started.elapsed());
    let js = minify_js(&read(&js_path)?, "the frame's script")?;
    let wasm = read(&wasm_path)?;

    // Trunk's unsplit files go; these take their place in index.html.
    let index_path = dist.join("index.html");
    let mut index = String::from_utf8(read(&index_path)?).map_err(|e| format!("dist/index.html: {e}"))?;
    let old = trunk_bundle_name(&index)?;
    for (file, new) in [(format!("{old}.js"), &js), (format!("{old}_bg.wasm"), &wasm)] {
        let path = dist.join(&file);
        let before = integrity(&read(&path)?);
        if !index.contains(&before) {
            return Err(format!("dist/index.html has no integrity hash for {file}"));
        }
        index = index.replace(&before, &integrity(new));
        std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    index = index.replace(&old, &name);
    // The frame's WebAssembly is asked for by the preload script below, which may hold it back until the
    // page has shown the newest result (see there), not by Trunk's static preload; and the app's module
    // script waits for the same moment before it fetches it.
    index = without_frame_preload(&index, &name)?;
    let start = "const wasm = await init(";
    if !index.contains(start) {
        return Err("dist/index.html's module script doesn't start the app with `await init(`".into());
    }
    index = index.replacen(start, &format!("await window.vinanoGate;\n{start}"), 1);
    // First thing in the page (an inline script waits for any style sheet above it): the opened page's
    // chunks download with the frame; and so does the chunk loader the frame's script imports.
    let sizes = chunks.iter().map(|(file, bytes)| (file.clone(), bytes.len())).collect();
    let preload = preload_script(&split.prefetch_map, &renamed, &sizes, &format!("{name}_bg.wasm"))?;
    let loader_link = format!(
        "<link rel=\"modulepreload\" href=\"/{}\" crossorigin=\"anonymous\" integrity=\"{}\">",
        loader_name.trim_start_matches("./"),
        integrity(loader.as_bytes())
    );
    let frame_link = format!("<link rel=\"modulepreload\" href=\"/{name}.js\"");
    if !index.contains(&frame_link) {
        return Err("dist/index.html has no modulepreload link for the app".into());
    }
    let charset = "<meta charset=\"utf-8\" />";
    if !index.contains(charset) {
        return Err("dist/index.html has no <meta charset=\"utf-8\" />".into());
    }
    index = index.replacen(charset, &format!("{charset}\n    {preload}"), 1).replacen(
        &frame_link,
        &format!("{loader_link}\n{frame_link}"),
        1,
    );
    write(&index_path, index)?;
    write(&dist.join(format!("{name}.js")), &js)?;
    write(&dist.join(format!("{name}_bg.wasm")), &wasm)?;
    write(&dist.join(loader_name.trim_start_matches("./")), loader.as_bytes())?;
    for (file, bytes) in &chunks {
        write(&dist.join(file), bytes)?;
    }
    println!(
        "    frame {} bytes, {} chunks, loader {}",
        wasm.len(),
        chunks.len(),
        loader_name.trim_start_matches("./")
    );
    Ok(())
}

/// `index` without Trunk's `<link rel="preload">` of the frame's WebAssembly `{name}_bg.wasm`.
fn without_frame_preload(index: &str, name: &str) -> Result<String> {
    let tag = format!("<link rel=\"preload\" href=\"/{name}_bg.wasm\"");
    let start = index.find(&tag).ok_or("dist/index.html has no preload link for the frame's WebAssembly")?;
    let end =
        index[start..].find('>').ok_or("dist/index.html: the frame's preload link doesn't end")? + start + 1;
    Ok(format!("{}{}", &index[..start], &index[end..]))
}

/// `vinano-web-<hash>`: the name Trunk gave the app's bundle in `index.html`.
fn trunk_bundle_name(index: &str) -> Result<String> {
    let start = index.find("/vinano-web-").ok_or("dist/index.html names no vinano-web bundle")? + 1;
    let end = index[start..].find(".js").ok_or("dist/index.html names no vinano-web script")? + start;
    Ok(index[start..end].to_string())
}

/// The pages of the app (`src/app.rs`), the split each one opens (`src/routes.rs`) and the stylesheet that
/// comes with it (`src/styles.rs`; the page is shown once it is in, so it downloads with the page's chunks;
/// named without the leading `/`, like the chunks: only some pages load it, it isn't every page's first
/// load): a path is the page's when it is the path or begins with it and a `/`.
const PAGES: &[(&str, &str, Option<&str>)] = &[
    ("/image", "editor_page", Some("editor.css")),
    ("/images", "library_page", None),
    ("/me", "me_page", Some("me.css")),
    ("/login", "account_pages", None),
    ("/signup", "account_pages", None),
    ("/verify-email", "account_pages", None),
    ("/forgot-password", "account_pages", None),
    ("/reset-password", "account_pages", None),
    ("/privacy", "privacy_policy_page", None),
    ("/billing/checkout", "me_page", Some("me.css")),
    ("/embed", "embed_page", None),
    ("/s", "shared_page", Some("share.css")),
    ("/tools", "tools_pages", Some("tools.css")),
    ("/video", "tools_pages", Some("tools.css")),
];

/// Splits no page's first load waits for: Home's part — the start box for someone signed in, the tour for a
/// visitor (`src/routes.rs`) — fetched once Home has shown, so `/` preloads nothing.
const NOT_PRELOADED: &[&str] = &["home_part_chunk"];

/// The languages that are chunks (`src/i18n/mod.rs`), by the split's name.
const LOCALES: &[(&str, &str)] = &[("zh-Hant", "locale_zh_hant"), ("zh-Hans", "locale_zh_hans")];

/// An inline script for index.html that starts downloading the frame `frame` and the opened page's chunks
/// (and the browser's language, when that is a chunk) together, instead of each after the one before.
///
/// It also sets `window.vinanoGate`, the promise the app's start waits for (with the downloads). On a
/// conversation opened directly (`/image/{id}`) it waits for `window.vinanoOpen()`, which index.html's
/// early script calls once it has painted the conversation's newest result in the frame (or knows there
/// is none to paint): a phone then shows the picture before it downloads some 500 KB of WebAssembly,
/// instead of after (BENCHMARKS.md). It waits 3 s at most, so that a very slow connection doesn't hold the
/// app back longer (the picture, asked for first, still comes first). On every other page it is resolved.
fn preload_script(
    prefetch: &std::collections::HashMap<String, Vec<String>>,
    renamed: &std::collections::HashMap<String, String>,
    sizes: &std::collections::HashMap<String, usize>,
    frame: &str,
) -> Result<String> {
    let files = |split: &str| -> Result<Vec<String>> {
        let stems =
            prefetch.get(split).ok_or(format!("no split is named {split} (src/routes.rs, src/i18n)"))?;
        stems
            .iter()
            .map(|stem| {
                renamed.get(stem).cloned().ok_or(format!("the split {split} needs {stem}, which isn't there"))
            })
            .collect::<Result<Vec<String>>>()
            .map(|mut files| {
                // The biggest first: on HTTP/1.1's six connections the page's own chunk must not wait
                // behind the small shared ones.
                files.sort_by_key(|f| std::cmp::Reverse(sizes.get(f).copied().unwrap_or(0)));
                files
            })
    };
    let pages: Vec<(&str, Vec<String>, Option<&str>)> =
        PAGES.iter().map(|(path, split, sheet)| Ok((*path, files(split)?, *sheet))).collect::<Result<_>>()?;
    let unmapped: Vec<&String> = prefetch
        .keys()
        .filter(|s| !s.starts_with("locale_") && !NOT_PRELOADED.contains(&s.as_str()))
        .filter(|s| !PAGES.iter().any(|(_, p, _)| p == s))
        .collect();
    if !unmapped.is_empty() {
        return Err(format!("split.rs's PAGES has no path for {unmapped:?}"));
    }
    let locales: Vec<(&str, Vec<String>)> =
        LOCALES.iter().map(|(tag, split)| Ok((*tag, files(split)?))).collect::<Result<_>>()?;
    // Each file named once (C), each split's list of them once (S, by number), each path naming its split's
    // list (P, with the page's stylesheet if it has one): the lists share most files, and the first page's
    // bytes are what this script costs.
    let mut names: Vec<String> = Vec::new();
    let mut number = |file: &String| match names.iter().position(|n| n == file) {
        Some(i) => i,
        None => {
            names.push(file.clone());
            names.len() - 1
        }
    };
    let mut lists: Vec<Vec<usize>> = Vec::new();
    let mut paths: Vec<serde_json::Value> = Vec::new();
    for (path, files, sheet) in &pages {
        let list: Vec<usize> = files.iter().map(&mut number).collect();
        let at = lists.iter().position(|l| *l == list).unwrap_or_else(|| {
            lists.push(list);
            lists.len() - 1
        });
        paths.push(match sheet {
            Some(sheet) => serde_json::json!([path, at, sheet]),
            None => serde_json::json!([path, at]),
        });
    }
    let locales: std::collections::BTreeMap<&str, Vec<usize>> =
        locales.iter().map(|(tag, files)| (*tag, files.iter().map(&mut number).collect())).collect();
    let names = serde_json::to_string(&names).expect("strings serialise");
    let lists = serde_json::to_string(&lists).expect("numbers serialise");
    let pages = serde_json::to_string(&paths).expect("strings serialise");
    let locales = serde_json::to_string(&locales).expect("numbers serialise");
    // The language as src/i18n/mod.rs picks it: the first of the browser's that is English or Chinese;
    // Chinese of Taiwan, Hong Kong, Macao or in Traditional script is zh-Hant, other Chinese zh-Hans.
    Ok(format!(
        "<script>(function(){{var C={names},S={lists},P={pages},L={locales},p=location.pathname,n=navigator,t=[].concat(n.languages||[],n.language||[]),g=\"en\",W=[{frame}],\
G=window.vinanoGate=/^\\/image\\/[^\\/?#]+\\/?$/.test(p)?new Promise(function(r){{window.vinanoOpen=r;setTimeout(r,3000)}}):Promise.resolve();\
function a(f){{W.push(C[f])}}\
function y(h){{var e=document.createElement(\"link\");e.rel=\"preload\";e.as=\"style\";e.href=\"/\"+h;document.head.appendChild(e)}}\
for(var i=0;i<P.length;i++)if(p===P[i][0]||p.indexOf(P[i][0]+\"/\")===0){{S[P[i][1]].forEach(a);P[i][2]&&y(P[i][2]);break}}\
for(i=0;i<t.length;i++){{var x=String(t[i]).toLowerCase();if(x.indexOf(\"en\")===0)break;if(x.indexOf(\"zh\")===0){{if(x===\"zh\"||x.indexOf(\"zh-\")===0)g=/-(hant|tw|hk|mo)(-|$)/.test(x)?\"zh-Hant\":\"zh-Hans\";break}}}}\
(L[g]||[]).forEach(a);\
G.then(function(){{W.forEach(function(h){{var e=document.createElement(\"link\");e.rel=\"preload\";e.as=\"fetch\";e.crossOrigin=\"anonymous\";e.href=\"/\"+h;document.head.appendChild(e)}})}})}})()</script>",
        frame = serde_json::to_string(frame).expect("a string serialises")
    ))
}
