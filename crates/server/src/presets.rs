//! My presets: the steps that made a version a person liked, saved under a name and an icon and run again on
//! other photos (`PostMessage.preset`).
//!
//! - Only steps the local engine can do again from one whole photo are saved: a version ViNano's editor made
//!   (not an upload, not a model provider's edit), without a brushed area and without other images.
//! - A preset keeps its own copy of the steps: deleting the version leaves it. It goes with its owner's
//!   account, and like every table with a `user_id` it is in the person's access report and export.
//! - A person keeps at most [`MAX_PRESETS`].

use crate::error::{Error, Result};
use crate::ids::{self, UserId};
use crate::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;
use vinano_api::{Msg, NewPreset, Preset, PresetIcon, Problem, MAX_PRESETS, MAX_PRESET_NAME};
use vinano_engine::EditPlan;

/// The steps a version's stored plan can give a preset, or `None` when they can't be run again elsewhere.
pub fn reusable(plan_json: Option<&str>, provider: Option<&str>) -> Option<EditPlan> {
    if provider.is_some_and(|p| p != "local") {
        return None;
    }
    let mut plan: EditPlan = serde_json::from_str(plan_json?).ok()?;
    if plan.in_selection || plan.base.is_some() || plan.operations.is_empty() || plan.validate().is_err() {
        return None;
    }
    plan.not_understood.clear();
    plan.for_images(1).ok()
}

/// The name as kept: trimmed, 1 to [`MAX_PRESET_NAME`] characters, no control characters.
fn name(raw: &str) -> Result<String> {
    let name = raw.trim();
    let count = name.chars().count();
    if count == 0 || count > MAX_PRESET_NAME || name.chars().any(char::is_control) {
        return Err(Error::Field("name", Problem::new(Msg::PresetName).num("max", MAX_PRESET_NAME as u64)));
    }
    Ok(name.to_string())
}

fn view(row: &AnyRow) -> Result<Preset> {
    let plan: EditPlan = serde_json::from_str(&row.try_get::<String, _>("plan_json")?)
        .map_err(|e| Error::Anyhow(anyhow::anyhow!("a stored preset's plan is unreadable: {e}")))?;
    let said = plan.steps_said();
    Ok(Preset {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        icon: PresetIcon::parse(&row.try_get::<String, _>("icon")?),
        steps: said.iter().map(crate::i18n::english).collect(),
        steps_said: said.into_iter().map(Into::into).collect(),
        created_at: crate::clock::timestamp(row.try_get("created_at")?),
        used_at: row.try_get::<Option<i64>, _>("used_at")?.map(crate::clock::timestamp),
    })
}

const ROW: &str = "id, name, icon, plan_json, created_at, used_at";

/// Saves the steps of one of `user_id`'s versions as a preset (404 for anyone else's version; 422 when its
/// steps can't be run again or the name is wrong; 409 when the person has [`MAX_PRESETS`] already).
pub async fn create(state: &AppState, user_id: &UserId, new: &NewPreset) -> Result<Preset> {
    let name = name(&new.name)?;
    let stored: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT plan_json, provider FROM images WHERE id = $1 AND user_id = $2")
            .bind(&new.image_id)
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    let (plan_json, provider) = stored.ok_or(Error::NotFound)?;
    let plan = reusable(plan_json.as_deref(), provider.as_deref())
        .ok_or_else(|| Error::Field("image_id", Msg::PresetSteps.into()))?;
    let id = ids::new_id();
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM presets WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    if count >= MAX_PRESETS as i64 {
        return Err(Error::conflict(Problem::new(Msg::PresetsFull).num("max", MAX_PRESETS as u64)));
    }
    sqlx::query(
        "INSERT INTO presets (id, user_id, name, icon, plan_json, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(&name)
    .bind(new.icon.as_str())
    .bind(serde_json::to_string(&plan).map_err(anyhow::Error::from)?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(event = "preset_saved", user = %user_id, preset = %id, "preset saved");
    let row = sqlx::query(&format!("SELECT {ROW} FROM presets WHERE id = $1"))
        .bind(&id)
        .fetch_one(&state.db)
        .await?;
    view(&row)
}

/// The person's presets, the most recently used (or saved) first.
pub async fn list(state: &AppState, user_id: &UserId) -> Result<Vec<Preset>> {
    let rows = sqlx::query(&format!(
        "SELECT {ROW} FROM presets WHERE user_id = $1 ORDER BY COALESCE(used_at, created_at) DESC, id"
    ))
    .bind(user_id)
    .fetch_all(&state.db)
    .await?;
    rows.iter().map(view).collect()
}

/// Deletes one of the person's presets; `false` when they have none by that id.
pub async fn delete(state: &AppState, user_id: &UserId, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM presets WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&state.db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The steps of one of the person's presets, to run (404 for anyone else's); marks it used.
pub async fn plan(state: &AppState, user_id: &UserId, id: &str) -> Result<EditPlan> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT plan_json FROM presets WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    let plan: EditPlan = serde_json::from_str(&stored.ok_or(Error::NotFound)?)
        .map_err(|e| Error::Anyhow(anyhow::anyhow!("a stored preset's plan is unreadable: {e}")))?;
    sqlx::query("UPDATE presets SET used_at = $1 WHERE id = $2")
        .bind(state.clock.now_ms())
        .bind(id)
        .execute(&state.db)
        .await?;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_steps_the_engine_can_run_again_on_one_photo_are_reusable() {
        let warm = vinano_engine::plan("make it warmer and crop it square").unwrap();
        let json = serde_json::to_string(&warm).unwrap();
        assert_eq!(reusable(Some(&json), None).map(|p| p.operations), Some(warm.operations.clone()));
        assert!(reusable(Some(&json), Some("local")).is_some());
        // A model's edit, an upload (no plan), a brushed area, another image's steps: not reusable.
        assert!(reusable(Some(&json), Some("openai")).is_none());
        assert!(reusable(None, None).is_none());
        let mut brushed = warm.clone();
        brushed.in_selection = true;
        assert!(reusable(Some(&serde_json::to_string(&brushed).unwrap()), None).is_none());
        let mut other = warm;
        other.base = Some(2);
        assert!(reusable(Some(&serde_json::to_string(&other).unwrap()), None).is_none());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  Warm square ").unwrap(), "Warm square");
        assert_eq!(name("暖色正方形").unwrap(), "暖色正方形");
        assert!(name("   ").is_err());
        assert!(name(&"x".repeat(61)).is_err());
        assert!(name("a\u{0}b").is_err());
    }
}
