//! The moderation gate every prompt passes before any edit job is created, and its audit log.
//!
//! Review is automated and local: the prompt is normalised against common obfuscation (case, full-width
//! letters, zero-width characters, l33t digits, letters spaced or dotted apart), then checked against
//! English and Chinese (Traditional and Simplified) term lists per category. Some categories need two kinds
//! of term together (a minor *and* sexual content). A refusal names its category.
//!
//! Every decision is appended to `moderation_log` with the prompt's SHA-256 (never the prompt itself). Rows
//! are hash-chained — each row's hash covers the previous row's hash and its own fields — and the database
//! refuses updates and deletes, so tampering is both prevented and detectable ([`verify_chain`]).

mod fold;

use crate::AppState;
use sha2::{Digest, Sha256};

/// What a prompt was refused for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Sexual content involving minors.
    SexualMinors,
    /// Sexualised or undressed imagery of real people without their consent.
    NonConsensual,
    /// Violent extremism and terrorist propaganda.
    ViolentExtremism,
    /// Hate against protected groups.
    Hate,
    /// Suicide and self-harm.
    SelfHarm,
    /// Illegal goods: drugs, weapons trade, counterfeit money and documents.
    IllegalGoods,
}

impl Category {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::SexualMinors => "sexual_minors",
            Category::NonConsensual => "non_consensual_imagery",
            Category::ViolentExtremism => "violent_extremism",
            Category::Hate => "hate",
            Category::SelfHarm => "self_harm",
            Category::IllegalGoods => "illegal_goods",
        }
    }

    /// The refusal shown to the person: it names the category (and for self-harm, where to find help).
    pub fn refusal(self) -> vinano_api::Problem {
        vinano_api::Problem::new(vinano_api::Msg::Refused).text("category", self.as_str())
    }
}

