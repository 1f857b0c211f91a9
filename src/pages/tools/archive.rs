//! A ZIP archive made in the browser, and handing a file to the person as a download. The entries are
//! stored as they are: photos are compressed already, and storing keeps it quick on a phone.

/// One file of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its name in the archive (UTF-8).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// 1980-01-01 00:00 in MS-DOS form (ZIP's oldest date): the archive says nothing about when.
const DOS_DATE: u16 = (1 << 5) | 1;
/// Flag bit 11: the names are UTF-8.
const UTF8: u16 = 1 << 11;

/// The ZIP of `entries` (the "store" method; fewer than 65 535 entries of under 4 GiB each).
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.bytes.len() + e.name.len() * 2 + 100).sum());
    let mut central = Vec::new();
    for entry in entries {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(&entry.bytes);
        let (size, name) = (entry.bytes.len() as u32, entry.name.as_bytes());
        // Shared by the local header and the central directory: version needed (2.0), flags, method
        // (stored), time, date, CRC-32, compressed and uncompressed size, name length.
        let mut common = Vec::with_capacity(26);
        for half in [20, UTF8, 0, 0, DOS_DATE] {
            common.extend_from_slice(&u16::to_le_bytes(half));
        }
        for word in [crc, size, size] {
            common.extend_from_slice(&word.to_le_bytes());
        }
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        out.extend_from_slice(name);
        out.extend_from_slice(&entry.bytes);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by: 2.0
        central.extend_from_slice(&common);
        // Extra field, comment, disk, internal and external attributes: none.
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let (start, count) = (out.len() as u32, entries.len() as u16);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // no comment
    out
}

/// `name` made unique among `taken` (which it joins): "photo.jpg", then "photo-2.jpg", "photo-3.jpg"…
pub fn unique_name(name: &str, taken: &mut Vec<String>) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut candidate = name.to_string();
    let mut n = 1;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        n += 1;
        candidate = format!("{stem}-{n}{ext}");
    }
    taken.push(candidate.clone());
    candidate
}

/// Offers `bytes` to the person as a file called `name` (the browser's download).
pub fn save(bytes: &[u8], name: &str, content_type: &str) {
    use wasm_bindgen::JsCast;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // The download has started from the URL; it can go once the click is handled.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a stored ZIP back by its central directory: (name, bytes) of each entry, checking each
    /// local header and CRC on the way.
    fn read(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
        let u32_at = |i: usize| u32::from_le_bytes(zip[i..i + 4].try_into().unwrap()) as usize;
        let end = zip.len() - 22;
        assert_eq!(u32_at(end), 0x0605_4b50);
        let (count, mut at) = (u16_at(end + 10), u32_at(end + 16));
        let mut out = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(at), 0x0201_4b50);
            let (crc, size, name_len, local) =
                (u32_at(at + 16), u32_at(at + 24), u16_at(at + 28), u32_at(at + 42));
            let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
            assert_eq!(u32_at(local), 0x0403_4b50);
            assert_eq!(u16_at(local + 8), 0, "stored");
            let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            let bytes = zip[data..data + size].to_vec();
            assert_eq!(crc32fast::hash(&bytes) as usize, crc);
            out.push((name, bytes));
            at += 46 + name_len;
        }
        out
    }

    #[test]
    fn a_zip_holds_each_file_under_its_name() {
        let entries = vec![
            Entry { name: "shoe.jpg".into(), bytes: vec![0xff, 0xd8, 1, 2, 3] },
            Entry { name: "夏日.png".into(), bytes: (0..=255).collect() },
            Entry { name: "empty.txt".into(), bytes: vec![] },
        ];
        let zip = zip(&entries);
        let back = read(&zip);
        assert_eq!(back.len(), 3);
        for (entry, (name, bytes)) in entries.iter().zip(back) {
            assert_eq!((&entry.name, &entry.bytes), (&name, &bytes));
        }
        assert_eq!(read(&super::zip(&[])), vec![]);
    }

    #[test]
    fn names_are_made_unique() {
        let mut taken = Vec::new();
        let names: Vec<String> = ["shoe.jpg", "shoe.jpg", "SHOE.jpg", "README", "README"]
            .iter()
            .map(|n| unique_name(n, &mut taken))
            .collect();
        assert_eq!(names, ["shoe.jpg", "shoe-2.jpg", "SHOE-3.jpg", "README", "README-2"]);
    }
}
