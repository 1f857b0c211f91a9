//! `vinano-server admin partner …`: registering partners and managing them from the command line.

use super::{NewPartner, Partner, PartnerChange};
use crate::AppState;
use anyhow::{bail, Context};

/// Credits all of a new partner's visitors may spend in a month, unless `--monthly-credits` says.
pub const DEFAULT_MONTHLY: u64 = 1000;
/// Credits each visitor gets a month, unless `--allowance` says.
pub const DEFAULT_ALLOWANCE: u64 = 20;

/// How to use these commands.
pub const USAGE: &str = "vinano-server admin partner add <name> --origin <https://site> [--origin …] \
[--monthly-credits N] [--allowance N] [--no-guests]\n       vinano-server admin partner list\n       \
vinano-server admin partner change <id> [--origin …] [--monthly-credits N] [--allowance N] [--guests on|off]\n       \
vinano-server admin partner rotate <id> [--overlap-hours H]\n       vinano-server admin partner remove <id>";

/// The options after the command's positional arguments.
#[derive(Debug, Default)]
struct Options {
    origins: Vec<String>,
    monthly: Option<u64>,
    allowance: Option<u64>,
    guests: Option<bool>,
    overlap_hours: Option<u64>,
}

fn options(args: &[String]) -> anyhow::Result<Options> {
    let mut found = Options::default();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().with_context(|| format!("{flag} needs a value"));
        let number =
            |v: &String| v.parse::<u64>().with_context(|| format!("{flag} takes a whole number, not {v:?}"));
        match flag.as_str() {
            "--origin" => found.origins.push(value()?.clone()),
            "--monthly-credits" => found.monthly = Some(number(value()?)?),
            "--allowance" => found.allowance = Some(number(value()?)?),
            "--overlap-hours" => found.overlap_hours = Some(number(value()?)?),
            "--no-guests" => found.guests = Some(false),
            "--guests" => {
                found.guests = Some(match value()?.as_str() {
                    "on" => true,
                    "off" => false,
                    other => bail!("--guests is on or off, not {other:?}"),
                })
            }
            other => bail!("unknown option {other:?}\nusage: {USAGE}"),
        }
    }
    Ok(found)
}

fn describe(p: &Partner) -> String {
    let previous = match p.previous_until {
        Some(until) => format!("; the previous secret is accepted until {}", crate::clock::timestamp(until)),
        None => String::new(),
    };
    format!(
        "{}  {}\n    origins: {}\n    {} credits a month for all its visitors, {} for each; guests {}{previous}",
        p.id,
        p.name,
        p.origins.join(" "),
        p.monthly_credits,
        p.visitor_allowance,
        if p.guests { "allowed" } else { "not allowed (members only)" },
    )
}

/// Runs `partner <args>` and returns what to print.
pub async fn run(state: &AppState, args: &[String]) -> anyhow::Result<String> {
    let site = state.config.site_url();
    match args {
        [command, name, rest @ ..] if command == "add" => {
            let o = options(rest)?;
            let new = NewPartner {
                name: name.clone(),
                origins: o.origins,
                monthly_credits: o.monthly.unwrap_or(DEFAULT_MONTHLY),
                visitor_allowance: o.allowance.unwrap_or(DEFAULT_ALLOWANCE),
                guests: o.guests.unwrap_or(true),
            };
            let (partner, secret) = super::add(state, "cli", new).await?;
            Ok(format!(
                "Registered:\n{}\n\nIts signing secret (shown this once; keep it on the partner's server only):\n    \
                 {secret}\nTokens for its users: HS256 JWT with iss = {id}, aud = {site}, sub = the user's id, \
                 a jti nonce, exp at most 10 minutes after iat.\n\nThe partner's page:\n    {snippet}",
                describe(&partner),
                id = partner.id,
                snippet = super::snippet(&site, &partner.id),
            ))
        }
        [command] if command == "list" => {
            let all = super::list(&state.db).await?;
            if all.is_empty() {
                return Ok("No partners yet. Add one with: vinano-server admin partner add <name> --origin <https://site>".into());
            }
            Ok(all.iter().map(describe).collect::<Vec<_>>().join("\n"))
        }
        [command, id, rest @ ..] if command == "change" => {
            let o = options(rest)?;
            let change = PartnerChange {
                name: None,
                origins: (!o.origins.is_empty()).then_some(o.origins),
                monthly_credits: o.monthly,
                visitor_allowance: o.allowance,
                guests: o.guests,
            };
            match super::change(state, "cli", id, change).await? {
                Some(partner) => Ok(format!("Changed:\n{}", describe(&partner))),
                None => bail!("no partner has the id {id:?}"),
            }
        }
        [command, id, rest @ ..] if command == "rotate" => {
            let hours = options(rest)?.overlap_hours.unwrap_or(super::DEFAULT_OVERLAP_HOURS);
            let overlap = super::overlap_ms(hours);
            match super::rotate(state, "cli", id, overlap).await? {
                Some(secret) => Ok(format!(
                    "The new signing secret of {id} (shown this once):\n    {secret}\nThe previous one is accepted \
                     for {} more hour(s): switch the partner's servers to the new one before then.",
                    overlap / 3_600_000
                )),
                None => bail!("no partner has the id {id:?}"),
            }
        }
        [command, id] if command == "remove" => match super::remove(state, "cli", id).await? {
            true => Ok(format!(
                "Removed {id}: its widget no longer loads on any site and its visitors' sessions have ended. \
                 Their accounts and images follow the usual retention and data rights."
            )),
            false => bail!("no partner has the id {id:?}"),
        },
        _ => bail!("usage: {USAGE}"),
    }
}