/// A rule: any term of `all_of[0]`, and (when present) any term of `all_of[1]`.
struct Rule {
    category: Category,
    all_of: &'static [&'static [&'static str]],
}

const MINOR: &[&str] = &[
    "child",
    "children",
    "kid",
    "kids",
    "minor",
    "minors",
    "underage",
    "preteen",
    "toddler",
    "schoolgirl",
    "schoolboy",
    "loli",
    "lolita",
    "儿童",
    "兒童",
    "未成年",
    "幼女",
    "幼童",
    "小孩",
    "孩子",
    "宝宝",
    "寶寶",
    "婴儿",
    "嬰兒",
    "萝莉",
    "蘿莉",
    "小学生",
    "小學生",
];
const SEXUAL: &[&str] = &[
    "nude", "naked", "sexual", "sexy", "sex", "porn", "porno", "explicit", "erotic", "lingerie", "undress",
    "topless", "裸", "色情", "性感", "脱光", "脫光", "情色", "性爱", "性愛",
];

const RULES: &[Rule] = &[
    Rule { category: Category::SexualMinors, all_of: &[MINOR, SEXUAL] },
    Rule {
        category: Category::NonConsensual,
        all_of: &[&[
            "nudify",
            "undress her",
            "undress him",
            "undress them",
            "remove her clothes",
            "remove his clothes",
            "take off her clothes",
            "take off his clothes",
            "make her naked",
            "make him naked",
            "make them naked",
            "deepfake porn",
            "deep fake porn",
            "see through her clothes",
            "x-ray her clothes",
            "脱衣",
            "脫衣",
            "去衣",
            "一键脱衣",
            "一鍵脫衣",
            "换脸色情",
            "換臉色情",
        ]],
    },
    Rule {
        category: Category::ViolentExtremism,
        all_of: &[&[
            "isis",
            "isil",
            "al-qaeda",
            "al qaeda",
            "alqaeda",
            "jihadist",
            "terrorist propaganda",
            "terrorist recruitment",
            "nazi propaganda",
            "glorify the shooter",
            "mass shooting",
            "behead",
            "beheading",
            "恐怖主义宣传",
            "恐怖主義宣傳",
            "圣战",
            "聖戰",
            "斩首",
            "斬首",
        ]],
    },
    Rule {
        category: Category::Hate,
        all_of: &[&[
            "white power",
            "white supremacy",
            "white supremacist",
            "ethnic cleansing",
            "racial purity",
            "gas the jews",
            "subhuman",
            "种族清洗",
            "種族清洗",
            "种族灭绝",
            "種族滅絕",
        ]],
    },
    Rule {
        category: Category::SelfHarm,
        all_of: &[&[
            "suicide",
            "kill myself",
            "self-harm",
            "self harm",
            "selfharm",
            "cut myself",
            "hang myself",
            "自杀",
            "自殺",
            "自残",
            "自殘",
            "割腕",
            "轻生",
            "輕生",
        ]],
    },
    Rule {
        category: Category::IllegalGoods,
        all_of: &[&[
            "cocaine",
            "heroin",
            "meth",
            "methamphetamine",
            "fentanyl",
            "counterfeit money",
            "counterfeit bills",
            "fake passport",
            "forged passport",
            "fake id",
            "forged id",
            "ghost gun",
            "毒品",
            "冰毒",
            "海洛因",
            "可卡因",
            "芬太尼",
            "假钞",
            "假鈔",
            "假护照",
            "假護照",
            "假身份证",
            "假身分證",
        ]],
    },
];

/// Requests that are allowed but kept for human review: the prompt is logged as `review`, and the source
/// photo and the result are placed on evidence hold, which deletion and retention respect.
const REVIEW_RULES: &[(&str, &[&[&str]])] = &[
    (
        "minors_sensitive",
        &[
            MINOR,
            &[
                "bikini",
                "swimsuit",
                "swimwear",
                "bath",
                "bathing",
                "underwear",
                "pajamas",
                "泳衣",
                "比基尼",
                "洗澡",
                "内衣",
                "內衣",
                "睡衣",
            ],
        ],
    ),
    (
        "real_person_manipulation",
        &[&[
            "face swap",
            "swap faces",
            "swap her face",
            "swap his face",
            "put her face",
            "put his face",
            "换脸",
            "換臉",
        ]],
    ),
    ("graphic_violence", &[&["gore", "gory", "dismembered", "mutilated", "decapitated", "血腥", "肢解"]]),
];

/// The decision on one prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Nothing of concern.
    Allow,
    /// Allowed, but flagged for review (the name of the concern); results go on evidence hold.
    Review(&'static str),
    /// Refused, for this category.
    Refuse(Category),
}

/// The prompt, normalised two ways: `spaced` keeps word boundaries, `squashed` drops everything but
/// letters and digits (so "s.u.i.c.i.d.e" and "s u i c i d e" match "suicide").
struct Normalised {
    spaced: String,
    squashed: String,
}

fn normalise(text: &str) -> Normalised {
    let mut cleaned = String::with_capacity(text.len());
    // Look-alike letters (Cyrillic а, Greek ο, 𝐧, é) first become the Latin letters they imitate.
    let unmasked = text.chars().flat_map(|c| match fold::fold(c) {
        Some(letters) => letters.chars().collect::<Vec<_>>(),
        None => vec![c],
    });
    for c in unmasked {
        let c = match c as u32 {
            // Full-width ASCII (ｎａｋｅｄ) to ASCII.
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            // Zero-width characters and soft hyphens hide nothing.
            0x200B..=0x200D | 0x2060 | 0xFEFF | 0x00AD => continue,
            _ => c,
        };
        for lower in c.to_lowercase() {
            cleaned.push(match lower {
                '0' => 'o',
                '1' | '!' | '|' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                other => other,
            });
        }
    }
    // Words, with runs of single letters ("n a z i", "k.i.l.l") joined back together.
    let mut words: Vec<String> = Vec::new();
    let mut run = String::new();
    for word in cleaned.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if word.chars().count() == 1 && word.is_ascii() {
            run.push_str(word);
            continue;
        }
        if !run.is_empty() {
            words.push(std::mem::take(&mut run));
        }
        words.push(word.to_string());
    }
    if !run.is_empty() {
        words.push(run);
    }
    let spaced = format!(" {} ", words.join(" "));
    let squashed = cleaned.chars().filter(|c| c.is_alphanumeric()).collect();
    Normalised { spaced, squashed }
}

fn matches(text: &Normalised, term: &str) -> bool {
    let term_norm = normalise(term);
    if !term.is_ascii() {
        // Chinese has no spaces: any occurrence counts.
        return text.squashed.contains(&term_norm.squashed);
    }
    // Whole words, so "meth" doesn't match "method" and "sex" doesn't match "Sussex"; long terms also
    // match with the letters squashed together, which catches "f.e.n.t.a.n.y.l" and "fen tanyl".
    text.spaced.contains(&term_norm.spaced)
        || (term_norm.squashed.len() >= 7 && text.squashed.contains(&term_norm.squashed))
}

/// The first category a prompt falls into, if any.
pub fn review(prompt: &str) -> Option<Category> {
    let text = normalise(prompt);
    RULES
        .iter()
        .find(|rule| rule.all_of.iter().all(|terms| terms.iter().any(|t| matches(&text, t))))
        .map(|rule| rule.category)
}

/// The full decision: a refusal first, then a concern worth a review.
pub fn decide(prompt: &str) -> Decision {
    if let Some(category) = review(prompt) {
        return Decision::Refuse(category);
    }
    let text = normalise(prompt);
    REVIEW_RULES
        .iter()
        .find(|(_, all_of)| all_of.iter().all(|terms| terms.iter().any(|t| matches(&text, t))))
        .map_or(Decision::Allow, |(concern, _)| Decision::Review(concern))
}

