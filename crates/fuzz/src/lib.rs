//! Fuzz targets: each takes arbitrary bytes, feeds them to a part of ViNano that reads untrusted input, and
//! asserts what must hold whatever the bytes (no panic, and the part's own promise). The same functions run
//! as property tests in `cargo test` (`tests/properties.rs`, with [`seeds`] and random bytes) and as
//! coverage-guided libFuzzer targets in `fuzz/` (`cargo xtask fuzz`, nightly), so a crash found by either is
//! a regression test for both.

use vinano_engine::EditPlan;
use vinano_imaging::{DecodeLimits, DynamicImage, OutputFormat};
use vinano_server::storage::crypto::MasterKey;

/// The decoder's limits in the targets: small, so that a header that lies cannot make a run slow.
pub const LIMITS: DecodeLimits = DecodeLimits { max_pixels: 1 << 20, max_side: 4096 };

/// `vinano_imaging::decode`: refuses or decodes, never panics, and never returns more than the limits allow;
/// what it decodes, `probe` read the same size from.
pub fn decode(data: &[u8]) {
    let Ok(decoded) = vinano_imaging::decode(data, LIMITS) else { return };
    let (w, h) = (decoded.image.width(), decoded.image.height());
    assert!(u64::from(w) * u64::from(h) <= LIMITS.max_pixels && w.max(h) <= LIMITS.max_side, "{w}×{h}");
    let (format, pw, ph) = vinano_imaging::probe(data, LIMITS).expect("decoded bytes probe");
    assert_eq!(format, decoded.format);
    // EXIF orientation may swap the sides.
    assert!((pw, ph) == (w, h) || (pw, ph) == (h, w), "probe said {pw}×{ph}, decode made {w}×{h}");
}

/// `vinano_engine::plan`: any instruction gives a plan that passes its own validation (or a refusal), and
/// the plan survives a JSON round trip (it is stored as JSON with the job).
pub fn plan_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(plan) = vinano_engine::plan(&text) else { return };
    plan.validate().expect("the planner's plans are valid");
    let json = serde_json::to_string(&plan).unwrap();
    assert_eq!(serde_json::from_str::<EditPlan>(&json).unwrap(), plan);
    let _ = plan.summary();
}

/// The pixel budget of [`plan_json`]: what a step may make at most.
pub const BUDGET: u64 = 256 * 256;

/// A plan from JSON (as a language-model planner or a stored job gives it) → `validate` → the budget check
/// → every step applied to a small image: a plan that passes the checks runs without panicking and no step
/// makes an image over the budget.
pub fn plan_json(data: &[u8]) {
    let Ok(plan) = serde_json::from_slice::<EditPlan>(data) else { return };
    if plan.validate().is_err() || plan.video().is_some() || plan.operations.len() > 8 {
        return;
    }
    let mut image = DynamicImage::new_rgb8(24, 16);
    if plan.check_budget(Some((image.width(), image.height())), BUDGET).is_err() {
        return;
    }
    let tools = vinano_engine::Tools {
        fonts: fonts(),
        saliency: None,
        faces: None,
        selection: None,
        attached: vinano_engine::Attached::NONE,
    };
    for op in &plan.operations {
        // A background step without a model fails with a reason; that is an answer, not a crash.
        let Ok(next) = vinano_engine::apply(op, &image, tools) else { return };
        image = next;
        let pixels = u64::from(image.width()) * u64::from(image.height());
        assert!(pixels <= BUDGET, "{op:?} made {}×{}", image.width(), image.height());
    }
}

fn fonts() -> &'static vinano_imaging::text::Fonts {
    static FONTS: std::sync::OnceLock<vinano_imaging::text::Fonts> = std::sync::OnceLock::new();
    FONTS.get_or_init(vinano_imaging::text::Fonts::bundled)
}

fn key() -> MasterKey {
    MasterKey::from_hex(&"5a".repeat(32)).unwrap()
}

