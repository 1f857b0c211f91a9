//! Cards with the local test-mode processor: a card number is read and tokenised here and never kept —
//! only its brand, last four digits and expiry are — and the cards a person keeps on file (add, make
//! default, remove) are what renewals and plan changes charge.
//!
//! Test cards: 4242 4242 4242 4242 (and 5555 5555 5555 4444) are paid; 4000 0000 0000 0002 is declined;
//! 4000 0000 0000 9995 has insufficient funds; 4000 0025 0000 3155 asks for an extra confirmation step;
//! 4000 0000 0000 0341 can be added but every charge to it fails.

use crate::error::Error;
use crate::ids;
use sqlx::AnyConnection;
use vinano_api::{CardDetails, Msg, PaymentMethod};

/// What a test card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Attaches, but every charge to it fails (4000 0000 0000 0341).
    ChargesFail,
    /// Paid.
    Paid,
    /// Declined.
    Declined,
    /// Declined for insufficient funds.
    InsufficientFunds,
    /// Paid once the person confirms (a bank's extra step).
    NeedsConfirmation,
    /// A real card: the test processor charges nothing.
    NotATestCard,
}

/// A card as kept: brand, last four digits and expiry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Token {
    pub(super) brand: String,
    pub(super) last4: String,
    pub(super) exp_month: u32,
    pub(super) exp_year: i32,
}

impl Token {
    /// As invoices show it: `visa 4242`.
    pub(super) fn shown(&self) -> String {
        format!("{} {}", self.brand, self.last4)
    }
}

/// Whether the digits pass the Luhn check every card number carries.
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if !i.is_multiple_of(2) {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Checks a card as a processor would (number, expiry, security code) and says what the test card does.
pub(super) fn read_card(card: &CardDetails, now_ms: i64) -> Result<(Token, Outcome), Error> {
    let digits: Vec<u8> = card.number.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c as u8).collect();
    if !(12..=19).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Error::Field("number", Msg::CardNumberInvalid.into()));
    }
    let digits: Vec<u8> = digits.iter().map(|d| d - b'0').collect();
    if !luhn(&digits) {
        return Err(Error::Field("number", Msg::CardNumberInvalid.into()));
    }
    let (year, month) = year_month(now_ms);
    let exp_year = if card.exp_year < 100 { 2000 + card.exp_year } else { card.exp_year };
    if !(1..=12).contains(&card.exp_month) || exp_year > year + 20 {
        return Err(Error::Field("exp", Msg::CardExpiryInvalid.into()));
    }
    if (exp_year, card.exp_month) < (year, month) {
        return Err(Error::Field("exp", Msg::CardExpired.into()));
    }
    let cvc_ok = (3..=4).contains(&card.cvc.len()) && card.cvc.bytes().all(|b| b.is_ascii_digit());
    if !cvc_ok {
        return Err(Error::Field("cvc", Msg::CardCvc.into()));
    }
    let number: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let brand = match digits[0] {
        4 => "visa",
        5 => "mastercard",
        3 => "amex",
        _ => "card",
    };
    let outcome = match number.as_str() {
        "4242424242424242" | "5555555555554444" => Outcome::Paid,
        "4000000000000002" => Outcome::Declined,
        "4000000000009995" => Outcome::InsufficientFunds,
        "4000002500003155" => Outcome::NeedsConfirmation,
        "4000000000000341" => Outcome::ChargesFail,
        _ => Outcome::NotATestCard,
    };
    let token = Token {
        brand: brand.into(),
        last4: number[number.len() - 4..].into(),
        exp_month: card.exp_month,
        exp_year,
    };
    Ok((token, outcome))
}