/// Hex SHA-256 of a prompt, as logged.
pub fn prompt_hash(prompt: &str) -> String {
    hex::encode(Sha256::digest(prompt.as_bytes()))
}

fn row_hash(
    prev: &str,
    user_id: &str,
    created_at: i64,
    prompt_hash: &str,
    category: &str,
    decision: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, user_id, &created_at.to_string(), prompt_hash, category, decision] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The hash the first row chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Reviews a prompt and appends the decision to the audit log. `Err` carries the refusal; `Ok(true)` means
/// the request was flagged for review, so what it touches goes on evidence hold.
pub async fn gate(state: &AppState, user_id: &str, prompt: &str) -> Result<bool, crate::error::Error> {
    let decision = decide(prompt);
    let (category, logged) = match decision {
        Decision::Refuse(c) => (c.as_str(), "refuse"),
        Decision::Review(concern) => (concern, "review"),
        Decision::Allow => ("none", "allow"),
    };
    append(state, user_id, &prompt_hash(prompt), category, logged).await?;
    match decision {
        Decision::Refuse(c) => {
            tracing::info!(user = %user_id, category = c.as_str(), "prompt refused by moderation");
            Err(crate::error::Error::Refused(c.refusal()))
        }
        Decision::Review(concern) => {
            tracing::warn!(user = %user_id, concern, "prompt flagged for review; its images go on evidence hold");
            Ok(true)
        }
        Decision::Allow => Ok(false),
    }
}

