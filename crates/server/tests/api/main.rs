//! The server's integration tests, one module per concern, built as one test binary (linking the server and
//! its dependencies once instead of once per file). Each module opens with what it proves. `logging.rs` and
//! `memory.rs` stay binaries of their own: one installs a process-wide log subscriber, the other measures a
//! process under an address-space limit.

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod background;
mod backup;
mod checkout;
mod clips;
mod connections;
mod conversations;
mod credits;
mod device_edits;
mod diskfull;
mod durability;
mod email_and_profile;
mod encryption;
mod export;
mod fake_stripe;
mod hardening;
mod health;
mod images;
mod jobs;
mod metrics;
mod moderation;
mod objects;
mod openapi;
mod partners;
mod plans;
mod policy;
mod posters;
mod presets;
mod privacy;
mod provenance;
mod providers;
mod quotas;
mod references;
mod replicas;
mod reports;
mod retention;
mod rights;
mod routes;
mod security;
mod selection;
mod sessions;
mod sharing;
mod shutdown;
mod signup_login;
mod signups;
mod spa;
mod stripe;
mod suggestions;
mod tls;
mod tools;
mod variants;
mod video;
mod widget;
mod words;
