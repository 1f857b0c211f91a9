//! Each version's actions in one menu ("⋯", see [`Menu`]), instead of a row of buttons under every
//! picture: choose it for the next edit, compare it with the version before, regenerate it, download it,
//! share or copy it, rate it, set its privacy, delete it.

use super::actions::{ImagePrivacy, RateResult};
use super::use_editor;
use crate::api;
use crate::components::dialog::{use_dialogs, Confirm};
use crate::components::form::Submit;
use crate::components::menu::{use_menu, Menu};
use crate::components::toast::{use_toasts, ToastAction, Toasts};
use crate::components::ErrorAlert;
use crate::i18n::{use_i18n, I18n};
use leptos::prelude::*;
use vinano_api::{DeletedImages, ImageInfo, Role};

/// What the menu offers for one version.
pub(super) struct MenuFor {
    /// The version.
    pub image: ImageInfo,
    /// Who posted it.
    pub role: Role,
    /// An animated GIF or a video: downloads as itself, isn't edited further.
    pub is_clip: bool,
    /// Whether it has a version before it to compare with.
    pub has_before: bool,
    /// Whether the compare slider shows.
    pub comparing: RwSignal<bool>,
    /// The instruction and parent it was made from (for "Regenerate").
    pub regenerate: Option<(String, String)>,
}

/// The "⋯" button and its menu.
#[component]
pub(super) fn VersionMenu(
    /// What it offers.
    menu: MenuFor,
) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let MenuFor { image, role, is_clip, has_before, comparing, regenerate } = menu;
    let panel_id = format!("menu-{}", image.id);
    let id = image.id.clone();
    let selected = Memo::new(move |_| editor.target.with(|t| t.as_ref().is_some_and(|t| t.id == id)));
    let chosen = StoredValue::new(image.clone());
    let regenerate = StoredValue::new(regenerate.filter(|_| role == Role::Assistant));
    let rating = (role == Role::Assistant).then(|| (image.id.clone(), image.feedback.clone()));
    // Steps ViNano's editor did on one whole photo can be kept as a preset, named after them to start with.
    let preset = StoredValue::new(
        image.generation.as_ref().filter(|g| g.provider == "local" && !g.selection).map(|g| {
            let steps = crate::components::steps_text(i18n, g);
            (image.id.clone(), steps.chars().take(vinano_api::MAX_PRESET_NAME).collect::<String>())
        }),
    );
    view! {
        <Menu id=panel_id label=i18n.t("image-menu")>
            {
                let menu = use_menu();
                let target_item = (!is_clip).then(|| {
                    view! {
                        <button
                            type="button"
                            class="menu-item"
                            aria-pressed=move || selected.get().to_string()
                            on:click=move |_| {
                                editor.target.set(Some(chosen.get_value()));
                                menu.close();
                            }
                        >
                            {move || if selected.get() { i18n.t("image-target-selected") } else { i18n.t("image-use-target") }}
                        </button>
                    }
                });
                let compare_item = has_before.then(|| {
                    view! {
                        <button
                            type="button"
                            class="menu-item"
                            aria-pressed=move || comparing.get().to_string()
                            on:click=move |_| {
                                comparing.update(|c| *c = !*c);
                                menu.close();
                            }
                        >
                            {move || if comparing.get() { i18n.t("image-compare-close") } else { i18n.t("image-compare") }}
                        </button>
                    }
                });
                let regenerate_item = regenerate.get_value().map(|_| {
                    view! {
                        <button
                            type="button"
                            class="menu-item"
                            disabled=move || editor.send.pending.get()
                            on:click=move |_| {
                                menu.close();
                                if let Some(pair) = regenerate.get_value() {
                                    editor.regenerate.run(pair);
                                }
                            }
                        >
                            {i18n.tr("image-regenerate")}
                        </button>
                    }
                });
                let rating = rating.map(|(id, initial)| view! { <RateResult image_id=id initial=initial/> });
                let preset_item = preset.get_value().map(|(id, name)| {
                    let saving = editor.saving_preset;
                    view! {
                        <button type="button" class="menu-item" on:click=move |_| {
                            menu.close();
                            saving.set(Some((id.clone(), name.clone())));
                        }>
                            {i18n.tr("preset-save-item")}
                        </button>
                    }
                });
                view! {
                    {target_item}
                    {compare_item}
                    {regenerate_item}
                    {preset_item}
                    <Downloads image=image.clone() is_clip=is_clip/>
                    <ShareItems image=image.clone() is_clip=is_clip/>
                    {rating}
                    <ImagePrivacy image=image.clone()/>
                    <DeleteItems id=image.id.clone()/>
                }
            }
        </Menu>
    }
}