/// Appends one decision to the chain. The end of the chain is read and extended in one write transaction,
/// so writers racing for it take turns (an earlier version retried on a collision and gave up after ten:
/// twenty sends at once answered 500).
pub async fn append(
    state: &AppState,
    user_id: &str,
    prompt_hash: &str,
    category: &str,
    decision: &str,
) -> anyhow::Result<()> {
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let prev: Option<String> =
        sqlx::query_scalar("SELECT hash FROM moderation_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_string());
    let now = state.clock.now_ms();
    let hash = row_hash(&prev, user_id, now, prompt_hash, category, decision);
    sqlx::query(
        "INSERT INTO moderation_log (user_id, created_at, prompt_sha256, category, decision, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user_id)
    .bind(now)
    .bind(prompt_hash)
    .bind(category)
    .bind(decision)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the whole chain; `Err(seq)` names the first row that doesn't fit (edited, inserted or removed).
pub async fn verify_chain(db: &sqlx::AnyPool) -> anyhow::Result<Result<u64, i64>> {
    type Row = (i64, String, i64, String, String, String, String, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, user_id, created_at, prompt_sha256, category, decision, prev_hash, hash
         FROM moderation_log ORDER BY seq",
    )
    .fetch_all(db)
    .await?;
    let mut prev = GENESIS.to_string();
    for (seq, user_id, created_at, prompt, category, decision, prev_hash, hash) in &rows {
        if *prev_hash != prev || *hash != row_hash(&prev, user_id, *created_at, prompt, category, decision) {
            return Ok(Err(*seq));
        }
        prev = hash.clone();
    }
    Ok(Ok(rows.len() as u64))
}

/// Checks the chain once in the background (at start-up): an altered log is reported as an error in the
/// server's log, naming the first entry that doesn't fit; the server keeps serving.
pub fn spawn_verify(state: &AppState) {
    let db = state.db.clone();
    tokio::spawn(async move {
        match verify_chain(&db).await {
            Ok(Ok(entries)) => tracing::info!(event = "audit_log_verified", entries, "moderation log intact"),
            Ok(Err(seq)) => tracing::error!(
                event = "audit_log_altered",
                seq,
                "the moderation log was altered: entry {seq} doesn't match the chain"
            ),
            Err(e) => tracing::error!(error = ?e, "could not check the moderation log"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_category_in_english_and_chinese() {
        let cases = [
            ("nude photo of a child", Category::SexualMinors),
            ("make the schoolgirl look sexy", Category::SexualMinors),
            ("未成年 裸照", Category::SexualMinors),
            ("把兒童照片變成色情圖", Category::SexualMinors),
            ("undress her", Category::NonConsensual),
            ("nudify this photo of my coworker", Category::NonConsensual),
            ("一鍵脫衣", Category::NonConsensual),
            ("给这张照片脱衣", Category::NonConsensual),
            ("an ISIS recruitment poster", Category::ViolentExtremism),
            ("恐怖主义宣传海报", Category::ViolentExtremism),
            ("a white power banner", Category::Hate),
            ("種族清洗", Category::Hate),
            ("a picture about how to commit suicide", Category::SelfHarm),
            ("我想自殺", Category::SelfHarm),
            ("割腕的图片", Category::SelfHarm),
            ("an ad to sell cocaine", Category::IllegalGoods),
            ("make a fake passport photo", Category::IllegalGoods),
            ("假鈔", Category::IllegalGoods),
        ];
        for (prompt, expected) in cases {
            assert_eq!(review(prompt), Some(expected), "{prompt}");
        }
    }

    #[test]
    fn obfuscation_is_seen_through() {
        assert_eq!(review("s.u.i.c.i.d.e"), Some(Category::SelfHarm));
        assert_eq!(review("s u i c i d e note"), Some(Category::SelfHarm));
        assert_eq!(review("su\u{200B}icide"), Some(Category::SelfHarm));
        assert_eq!(review("ｆｅｎｔａｎｙｌ for sale"), Some(Category::IllegalGoods));
        assert_eq!(review("f3nt4nyl"), Some(Category::IllegalGoods));
        assert_eq!(review("NUD1FY her"), Some(Category::NonConsensual));
        assert_eq!(review("n.u.d.e pictures of children"), Some(Category::SexualMinors));
        // Look-alike letters from other scripts (Cyrillic а е с о, Greek ο α), alone or mixed.
        assert_eq!(review("n\u{0430}ked photo of a child"), Some(Category::SexualMinors));
        assert_eq!(review("undress h\u{0435}r"), Some(Category::NonConsensual));
        assert_eq!(review("an ad to sell \u{0441}\u{03BF}c\u{03B1}ine"), Some(Category::IllegalGoods));
        assert_eq!(review("𝐧𝐮𝐝𝐢𝐟𝐲 this photo"), Some(Category::NonConsensual));
    }

    #[test]
    fn ordinary_edits_pass() {
        for prompt in [
            "make it brighter and crop it square",
            "a poster for a summer sale with the text '50% OFF'",
            "remove the background noise and sharpen",
            "use the same method as before, more contrast",
            "photo of my kids at the beach, make it warmer",
            "a sexy red sports car poster",
            "Sussex countryside, vintage look",
            "kill the grain and cut 10% from the left",
            "調亮一點，裁成正方形",
            "变成黑白然后旋转90度",
            "兒童節海報",
            "make the shoot look cinematic",
            "сделай ярче и обрежь по квадрату",
            "κάνε το πιο φωτεινό",
            "un café à Paris, plus chaud",
        ] {
            assert_eq!(decide(prompt), Decision::Allow, "{prompt}");
        }
    }

    #[test]
    fn borderline_requests_are_allowed_but_flagged() {
        for (prompt, concern) in [
            ("my kid in a swimsuit at the pool, brighter", "minors_sensitive"),
            ("孩子洗澡的照片調亮", "minors_sensitive"),
            ("小孩穿泳衣", "minors_sensitive"),
            ("face swap me with my boss", "real_person_manipulation"),
            ("把我跟他换脸", "real_person_manipulation"),
            ("a gory zombie poster", "graphic_violence"),
        ] {
            assert_eq!(decide(prompt), Decision::Review(concern), "{prompt}");
        }
        // A refusal wins over a review.
        assert_eq!(decide("naked child in a bath"), Decision::Refuse(Category::SexualMinors));
        // The terms alone are not a concern.
        assert_eq!(decide("a swimsuit product shot, more contrast"), Decision::Allow);
        assert_eq!(decide("bath bombs poster"), Decision::Allow);
    }

    #[test]
    fn refusals_name_the_category() {
        let m = crate::i18n::english(&Category::IllegalGoods.refusal());
        assert!(m.contains("illegal goods"), "{m}");
        assert!(crate::i18n::english(&Category::SelfHarm.refusal()).contains("crisis line"));
        let zh = crate::i18n::say("zh-Hant", &Category::Hate.refusal());
        assert!(zh.contains("針對某群人的仇恨"), "{zh}");
    }

    #[test]
    fn row_hashes_depend_on_every_field() {
        let base = row_hash(GENESIS, "u", 1, "p", "none", "allow");
        assert_eq!(base, row_hash(GENESIS, "u", 1, "p", "none", "allow"));
        for other in [
            row_hash("1", "u", 1, "p", "none", "allow"),
            row_hash(GENESIS, "v", 1, "p", "none", "allow"),
            row_hash(GENESIS, "u", 2, "p", "none", "allow"),
            row_hash(GENESIS, "u", 1, "q", "none", "allow"),
            row_hash(GENESIS, "u", 1, "p", "hate", "allow"),
            row_hash(GENESIS, "u", 1, "p", "none", "refuse"),
        ] {
            assert_ne!(base, other);
        }
    }
}