/// Keeps `token` as one of the person's cards (the default when `default`).
pub(super) async fn store(
    tx: &mut AnyConnection,
    user_id: &str,
    token: &Token,
    charges_fail: bool,
    default: bool,
    now: i64,
) -> Result<String, Error> {
    if default {
        sqlx::query("UPDATE payment_methods SET is_default = 0 WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let id = ids::new_id();
    sqlx::query(
        "INSERT INTO payment_methods (id, user_id, brand, last4, exp_month, exp_year, is_default, created_at,
                                      charges_fail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(&token.brand)
    .bind(&token.last4)
    .bind(i64::from(token.exp_month))
    .bind(token.exp_year)
    .bind(i64::from(default))
    .bind(now)
    .bind(i64::from(charges_fail))
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// The person's cards, the default first, then newest first.
pub async fn list(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: &str,
) -> Result<Vec<PaymentMethod>, Error> {
    let rows: Vec<(String, String, String, i64, i32, i64)> = sqlx::query_as(
        "SELECT id, brand, last4, exp_month, exp_year, is_default FROM payment_methods WHERE user_id = $1
         ORDER BY is_default DESC, created_at DESC, id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, brand, last4, exp_month, exp_year, default)| PaymentMethod {
            id,
            brand,
            last4,
            exp_month: u32::try_from(exp_month).unwrap_or_default(),
            exp_year,
            is_default: default != 0,
        })
        .collect())
}

/// Adds a card (it becomes the default: the one people add is the one they mean to pay with). A card the
/// processor refuses is not kept (402 with its reason).
pub async fn add(
    tx: &mut AnyConnection,
    user_id: &str,
    card: &CardDetails,
    now: i64,
) -> Result<String, Error> {
    let (token, outcome) = read_card(card, now)?;
    match outcome {
        Outcome::Paid | Outcome::NeedsConfirmation => store(tx, user_id, &token, false, true, now).await,
        Outcome::ChargesFail => store(tx, user_id, &token, true, true, now).await,
        Outcome::Declined => Err(Error::PaymentRequired(Msg::CardDeclined.into())),
        Outcome::InsufficientFunds => Err(Error::PaymentRequired(Msg::CardInsufficientFunds.into())),
        Outcome::NotATestCard => Err(Error::PaymentRequired(Msg::CardTestOnly.into())),
    }
}

/// Makes card `id` of the person's the default (404 for anyone else's).
pub async fn set_default(tx: &mut AnyConnection, user_id: &str, id: &str) -> Result<(), Error> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM payment_methods WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if exists.is_none() {
        return Err(Error::NotFound);
    }
    sqlx::query(
        "UPDATE payment_methods SET is_default = CASE WHEN id = $1 THEN 1 ELSE 0 END WHERE user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Removes card `id` of the person's (404 for anyone else's). The newest other card becomes the default
/// when the default goes; removing the last card of a paid plan is allowed (its renewal then fails and
/// the person is told), but the caller warns first.
pub async fn remove(tx: &mut AnyConnection, user_id: &str, id: &str) -> Result<(), Error> {
    let was_default: Option<i64> =
        sqlx::query_scalar("DELETE FROM payment_methods WHERE id = $1 AND user_id = $2 RETURNING is_default")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    match was_default {
        None => Err(Error::NotFound),
        Some(0) => Ok(()),
        Some(_) => {
            sqlx::query(
                "UPDATE payment_methods SET is_default = 1 WHERE id =
                   (SELECT id FROM payment_methods WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 1)",
            )
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            Ok(())
        }
    }
}

/// What charging the default card did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Charge {
    /// Paid with this card (`visa 4242`).
    Paid(String),
    /// Not paid, and why.
    Failed(Msg),
}

/// Charges the person's default card (the local processor moves no money: a test card's behaviour decides).
/// No card, an expired one or one whose charges fail is a failed charge.
pub async fn charge(tx: &mut AnyConnection, user_id: &str, now: i64) -> Result<Charge, Error> {
    let card: Option<(String, String, i64, i32, i64)> = sqlx::query_as(
        "SELECT brand, last4, exp_month, exp_year, charges_fail FROM payment_methods
         WHERE user_id = $1 AND is_default = 1 LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((brand, last4, exp_month, exp_year, charges_fail)) = card else {
        return Ok(Charge::Failed(Msg::CardNone));
    };
    let exp_month = u32::try_from(exp_month).unwrap_or_default();
    let (year, month) = year_month(now);
    if (exp_year, exp_month) < (year, month) {
        return Ok(Charge::Failed(Msg::CardExpired));
    }
    if charges_fail != 0 {
        return Ok(Charge::Failed(Msg::CardDeclined));
    }
    Ok(Charge::Paid(Token { brand, last4, exp_month, exp_year }.shown()))
}

/// The calendar year and month (1–12) of `now_ms`.
fn year_month(now_ms: i64) -> (i32, u32) {
    let today = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    (today.year(), u32::from(u8::from(today.month())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(number: &str, exp_month: u32, exp_year: i32, cvc: &str) -> CardDetails {
        CardDetails { number: number.into(), exp_month, exp_year, cvc: cvc.into(), name: "Ada".into() }
    }

    const NOW: i64 = 1_796_083_200_000; // 2026-12-01

    #[test]
    fn test_cards_do_what_they_say_and_only_brand_last_four_and_expiry_are_kept() {
        let (token, outcome) = read_card(&card("4242 4242 4242 4242", 12, 30, "123"), NOW).unwrap();
        assert_eq!(outcome, Outcome::Paid);
        assert_eq!(
            token,
            Token { brand: "visa".into(), last4: "4242".into(), exp_month: 12, exp_year: 2030 }
        );
        for (number, outcome) in [
            ("4000000000000002", Outcome::Declined),
            ("4000-0000-0000-9995", Outcome::InsufficientFunds),
            ("4000002500003155", Outcome::NeedsConfirmation),
            ("4111111111111111", Outcome::NotATestCard),
            ("5555555555554444", Outcome::Paid),
            ("4000 0000 0000 0341", Outcome::ChargesFail),
        ] {
            assert_eq!(read_card(&card(number, 1, 2031, "999"), NOW).unwrap().1, outcome, "{number}");
        }
    }

    #[test]
    fn a_wrong_number_expiry_or_code_names_its_field() {
        let field = |c: CardDetails| match read_card(&c, NOW) {
            Err(Error::Field(f, p)) => (f, p.msg),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(card("4242 4242 4242 4241", 12, 2030, "123")), ("number", Msg::CardNumberInvalid));
        assert_eq!(field(card("4242", 12, 2030, "123")), ("number", Msg::CardNumberInvalid));
        assert_eq!(field(card("42424242424242a2", 12, 2030, "123")), ("number", Msg::CardNumberInvalid));
        assert_eq!(field(card("4242424242424242", 11, 2026, "123")), ("exp", Msg::CardExpired));
        assert_eq!(field(card("4242424242424242", 13, 2030, "123")), ("exp", Msg::CardExpiryInvalid));
        assert_eq!(field(card("4242424242424242", 12, 2026, "12")), ("cvc", Msg::CardCvc));
        assert!(read_card(&card("4242424242424242", 12, 2026, "123"), NOW).is_ok(), "this month still works");
    }
}