/// Download links: PNG, JPEG and WebP for a still, with a line on what the file carries; a clip as itself.
#[component]
fn Downloads(image: ImageInfo, is_clip: bool) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |href: String, name: &'static str| {
        view! {
            <a class="menu-item" href=href download>
                {i18n.t_args("image-download-as", [("format", name.into())])}
            </a>
        }
    };
    if is_clip {
        let name = if image.content_type.starts_with("video/") { "MP4" } else { "GIF" };
        link(format!("{}?download=1", image.url()), name).into_any()
    } else {
        // What the file carries: ViNano's own results are marked as made or edited by it (IPTC, in XMP), and
        // carry signed Content Credentials when the server has them on; an upload carries nothing.
        let credentials =
            use_editor().credits.get_untracked().and_then(Result::ok).is_some_and(|c| c.engines.credentials);
        let note = match (image.generation.is_some(), credentials) {
            (true, true) => "image-download-credentials",
            (true, false) => "image-download-marked",
            (false, _) => "image-download-clean",
        };
        let links = [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WebP")]
            .into_iter()
            .map(|(format, name)| link(image.download_url(format), name))
            .collect_view();
        view! {
            {links}
            <p class="menu-note">{i18n.tr(note)}</p>
        }
        .into_any()
    }
}

/// "Share a link…" (a read-only link, see `link.rs`), and "Share…" (the file to the system share sheet)
/// and "Copy image" where the browser can do them.
#[component]
fn ShareItems(image: ImageInfo, is_clip: bool) -> impl IntoView {
    let i18n = use_i18n();
    let menu = use_menu();
    let toasts = use_toasts();
    let image = StoredValue::new(image);
    let share = move |_| {
        menu.close();
        let image = image.get_value();
        let extension = image.content_type.rsplit('/').next().unwrap_or("png").replace("jpeg", "jpg");
        let name = format!("vinano-{}.{extension}", image.id);
        let title = i18n.t("app-name");
        leptos::task::spawn_local(async move {
            if crate::state::pwa::share_image(&image.url(), &name, &title).await.is_err() {
                toasts.note(i18n.t("share-failed"));
            }
        });
    };
    let copy = move |_| {
        menu.close();
        let url = image.with_value(|i| i.download_url("png"));
        leptos::task::spawn_local(async move {
            let said = if crate::state::pwa::copy_image(&url).await.is_ok() {
                "copy-image-done"
            } else {
                "copy-failed"
            };
            toasts.note(i18n.t(said));
        });
    };
    let sharing = use_editor().sharing;
    let link = move |_| {
        menu.close();
        sharing.set(Some(super::link::ShareWhat::Image(image.with_value(|i| i.id.clone()))));
    };
    let share_item = crate::state::pwa::can_share_files().then(|| {
        view! { <button type="button" class="menu-item" on:click=share>{i18n.tr("share-image")}</button> }
    });
    let copy_item = (!is_clip && crate::state::pwa::can_copy_image()).then(|| {
        view! { <button type="button" class="menu-item" on:click=copy>{i18n.tr("copy-image")}</button> }
    });
    view! {
        <button type="button" class="menu-item" on:click=link>{i18n.tr("share-link")}</button>
        {share_item}
        {copy_item}
    }
}

/// "Delete this version" at once, with Undo for 10 seconds; "Delete all versions" after a question, with
/// Undo too.
#[component]
fn DeleteItems(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let menu = use_menu();
    let refresh = use_editor().refresh;
    let toasts = use_toasts();
    let dialogs = use_dialogs();
    let id = StoredValue::new(id);
    let act = Submit::new();
    let delete = move |all: bool| {
        menu.close();
        act.run(async move { api::delete_image(&id.get_value(), all, true).await }, move |done| {
            refresh.run(());
            announce(i18n, toasts, refresh, done);
        });
    };
    let delete_all = move |_| {
        menu.close();
        dialogs.confirm(Confirm {
            question: i18n.t("image-delete-all-confirm"),
            confirm: i18n.t("image-delete-all"),
            danger: true,
            then: Callback::new(move |()| delete(true)),
        });
    };
    view! {
        <button type="button" class="menu-item danger" on:click=move |_| delete(false) disabled=move || act.pending.get()>
            {i18n.tr("image-delete-version")}
        </button>
        <button type="button" class="menu-item danger" on:click=delete_all disabled=move || act.pending.get()>
            {i18n.tr("image-delete-all")}
        </button>
        <ErrorAlert message=act.errors.general/>
    }
}

/// Says what a delete did, with Undo while it is possible.
fn announce(i18n: I18n, toasts: Toasts, refresh: Callback<()>, done: DeletedImages) {
    if let Some(note) = &done.message {
        toasts.note(i18n.said(done.message_said.as_ref(), note));
    }
    if done.deleted == 0 {
        return;
    }
    let text = i18n.t_args("image-deleted", [("count", done.deleted.into())]);
    let action = done.undo.map(|undo| {
        let token = StoredValue::new(undo.token);
        ToastAction {
            label: i18n.t("toast-undo"),
            run: Callback::new(move |()| {
                toasts.call(async move { api::restore_images(&token.get_value()).await }, move |_| {
                    // The editor may have gone meanwhile; if it is still there, it shows the version again.
                    refresh.try_run(());
                    toasts.note(i18n.t("image-restored"));
                });
            }),
        }
    });
    toasts.show(text, action, crate::components::toast::UNDO_MS);
}
