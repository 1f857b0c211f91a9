//! Brotli and gzip twins of the built SPA's files (`x.wasm` → `x.wasm.br`, `x.wasm.gz`), made once after
//! `trunk build`: the server sends them as they are instead of compressing the same bundle on every
//! request. Also reports the first load: what `index.html` pulls in before the app can render.

use std::io::Write;
use std::path::Path;

/// Files worth compressing (images and archives are compressed already).
const TEXT: [&str; 8] = ["html", "js", "wasm", "css", "svg", "json", "webmanifest", "txt"];

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params)?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Writes the twins of every text and WASM file in `dist`; returns `(file, raw, brotli)` sizes.
pub fn precompress(dist: &Path) -> std::io::Result<Vec<(String, u64, u64)>> {
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !path.is_file() || !TEXT.contains(&ext) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let br = brotli(&bytes)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        std::fs::write(dist.join(format!("{name}.br")), &br)?;
        std::fs::write(dist.join(format!("{name}.gz")), gzip(&bytes)?)?;
        sizes.push((name, bytes.len() as u64, br.len() as u64));
    }
    sizes.sort();
    Ok(sizes)
}

/// The files `index.html` loads before the first render: itself, and every file it names (the worker's
/// bundle is fetched later, on first use, and is not named there).
pub fn first_load<'a>(index_html: &str, sizes: &'a [(String, u64, u64)]) -> Vec<&'a (String, u64, u64)> {
    sizes
        .iter()
        .filter(|(name, _, _)| {
            let is_main_wasm = name.ends_with("_bg.wasm")
                && index_html.contains(&format!("/{}", name.replace("_bg.wasm", ".js")));
            name == "index.html" || is_main_wasm || index_html.contains(&format!("/{name}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_decompress_to_the_original_and_the_first_load_is_what_index_names() {
        let dir = std::env::temp_dir().join(format!("vinano-precompress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let html = r#"<script type="module" src="/app-0123456789abcdef.js"></script><link href="/icon.svg">"#;
        std::fs::write(dir.join("index.html"), html).unwrap();
        std::fs::write(dir.join("app-0123456789abcdef.js"), "console.log('ViNano');\n".repeat(500)).unwrap();
        std::fs::write(dir.join("app-0123456789abcdef_bg.wasm"), vec![7u8; 4096]).unwrap();
        std::fs::write(dir.join("worker_bg.wasm"), vec![9u8; 4096]).unwrap();
        std::fs::write(dir.join("icon.svg"), "<svg/>").unwrap();
        std::fs::write(dir.join("photo.jpg"), [0xff, 0xd8]).unwrap();
        let sizes = precompress(&dir).unwrap();
        assert_eq!(sizes.len(), 5, "{sizes:?}");
        assert!(!dir.join("photo.jpg.br").exists());
        let js = std::fs::read(dir.join("app-0123456789abcdef.js")).unwrap();
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(
            &mut std::fs::File::open(dir.join("app-0123456789abcdef.js.br")).unwrap(),
            &mut unbrotli,
        )
        .unwrap();
        assert_eq!(unbrotli, js);
        let mut ungzip = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(
                std::fs::File::open(dir.join("app-0123456789abcdef.js.gz")).unwrap(),
            ),
            &mut ungzip,
        )
        .unwrap();
        assert_eq!(ungzip, js);
        let first: Vec<&str> = first_load(html, &sizes).iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            first,
            ["app-0123456789abcdef.js", "app-0123456789abcdef_bg.wasm", "icon.svg", "index.html"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
