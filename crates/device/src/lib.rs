//! ViNano's on-device editor ("Edit on this device"): instructions planned and run in a Web Worker of their
//! own, with the same engine and segmentation model as the server's, on photos that never left the device.
//!
//! [`protocol`] is the message contract with the page (whose side is `vinano_web::device`); with the
//! `worker` feature, `entry` is the worker itself, built as the `device` binary (see `index.html`).

#[cfg(feature = "worker")]
pub mod entry;
pub mod protocol;