/// The only plaintext ever sealed under the name `fuzz` with the targets' key (in [`seeds`]).
const SEALED: &[u8] = b"sealed already";

/// `MasterKey::open` and `open_stream` on any bytes: an error, never a panic and never other bytes than
/// what was sealed (a changed byte of a sealed file is refused); and whatever is sealed opens to itself,
/// both ways, only under its own name, and not when a stream is cut short.
pub fn sealed(data: &[u8]) {
    use std::io::Read;
    let key = key();
    if let Ok(plain) = key.open("fuzz", data) {
        assert_eq!(plain, SEALED, "bytes that were not sealed opened");
    }
    let mut out = Vec::new();
    if key.open_stream("fuzz", data).and_then(|mut r| r.read_to_end(&mut out)).is_ok() {
        assert_eq!(out, SEALED, "a stream that was not sealed opened");
    }
    let sealed = key.seal("round trip", data);
    assert_eq!(key.open("round trip", &sealed).unwrap(), data);
    assert!(key.open("other name", &sealed).is_err(), "a sealed file opened under another name");
    let stream = seal_stream(&key, "round trip", data);
    let mut out = Vec::new();
    key.open_stream("round trip", &stream[..]).unwrap().read_to_end(&mut out).unwrap();
    assert_eq!(out, data);
    let cut = &stream[..stream.len() - 1];
    let read = key.open_stream("round trip", cut).and_then(|mut r| r.read_to_end(&mut Vec::new()));
    assert!(read.is_err(), "a stream cut short was read as complete");
}

fn seal_stream(key: &MasterKey, name: &str, data: &[u8]) -> Vec<u8> {
    let mut writer = key.seal_stream(name, Vec::new()).unwrap();
    std::io::Write::write_all(&mut writer, data).unwrap();
    writer.finish().unwrap()
}

/// The configuration file: `parse_file` then `Config::from_lookup` refuse with a message or build a
/// configuration, never panic; a configuration that loads can be used (its timeouts make deadlines).
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(values) = vinano_server::config::parse_file(&text) else { return };
    let Ok(config) = vinano_server::Config::from_lookup(|k| values.get(k).cloned()) else { return };
    let limits = config.connections;
    for timeout in [limits.header_timeout, limits.idle_timeout, limits.body_timeout] {
        assert!(std::time::Instant::now().checked_add(timeout).is_some(), "{timeout:?}");
    }
    assert!(config.max_upload_bytes > 0 && config.max_pixels > 0);
}

/// The cookie parser: whatever the `Cookie` headers, it finds a value without `;` or nothing.
pub fn cookies(data: &[u8]) {
    let mut headers = axum::http::HeaderMap::new();
    for part in data.split(|&b| b == b'\n') {
        if let Ok(value) = axum::http::HeaderValue::from_bytes(part) {
            headers.append(axum::http::header::COOKIE, value);
        }
    }
    for name in ["vinano_session", "__Host-vinano_session", "vinano_device"] {
        if let Some(value) = vinano_server::http::cookie_value(&headers, name) {
            assert!(!value.is_empty() && !value.contains(';'), "{value:?}");
        }
    }
}

/// A fuzz target: arbitrary bytes in, a panic when a promise breaks.
pub type Target = fn(&[u8]);

/// The targets by name (for the libFuzzer harness and `cargo xtask fuzz`).
pub const TARGETS: [(&str, Target); 6] = [
    ("decode", decode),
    ("plan_text", plan_text),
    ("plan_json", plan_json),
    ("sealed", sealed),
    ("config", config),
    ("cookies", cookies),
];

