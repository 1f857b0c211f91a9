//! Home for a visitor, below what the frame shows (the hero and what ViNano does in three lines): a short
//! tour of real examples — a photo, what was asked and what ViNano's local engine made of it, at build time
//! (`crates/server/examples/tour.rs` writes `/tour/{name}-before.jpg` and `-after.jpg`) — and the way to an
//! account. It comes in Home's chunk (`routes::home_part`), with its stylesheet (`home.css`), after the
//! page has shown.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;
use vinano_api::tour::{TourExample, TOUR};

/// The message keys of an example: the instruction, and what its photo shows.
fn keys(example: &TourExample) -> (String, String) {
    (format!("tour-{}", example.name), format!("tour-{}-photo", example.name))
}

/// Mounts the tour into `slot`, as a child of `owner` (Home's).
pub fn mount(slot: web_sys::HtmlElement, owner: Owner) {
    owner.with(|| {
        let handle = leptos::mount::mount_to(slot, Tour);
        // Dropped (and so unmounted) with the owner.
        StoredValue::new_local(handle);
    });
}

/// The tour.
#[component]
pub fn Tour() -> impl IntoView {
    let i18n = use_i18n();
    let cards = TOUR
        .iter()
        .map(|example| {
            let (said, photo) = keys(example);
            let words = i18n.t(&said);
            let after_alt = i18n.t_args(
                if example.photo.is_some() { "tour-after-alt" } else { "tour-made-alt" },
                [("photo", i18n.t(&photo).into()), ("words", words.clone().into())],
            );
            // A photo, or (for a picture made from words alone) the words where the photo would be.
            let before = match example.photo {
                Some(_) => view! {
                    <img src=format!("/tour/{}-before.jpg", example.name) alt=i18n.t(&photo) loading="lazy" decoding="async"/>
                }
                .into_any(),
                None => view! { <p class="tour-words-only" aria-hidden="true">{format!("“{words}”")}</p> }.into_any(),
            };
            view! {
                <li class="tour-card">
                    <p class="tour-asked"><span class="visually-hidden">{i18n.tr("tour-asked")}</span>{format!("“{words}”")}</p>
                    <div class="tour-pair">
                        <div class="tour-shot">
                            {before}
                            <span>{i18n.tr(if example.photo.is_some() { "tour-before" } else { "tour-words" })}</span>
                        </div>
                        <div class="tour-shot">
                            <img src=format!("/tour/{}-after.jpg", example.name) alt=after_alt loading="lazy" decoding="async"/>
                            <span>{i18n.tr("tour-after")}</span>
                        </div>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="tour" aria-labelledby="tour-title">
            <h2 id="tour-title">{i18n.tr("tour-title")}</h2>
            <p class="muted">{i18n.tr("tour-lead")}</p>
            <ol class="tour-cards">{cards}</ol>
            <div class="tour-end">
                <h3>{i18n.tr("tour-end-title")}</h3>
                <p>{i18n.tr("tour-end-lead")}</p>
                <div class="hero-actions">
                    <A href="/signup" attr:class="btn btn-primary btn-large">{i18n.tr("tour-signup")}</A>
                    <A href="/image" attr:class="btn btn-ghost btn-large">{i18n.tr("tour-try")}</A>
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{translate, Locale};

    /// Each example says, in every language, the instruction the pictures were made with: English as the
    /// generator typed it, and the Chinese read by the same rules into the same steps.
    #[test]
    fn every_language_says_what_the_pictures_were_made_with() {
        for example in TOUR {
            let (said, photo) = keys(&example);
            let english = vinano_engine::plan(example.instruction).unwrap();
            assert_eq!(translate(Locale::ALL[0], &said, &[]), example.instruction);
            for locale in Locale::ALL {
                let words = translate(locale, &said, &[]);
                let plan = vinano_engine::plan(&words).unwrap_or_else(|e| panic!("{words}: {e}"));
                // A poster's title is in the language asked in; the steps are the same.
                let kinds = |p: &vinano_engine::EditPlan| {
                    p.operations.iter().map(std::mem::discriminant).collect::<Vec<_>>()
                };
                match english.creates_image() {
                    true => assert_eq!(kinds(&plan), kinds(&english), "{} {said} = {words}", locale.tag()),
                    false => {
                        assert_eq!(plan.operations, english.operations, "{} {said} = {words}", locale.tag())
                    }
                }
                assert_ne!(translate(locale, &photo, &[]), photo, "{} {photo}", locale.tag());
            }
        }
    }
}
