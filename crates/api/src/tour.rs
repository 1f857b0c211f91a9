//! The visitor tour on Home: real examples of what the local engine does, made from them at build time
//! (`crates/server/examples/tour.rs` writes `tour/{name}-before.jpg` and `tour/{name}-after.jpg`), and
//! shown by the app (`src/pages/tour.rs`) with the instruction in the visitor's language.

/// One example: what it is called, the photo it starts from and what is asked of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TourExample {
    /// Its name, in its files' names and the app's message keys (`tour-{name}`).
    pub name: &'static str,
    /// The sample photo it starts from (in `target/models/`, from `cargo xtask bootstrap`); `None`: it
    /// starts from words alone (a poster).
    pub photo: Option<&'static str>,
    /// The instruction, in English as typed.
    pub instruction: &'static str,
}

/// The examples, in the order Home shows them.
pub const TOUR: [TourExample; 4] = [
    TourExample {
        name: "coffee",
        photo: Some("coffee.png"),
        instruction: "Make it warmer and crop it square",
    },
    TourExample { name: "portrait", photo: Some("astronaut.png"), instruction: "Blur the background a lot" },
    TourExample {
        name: "cat",
        photo: Some("chelsea.png"),
        instruction: "Make it black and white with more contrast",
    },
    TourExample { name: "poster", photo: None, instruction: "A poster for a summer sale" },
];
