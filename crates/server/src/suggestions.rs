//! What Home suggests from a person's own history, without I/O: the instructions they come back to. An
//! instruction counts when its words alone made its result — the steps the rules read from the words are
//! the steps stored with the result — so a tool's form (whose summary isn't an instruction), a model
//! provider's edit or one shaped by the composer's settings is never offered as words to send again.

use vinano_api::UsedInstruction;
use vinano_engine::EditPlan;

/// The most instructions suggested.
pub const MOST: usize = 5;

/// One sent instruction and the plan stored with its result.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The words.
    pub text: String,
    /// The result's plan as stored (`None`: a model made it without one).
    pub plan_json: Option<String>,
    /// When it was sent (milliseconds).
    pub at: i64,
}

/// The words in a comparable form: trimmed, spaces collapsed, lower case.
fn key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// True when the rules, given `text` alone, make the steps stored in `plan_json`.
fn words_made_it(text: &str, plan_json: Option<&str>) -> bool {
    let Some(stored) = plan_json.and_then(|p| serde_json::from_str::<EditPlan>(p).ok()) else { return false };
    vinano_engine::plan(text).is_ok_and(|planned| planned.operations == stored.operations)
}

/// The instructions sent at least twice that made their results by their words alone, most used first
/// (then most recently used), at most [`MOST`]; each as last written.
pub fn instructions(sent: &[Sent]) -> Vec<UsedInstruction> {
    let mut counted: Vec<(String, String, u32, i64)> = Vec::new();
    for s in sent.iter().filter(|s| words_made_it(&s.text, s.plan_json.as_deref())) {
        let k = key(&s.text);
        match counted.iter_mut().find(|(existing, ..)| *existing == k) {
            Some((_, text, times, at)) => {
                *times += 1;
                if s.at > *at {
                    (*text, *at) = (s.text.trim().to_string(), s.at);
                }
            }
            None => counted.push((k, s.text.trim().to_string(), 1, s.at)),
        }
    }
    counted.retain(|(.., times, _)| *times >= 2);
    counted.sort_by(|a, b| b.2.cmp(&a.2).then(b.3.cmp(&a.3)));
    counted.into_iter().take(MOST).map(|(_, text, times, _)| UsedInstruction { text, times }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(text: &str, at: i64) -> Sent {
        let plan = vinano_engine::plan(text).ok().map(|p| serde_json::to_string(&p).unwrap());
        Sent { text: text.into(), plan_json: plan, at }
    }

    #[test]
    fn the_instructions_come_back_most_used_first_as_last_written() {
        let history = [
            sent("make it black and white", 1),
            sent("crop it square", 2),
            sent("Make it  black and white", 3),
            sent("crop it square", 4),
            sent("make it black and white", 5),
            sent("rotate it 90 degrees", 6),
        ];
        let got = instructions(&history);
        let texts: Vec<_> = got.iter().map(|u| (u.text.as_str(), u.times)).collect();
        // Used once (the rotation) isn't a habit yet.
        assert_eq!(texts, [("make it black and white", 3), ("crop it square", 2)]);
    }

    #[test]
    fn words_that_did_not_make_their_result_are_not_offered() {
        // A tool's summary: the stored steps are the form's, not what the words would make.
        let food = vinano_engine::tools::plan(&vinano_api::Tool::Enhance {
            preset: vinano_api::EnhancePreset::Food,
        })
        .unwrap();
        let tool = |at| Sent {
            text: "Enhance preset: Food".into(),
            plan_json: Some(serde_json::to_string(&food).unwrap()),
            at,
        };
        // A model's edit stores no steps of the rules'; the settings added a crop to the words' steps.
        let model = |at| Sent { text: "make her smile".into(), plan_json: None, at };
        let mut with_settings = vinano_engine::plan("make it warmer").unwrap();
        with_settings.operations.push(vinano_engine::Operation::CropAspect { w: 1, h: 1 });
        let set = |at| Sent {
            text: "make it warmer".into(),
            plan_json: Some(serde_json::to_string(&with_settings).unwrap()),
            at,
        };
        let history = [tool(1), tool(2), model(3), model(4), set(5), set(6), sent("make it warmer", 7)];
        assert_eq!(instructions(&history), []);
    }
}
