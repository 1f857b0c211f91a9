//! Request and response bodies of `/api/v1`, one module per resource (as the server's `http/`).

mod account;
mod admin;
mod billing;
mod conversations;
mod images;
mod meta;
mod presets;
mod privacy;
mod reports;
mod rights;
mod sharing;
mod tools;
mod video;
mod widget;

pub use account::*;
pub use admin::*;
pub use billing::*;
pub use conversations::*;
pub use images::*;
pub use meta::*;
pub use presets::*;
pub use privacy::*;
pub use reports::*;
pub use rights::*;
pub use sharing::*;
pub use tools::*;
pub use video::*;
pub use widget::*;