/// Real files to start from, per target: for the decoders, JPEG, PNG and WebP as encoders write them
/// (baseline and progressive JPEG with an EXIF orientation, grey, 16-bit, palette and alpha PNG, lossless
/// WebP), each also cut off, with flipped bits, and with a header that claims a huge size.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "decode" => decoder_seeds(),
        "plan_text" => [
            "make it warmer and crop it square",
            "a poster for a summer sale",
            "blur the background, rotate 90",
            "夏日特賣 poster",
            "brighter +20% and sharpen",
            // Found by `cargo xtask fuzz`: more steps than a plan may have.
            "電影感, cinematic, 電影感, cinematic, 電影感, cinematic",
            "a poster for BF C ORB F ROU N PO FSOB ROFSTER FORB F C GR23 C GROU TER FORB FSTER FJJJJJJJJJJJJJJJORB F C GR 23 C GROU N POSTE N P STER F B ROFSTER FORB F C GR23 C GROU TER FORB FSTER FORB F C GR 23 C GROU N FORB 23 and more and more",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect(),
        "plan_json" => [
            "make it warmer and crop it square",
            "rotate 90 and add a border",
            "a poster for a summer sale",
            "flip it and make it black and white",
        ]
        .iter()
        .filter_map(|s| vinano_engine::plan(s).ok())
        .map(|p| serde_json::to_vec(&p).unwrap())
        .collect(),
        "sealed" => vec![
            vec![],
            b"hello".to_vec(),
            key().seal("fuzz", SEALED),
            seal_stream(&key(), "fuzz", SEALED),
            vec![0; 70_000],
        ],
        "config" => vec![
            b"bind = \"127.0.0.1:8080\"\nmax_upload_mb = 20\n[quota]\nuploads_per_hour = 100\n".to_vec(),
            b"provider = \"openai\"\n[openai]\napi_key = \"sk-x\"\nbase_url = \"http://127.0.0.1:1\"\n"
                .to_vec(),
            // Found by `cargo xtask fuzz` (overflowed the upload limit), and its neighbours.
            b"max_upload_mb=\"22222222222122222\"".to_vec(),
            b"header_timeout_secs = 18446744073709551615\nmax_megapixels = 18446744073709551615\n".to_vec(),
        ],
        "cookies" => vec![
            b"vinano_session=abc; vinano_device=def.ghi".to_vec(),
            b"a=b;;=;vinano_session=\n=x".to_vec(),
        ],
        _ => vec![],
    }
}

fn decoder_seeds() -> Vec<Vec<u8>> {
    let photo = image::RgbImage::from_fn(48, 32, |x, y| {
        image::Rgb([(x * 5) as u8, (y * 7) as u8, ((x + y) * 3) as u8])
    });
    let photo = DynamicImage::ImageRgb8(photo);
    let mut files = vec![];
    for format in [OutputFormat::Jpeg, OutputFormat::Png, OutputFormat::WebP] {
        files.push(vinano_imaging::encode(&photo, format).unwrap().bytes);
    }
    let mut write = |image: DynamicImage, format: image::ImageFormat| {
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        files.push(out.into_inner());
    };
    write(photo.grayscale(), image::ImageFormat::Png);
    write(DynamicImage::ImageRgba16(photo.to_rgba16()), image::ImageFormat::Png);
    write(DynamicImage::ImageLumaA8(photo.to_luma_alpha8()), image::ImageFormat::Png);
    write(DynamicImage::ImageRgba8(photo.to_rgba8()), image::ImageFormat::WebP);
    // A JPEG with an EXIF orientation (APP1 after SOI), as phones write them.
    let jpeg = files[0].clone();
    let exif: &[u8] = b"\xff\xe1\x00\x22Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00";
    files.push([&jpeg[..2], exif, &jpeg[2..]].concat());
    let mut variants = vec![];
    for file in &files {
        variants.push(file[..file.len() / 3].to_vec());
        let mut flipped = file.clone();
        for i in (7..flipped.len()).step_by(97) {
            flipped[i] ^= 0x10;
        }
        variants.push(flipped);
    }
    // A PNG that claims 100 000 × 100 000 pixels (the IHDR's CRC no longer matches, as a forger's wouldn't).
    let mut huge = files[1].clone();
    huge[16..24].copy_from_slice(&[0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0]);
    variants.push(huge);
    files.extend(variants);
    files
}
