//! A language-model planner: an OpenAI-compatible chat-completions endpoint (hosted or self-hosted) turns
//! an instruction the local rules don't understand into an [`EditPlan`] through function calling; the
//! local engine then runs the plan. The plan is validated like any plan from outside.

use super::{send_with_retries, ProviderError, RetryPolicy};
use serde_json::{json, Value};
use vinano_engine::EditPlan;

/// Settings for the planner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannerConfig {
    /// Base URL without `/v1/...`.
    pub base_url: String,
    /// API key (empty for a self-hosted server without one).
    pub api_key: String,
    /// Model name.
    pub model: String,
    /// Timeouts and retries.
    pub policy: RetryPolicy,
}

/// The planner.
#[derive(Debug, Clone)]
pub struct ChatPlanner {
    config: PlannerConfig,
    http: reqwest::Client,
}

/// Every operation the executor knows, with its parameters.
const OPERATIONS: &str = "brightness/contrast/saturation/warmth {percent: -100..100}; exposure {stops: -3..3}; \
hue {degrees}; gamma {value: 0.2..5}; grayscale; sepia; invert; posterize {levels: 2..32}; vignette {strength: 0..100}; \
blur {radius: 0.5..50}; sharpen {amount: 1..100}; denoise; rotate {degrees: 90|180|270}; flip_horizontal; \
flip_vertical; crop_aspect {w, h}; crop_edges {left, top, right, bottom: percent 0..45}; resize_long_side \
{pixels: 16..8192}; scale {factor: 0.01..4}; border {width: 1..500, color: [r,g,b]}; fill_background {color}; \
caption {text, place: top|center|bottom, color}; poster {title, subtitle, colors: [[r,g,b],[r,g,b]]}";

impl ChatPlanner {
    /// A planner with its own connection pool.
    pub fn new(config: PlannerConfig) -> Self {
        Self { config, http: super::client() }
    }

    /// The name stored with results.
    pub fn name(&self) -> String {
        format!("planner:{}", self.config.model)
    }

    /// The `edit_plan` function the model must call.
    pub fn tool() -> Value {
        let number = json!({"type": "number"});
        let color = json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 255}, "minItems": 3, "maxItems": 3});
        let op_names = [
            "brightness",
            "contrast",
            "grayscale",
            "rotate",
            "flip_horizontal",
            "flip_vertical",
            "crop_aspect",
            "resize_long_side",
            "scale",
            "exposure",
            "saturation",
            "warmth",
            "hue",
            "gamma",
            "sepia",
            "invert",
            "posterize",
            "vignette",
            "blur",
            "sharpen",
            "denoise",
            "crop_edges",
            "border",
            "fill_background",
            "caption",
            "poster",
        ];
        let mut properties = serde_json::Map::new();
        properties.insert("op".into(), json!({"type": "string", "enum": op_names}));
        for name in [
            "percent", "degrees", "w", "h", "pixels", "factor", "stops", "value", "levels", "strength",
            "radius", "amount", "left", "top", "right", "bottom", "width",
        ] {
            properties.insert(name.into(), number.clone());
        }
        for name in ["text", "title", "subtitle"] {
            properties.insert(name.into(), json!({"type": "string"}));
        }
        properties.insert("color".into(), color.clone());
        properties.insert("place".into(), json!({"type": "string", "enum": ["top", "center", "bottom"]}));
        properties
            .insert("colors".into(), json!({"type": "array", "items": color, "minItems": 2, "maxItems": 2}));
        let item = json!({"type": "object", "properties": properties, "required": ["op"]});
        let parameters = json!({
            "type": "object",
            "properties": {"operations": {"type": "array", "minItems": 1, "maxItems": 20, "items": item}},
            "required": ["operations"]
        });
        json!({
            "type": "function",
            "function": {
                "name": "edit_plan",
                "description": format!("The steps that carry out the instruction, in order. Operations: {OPERATIONS}."),
                "parameters": parameters
            }
        })
    }

    /// Asks the model for a plan.
    pub async fn plan(&self, instruction: &str) -> Result<EditPlan, ProviderError> {
        let c = &self.config;
        let body = json!({
            "model": c.model,
            "messages": [
                {"role": "system", "content": "You turn a photo-editing instruction into steps for an image editor. \
                  Always answer by calling edit_plan. Use only the listed operations and ranges."},
                {"role": "user", "content": instruction}
            ],
            "tools": [Self::tool()],
            "tool_choice": {"type": "function", "function": {"name": "edit_plan"}}
        });
        let url = format!("{}/v1/chat/completions", c.base_url.trim_end_matches('/'));
        let response = send_with_retries("planner", c.policy, || {
            let request = self.http.post(&url).json(&body);
            if c.api_key.is_empty() {
                request
            } else {
                request.bearer_auth(&c.api_key)
            }
        })
        .await?;
        let status = response.status();
        let answer: Value = super::read_json(response, super::MAX_JSON_ANSWER).await?;
        if !status.is_success() {
            let message = answer["error"]["message"].as_str().unwrap_or("unknown error").to_string();
            return Err(ProviderError::Rejected(message));
        }
        let arguments = answer["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
            .as_str()
            .ok_or_else(|| ProviderError::Rejected("the planner answered without a plan.".into()))?;
        let plan: EditPlan = serde_json::from_str(arguments)
            .map_err(|e| ProviderError::Rejected(format!("the planner's plan could not be read ({e}).")))?;
        plan.validate().map_err(|e| ProviderError::Rejected(e.to_string()))?;
        Ok(plan)
    }
}
