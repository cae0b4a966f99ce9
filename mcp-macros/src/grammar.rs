//! The small string grammars of attribute values: `rate_limit = "10/min"`, `timeout = "30s"`.

/// Parses `"N/sec"`, `"N/min"` or `"N/hour"` into (count, window in seconds).
pub(crate) fn rate_limit(text: &str) -> Result<(u32, u64), String> {
    let hint = "write it as a count, `/`, and a unit: \"10/sec\", \"10/min\" or \"10/hour\"";
    let (count, unit) = text
        .split_once('/')
        .ok_or_else(|| format!("malformed rate_limit `{text}`: {hint}"))?;
    let count: u32 = count
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!(
                "malformed rate_limit `{text}`: the count must be a whole number above zero; {hint}"
            )
        })?;
    let window = match unit.trim() {
        "s" | "sec" | "second" => 1,
        "m" | "min" | "minute" => 60,
        "h" | "hour" => 3600,
        other => {
            return Err(format!(
                "malformed rate_limit `{text}`: unknown unit `{other}`; {hint}"
            ));
        }
    };
    Ok((count, window))
}

/// Parses `"250ms"`, `"30s"`, `"5m"` or `"1h"` into milliseconds.
pub(crate) fn duration_ms(text: &str) -> Result<u64, String> {
    let hint = "write a whole number and a unit: \"500ms\", \"30s\", \"5m\" or \"1h\"";
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("malformed duration `{text}`: {hint}"))?;
    let factor = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(format!("malformed duration `{text}`: {hint}")),
    };
    match number.checked_mul(factor) {
        Some(ms) if ms > 0 => Ok(ms),
        _ => Err(format!(
            "malformed duration `{text}`: it must be above zero and not absurdly large"
        )),
    }
}

/// Tool names: 1 to 64 characters of `A-Z a-z 0-9 _ . -`.
pub(crate) fn check_tool_name(name: &str) -> Result<(), String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if (1..=64).contains(&name.len()) && valid_chars {
        return Ok(());
    }
    Err(format!(
        "invalid tool name `{name}`: a tool name is 1 to 64 characters of A-Z, a-z, 0-9, `_`, `.` and `-`; set a valid one with `name = \"...\"`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits() {
        assert_eq!(rate_limit("10/min"), Ok((10, 60)));
        assert_eq!(rate_limit("2/sec"), Ok((2, 1)));
        assert_eq!(rate_limit(" 1 / hour"), Ok((1, 3600)));
        assert!(rate_limit("10").is_err());
        assert!(rate_limit("0/min").is_err());
        assert!(rate_limit("5/week").unwrap_err().contains("week"));
    }

    #[test]
    fn durations() {
        assert_eq!(duration_ms("250ms"), Ok(250));
        assert_eq!(duration_ms("30s"), Ok(30_000));
        assert_eq!(duration_ms("2m"), Ok(120_000));
        assert!(duration_ms("30").is_err());
        assert!(duration_ms("0s").is_err());
        assert!(duration_ms("s").is_err());
    }

    #[test]
    fn tool_names() {
        assert!(check_tool_name("invoices.create-v2_x").is_ok());
        assert!(check_tool_name("").is_err());
        assert!(check_tool_name("has space").is_err());
        assert!(check_tool_name(&"a".repeat(65)).is_err());
    }
}
