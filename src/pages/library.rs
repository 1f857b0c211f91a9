//! `/images`: "All my images", every upload and result across conversations, newest first.

use crate::api;
use crate::components::describe;
use crate::components::error_text;
use crate::components::signed_in::RequireSignIn;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// Images fetched per page.
const PAGE: u32 = 60;

/// The library page.
#[component]
pub fn Library() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page wide">
            <h1>{i18n.tr("library-title")}</h1>
            <RequireSignIn need="library-need-login">
                <Grid/>
            </RequireSignIn>
        </section>
    }
}

#[component]
fn Grid() -> impl IntoView {
    let i18n = use_i18n();
    let limit = RwSignal::new(PAGE);
    let images = LocalResource::new(move || {
        let n = limit.get();
        async move { api::list_images(n).await }
    });
    move || match images.get() {
        None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(items)) if items.is_empty() => {
            view! { <p class="muted">{i18n.tr("library-empty")}</p> }.into_any()
        }
        Some(Ok(items)) => {
            let more = items.len() as u32 >= limit.get_untracked();
            view! {
                <ul class="library">
                    {items
                        .into_iter()
                        .map(|item| {
                            let what = describe(i18n, &item.image);
                            let picture = view! {
                                // Tiles are about 9rem: the small previews, never the full image.
                                <img
                                    src=item.image.preview_url(256)
                                    srcset=item.image.srcset()
                                    sizes="(max-width: 720px) 45vw, 12rem"
                                    alt=what.clone()
                                    width=item.image.width
                                    height=item.image.height
                                    loading="lazy"
                                />
                            };
                            let tile = match item.conversation_id.clone() {
                                Some(c) => {
                                    let label = i18n.t_args("library-open", [("what", what.into())]);
                                    view! {
                                        <A href=format!("/image/{c}") attr:aria-label=label>{picture}</A>
                                    }
                                        .into_any()
                                }
                                None => picture.into_any(),
                            };
                            let expires = crate::components::expiry_text(i18n, &item.image);
                            view! { <li>{tile} <small class="muted">{expires}</small></li> }
                        })
                        .collect_view()}
                </ul>
                <Show when=move || more>
                    <button type="button" class="btn btn-ghost" on:click=move |_| limit.update(|n| *n += PAGE)>
                        {i18n.tr("image-show-more")}
                    </button>
                </Show>
            }
                .into_any()
        }
    }
}
