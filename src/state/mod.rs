//! App-wide state as typed context, and the plain logic behind forms.

pub mod connectivity;
pub mod drafts;
pub mod on_device;
pub mod pwa;
pub mod session;
pub mod start;
pub mod telemetry;
pub mod theme;

/// Today's date in the browser's time zone.
pub fn today() -> vinano_api::Date {
    let now = js_sys::Date::new_0();
    vinano_api::Date::new(now.get_full_year() as i32, (now.get_month() + 1) as u8, now.get_date() as u8)
        .expect("the browser's date is a real date")
}

/// A fresh random key for one logical request (same key on retry, new key for a new request).
pub fn idempotency_key() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(uuid) = crypto.as_ref().map(|c| c.random_uuid()) {
        return uuid;
    }
    // randomUUID needs a secure context; fall back to Math.random on plain-HTTP LAN addresses.
    (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * f64::from(u32::MAX)) as u32)).collect()
}

/// Checks on a chosen file before it goes to the image-prep worker (which reads the content; the server
/// checks again). HEIC passes here: the worker decodes it where the browser can, and explains otherwise.
pub fn check_upload(content_type: &str, size: f64, max_bytes: f64) -> Result<(), UploadProblem> {
    if !matches!(content_type, "image/jpeg" | "image/png" | "image/webp" | "image/heic" | "image/heif" | "") {
        return Err(UploadProblem::WrongType);
    }
    if size == 0.0 {
        return Err(UploadProblem::Empty);
    }
    if size > max_bytes {
        return Err(UploadProblem::TooBig);
    }
    Ok(())
}

/// Why a chosen file is refused before upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    /// Not a JPEG, PNG or WebP.
    WrongType,
    /// Over the size limit.
    TooBig,
    /// A 0-byte file.
    Empty,
}

/// Largest original the browser will read, in megabytes. What is uploaded is the much smaller prepared
/// copy (the server accepts up to 20 MB).
pub const MAX_SOURCE_MB: u32 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_checks() {
        let max = 20.0 * 1024.0 * 1024.0;
        assert_eq!(check_upload("image/jpeg", 1000.0, max), Ok(()));
        assert_eq!(check_upload("image/heic", 1000.0, max), Ok(()));
        assert_eq!(check_upload("image/gif", 1000.0, max), Err(UploadProblem::WrongType));
        assert_eq!(check_upload("application/pdf", 10.0, max), Err(UploadProblem::WrongType));
        assert_eq!(check_upload("image/png", max + 1.0, max), Err(UploadProblem::TooBig));
        assert_eq!(check_upload("image/png", 0.0, max), Err(UploadProblem::Empty));
    }
}
