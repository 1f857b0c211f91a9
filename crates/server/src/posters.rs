//! A poster edited by chat: "make the title red" on a poster (or on a version made from one) draws the
//! poster again from its words and design with the change, then repeats the steps that came after it —
//! instead of tinting or scaling the poster's pixels.

use crate::error::{Error, Result};
use crate::ids::{ImageId, UserId};
use crate::AppState;
use vinano_engine::{EditPlan, Operation};

/// How far up the version tree a poster is looked for.
const MAX_DEPTH: usize = 12;

/// A poster drawn again: the steps, and the image they start from (the photo under a poster drawn over
/// one, else the version the person was looking at, which the result is made from).
#[derive(Debug)]
pub struct Revised {
    /// The poster step with the change, the steps after it, then the instruction's other clauses.
    pub plan: EditPlan,
    /// The image the job starts from, and the result's parent.
    pub start: ImageId,
}

/// The plan of `target`'s poster changed as `text` asks, when `target` is a poster ViNano's editor drew
/// (or a version made from one by whole-photo steps) and `text` asks to change its words, their colour or
/// its background. `None` otherwise: the instruction is planned as any other.
pub async fn revision(
    state: &AppState,
    user_id: &UserId,
    target: &ImageId,
    text: &str,
) -> Result<Option<Revised>> {
    // The plans from `target` up to the version whose plan drew the poster, newest first.
    let mut chain: Vec<EditPlan> = Vec::new();
    let mut current = target.to_string();
    let (poster_plan, poster_parent) = loop {
        if chain.len() >= MAX_DEPTH {
            return Ok(None);
        }
        let row: Option<(Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT plan_json, parent_id, provider FROM images WHERE id = $1 AND user_id = $2",
        )
        .bind(&current)
        .bind(user_id)
        .fetch_optional(&state.db)
        .await?;
        let Some((Some(json), parent, provider)) = row else { return Ok(None) };
        let Some(plan) = crate::presets::reusable(Some(&json), provider.as_deref()) else { return Ok(None) };
        if plan.operations.iter().any(|op| matches!(op, Operation::Video { .. })) {
            return Ok(None);
        }
        if plan.operations.iter().any(|op| matches!(op, Operation::Poster { .. })) {
            break (plan, parent);
        }
        chain.push(plan);
        match parent {
            Some(parent) => current = parent,
            None => return Ok(None),
        }
    };
    let at = poster_plan.operations.iter().rposition(|op| matches!(op, Operation::Poster { .. }));
    let Some(at) = at else { return Ok(None) };
    let Some(revision) = vinano_engine::revise(&poster_plan.operations[at], text) else { return Ok(None) };
    let over_photo =
        matches!(&revision.poster, Operation::Poster { design: Some(design), .. } if design.photo);
    let mut operations = vec![revision.poster];
    operations.extend(poster_plan.operations[at + 1..].iter().cloned());
    operations.extend(chain.into_iter().rev().flat_map(|plan| plan.operations));
    let mut not_understood = revision.unclear;
    if !revision.rest.is_empty() {
        match vinano_engine::plan(&revision.rest.join(", ")) {
            Ok(plan) => {
                operations.extend(plan.operations);
                not_understood.extend(plan.not_understood);
            }
            Err(vinano_engine::EngineError::NotUnderstood) => not_understood.extend(revision.rest),
            Err(e) => return Err(Error::invalid(e.said())),
        }
    }
    let plan = EditPlan { operations, not_understood, in_selection: false, base: None };
    plan.validate().map_err(|e| Error::invalid(e.said()))?;
    // A poster over a photo is drawn again over that photo; its version must still be there.
    let start = match over_photo {
        true => match poster_parent {
            Some(photo) => ImageId::from(photo),
            None => return Ok(None),
        },
        false => target.clone(),
    };
    Ok(Some(Revised { plan, start }))
}
