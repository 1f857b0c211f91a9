//! Product photos (`/tools/product`): the subject cut out and centred with margins on white, a colour, a
//! gradient or a drawn scene (a studio, a wooden table, window light), at a marketplace's size, with an
//! optional soft shadow. One photo ends in the editor; several
//! (up to 20) run as a batch on the page and download as a ZIP.

use super::batch::{Batch, BatchList, BatchPicker, Work};
use super::{choices, start_in_editor, ToolPage};
use crate::components::form::{FieldMessage, FormErrors};
use crate::i18n::use_i18n;
use crate::state::start::Start;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{ProductPreset, ProductScene, ProductTool, Tool};

/// (name key, what-it-is key) of a preset.
fn keys(preset: ProductPreset) -> (&'static str, &'static str) {
    match preset {
        ProductPreset::Square2000 => ("tools-product-square2000", "tools-product-square2000-about"),
        ProductPreset::Ebay => ("tools-product-ebay", "tools-product-ebay-about"),
        ProductPreset::Shopee => ("tools-product-shopee", "tools-product-shopee-about"),
        ProductPreset::Etsy => ("tools-product-etsy", "tools-product-etsy-about"),
        ProductPreset::Social => ("tools-product-social", "tools-product-social-about"),
    }
}

/// What goes behind the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backdrop {
    White,
    Colour,
    Gradient,
    Scene,
}

impl Backdrop {
    const ALL: [Backdrop; 4] = [Backdrop::White, Backdrop::Colour, Backdrop::Gradient, Backdrop::Scene];

    fn key(self) -> &'static str {
        match self {
            Backdrop::White => "tools-product-white",
            Backdrop::Colour => "tools-product-colour",
            Backdrop::Gradient => "tools-product-gradient",
            Backdrop::Scene => "tools-product-scene",
        }
    }
}

/// (name key, what-it-is key) of a scene.
fn scene_keys(scene: ProductScene) -> (&'static str, &'static str) {
    match scene {
        ProductScene::Studio => ("tools-product-scene-studio", "tools-product-scene-studio-about"),
        ProductScene::Table => ("tools-product-scene-table", "tools-product-scene-table-about"),
        ProductScene::Sunlit => ("tools-product-scene-sunlit", "tools-product-scene-sunlit-about"),
    }
}

/// The product photo page.
#[component]
pub fn ProductTool() -> impl IntoView {
    view! { <ToolPage title="tools-product-title" about="tools-product-about"><ProductForm/></ToolPage> }
}

#[component]
fn ProductForm() -> impl IntoView {
    let i18n = use_i18n();
    let errors = FormErrors::new();
    let preset = RwSignal::new(ProductPreset::Square2000);
    let backdrop = RwSignal::new(Backdrop::White);
    let (top, bottom) = (RwSignal::new("#eef2f7".to_string()), RwSignal::new("#c9d4e3".to_string()));
    let shadow = RwSignal::new(false);
    let scene = RwSignal::new(ProductScene::Table);
    let batch = Batch::new();
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let colors = match backdrop.get_untracked() {
            Backdrop::White | Backdrop::Scene => vec![],
            Backdrop::Colour => vec![top.get_untracked()],
            Backdrop::Gradient => vec![top.get_untracked(), bottom.get_untracked()],
        };
        let in_scene = (backdrop.get_untracked() == Backdrop::Scene).then(|| scene.get_untracked());
        let form = ProductTool {
            preset: preset.get_untracked(),
            colors,
            shadow: shadow.get_untracked(),
            scene: in_scene,
        };
        if let Err(e) = form.check() {
            errors.invalid(i18n, e);
            return;
        }
        let words = i18n.t_args(
            "tools-product-summary",
            [
                ("preset", i18n.t(keys(form.preset).0).into()),
                (
                    "backdrop",
                    i18n.t(in_scene.map_or(backdrop.get_untracked().key(), |s| scene_keys(s).0)).into(),
                ),
            ],
        );
        let tool = Some(Tool::Product(form));
        match (batch.len(), batch.single()) {
            (0, _) => batch.problem.set(Some(i18n.t("tools-batch-need-photos"))),
            (1, Some(file)) => start_in_editor(
                &navigate,
                Start { text: words, files: vec![file], tool, preset: None, image: None },
            ),
            (n, _) => {
                let title = i18n.t_args("tools-product-batch-title", [("count", n.into())]);
                batch.start(title, Work { text: words, tool }, i18n);
            }
        }
    };
    let presets = move || {
        choices("preset", ProductPreset::ALL.into_iter().map(|p| (p, keys(p).0, Some(keys(p).1))), preset)
    };
    let backdrops =
        move || choices("backdrop", Backdrop::ALL.into_iter().map(|b| (b, b.key(), None)), backdrop);
    let scenes = move || {
        choices(
            "scene",
            ProductScene::ALL.into_iter().map(|s| (s, scene_keys(s).0, Some(scene_keys(s).1))),
            scene,
        )
    };
    let colour = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <label class="colour-field" for=id>
                <span>{i18n.tr(label)}</span>
                <input id=id class="color-input" type="color" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <form class="form tool-form" on:submit=submit novalidate>
            <Show when=move || !batch.started()>
                <fieldset class="presets">
                    <legend>{i18n.tr("tools-product-field-size")}</legend>
                    {presets()}
                </fieldset>
                <fieldset class="presets backdrops" aria-invalid=errors.aria_invalid("colors")>
                    <legend>{i18n.tr("tools-product-field-backdrop")}</legend>
                    {backdrops()}
                </fieldset>
                <Show when=move || backdrop.get() == Backdrop::Scene>
                    <fieldset class="presets">
                        <legend>{i18n.tr("tools-product-field-scene")}</legend>
                        {scenes()}
                    </fieldset>
                </Show>
                <Show when=move || matches!(backdrop.get(), Backdrop::Colour | Backdrop::Gradient)>
                    <div class="colour-fields">
                        {colour("product-top", "tools-product-colour-value", top)}
                        <Show when=move || backdrop.get() == Backdrop::Gradient>
                            {colour("product-bottom", "tools-product-bottom", bottom)}
                        </Show>
                    </div>
                </Show>
                <FieldMessage field="colors" errors=errors/>
                <label class="check">
                    <input type="checkbox" prop:checked=move || shadow.get() on:change=move |ev| shadow.set(event_target_checked(&ev))/>
                    {i18n.tr("tools-product-shadow")}
                </label>
                <span class="field-label">{i18n.tr("tools-product-field-photos")}</span>
                <small class="hint">{i18n.tr("tools-product-photos-hint")}</small>
            </Show>
            <BatchList batch=batch zip_name=Signal::derive(move || i18n.t("tools-product-zip")) suffix="product"/>
            <BatchPicker batch=batch/>
            <Show when=move || !batch.started()>
                <button type="submit" class="btn btn-primary">
                    {move || match batch.len() {
                        0 | 1 => i18n.t("tools-product-submit"),
                        n => i18n.t_args("tools-product-submit-many", [("count", n.into())]),
                    }}
                </button>
            </Show>
        </form>
    }
}
