//! One module per route.

pub mod account;
pub mod auth;
pub mod home;
pub mod image;
pub mod library;
pub mod me;
pub mod not_found;
pub mod policy;
pub mod tools;
pub mod video;
