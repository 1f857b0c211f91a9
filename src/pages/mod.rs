//! One module per route (or per group of routes): `auth` is `/login` and `/signup`; `email_links` the pages
//! an emailed link opens (`/verify-email`, `/reset-password`) and `/forgot-password`; `image` the editor;
//! `me` the person's own pages (account, privacy, data, security); `embed` the widget on partners' sites;
//! `share` what a share link shows (`/s/:token`); `start` Home's part for a signed-in person.

pub mod admin;
pub mod auth;
pub mod checkout;
pub mod email_links;
pub mod embed;
pub mod home;
pub mod image;
pub mod library;
pub mod me;
pub mod not_found;
pub mod policy;
pub mod share;
pub mod start;
pub mod tools;
pub mod tour;
