//! The RFC 6570 template parser and matcher of `mcp-uri-template`.
//!
//! Input: lines of text. Line 1 is a template; line 2 a URI to match against it; the rest
//! are values for its variables. Checked, beyond "no panic":
//!
//! * a parse error points at a character of the template;
//! * a parsed template keeps its text, lists each variable once, and a fixed template
//!   matches exactly its own text;
//! * a match has one value per variable, present and non-empty for required variables;
//! * expanding values (canonically percent-encoded) gives a URI the template matches; so
//!   does re-expanding the values of any match. (Only asserted for templates whose
//!   `{?..}`, `{&..}`, `{;..}` groups end where a pair could: at the end, or before a
//!   separator or stop character; elsewhere a group ends inside a pair, which the
//!   documented rules do not split.)

#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_fuzz::encode;
use mcp_uri_template::UriTemplate;

/// Longest URI matched: matching is up to quadratic in its length.
const MAX_URI: usize = 512;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let template_text = lines.next().unwrap_or("");
    let uri = lines.next();
    let values: Vec<&str> = lines.collect();

    let template = match UriTemplate::parse(template_text) {
        Ok(template) => template,
        Err(error) => {
            assert!(
                error.offset() < template_text.len().max(1)
                    && template_text.is_char_boundary(error.offset()),
                "error offset {} is not a character of {template_text:?}",
                error.offset()
            );
            assert!(!error.message().is_empty());
            assert_eq!(error.to_string(), error.message());
            return;
        }
    };
    check_template(&template, template_text);
    if template_text.len() > 256 {
        return;
    }
    let units = units(template_text);
    // A name repeated across expressions turns the failure memo off: the search may then
    // grow with the URI's length to the number of expressions, and gives up (no match)
    // after a bounded number of steps (documented, and tested in the crate: a search that
    // spends the bound costs this instrumented build half a second, which would starve the
    // fuzzer). Only match where the search cannot give up: few expressions, short URIs.
    let expressions = units
        .iter()
        .filter(|u| !matches!(u, Unit::Literal(_)))
        .count();
    let max_uri = match (repeats(&units), expressions) {
        (false, _) => MAX_URI,
        (true, 0..=3) => 32,
        (true, _) => 0,
    };

    if let Some(uri) = uri
        && uri.len() <= max_uri
    {
        check_match(&template, &units, uri, max_uri);
    }

    if delimited(&units) {
        let values: Vec<Option<String>> = template
            .variables()
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let value: String = values
                    .get(i)
                    .copied()
                    .unwrap_or("v")
                    .chars()
                    .take(16)
                    .collect();
                // Positional values are never empty.
                Some(if value.is_empty() && !v.optional {
                    "x".to_owned()
                } else {
                    value
                })
            })
            .collect();
        if let Some(uri) = expand(&template, &units, &values)
            && uri.len() <= max_uri
        {
            assert!(
                template.match_uri(&uri).is_some(),
                "{template_text:?} does not match its expansion {uri:?} of {values:?}"
            );
        }
    }
});

fn check_template(template: &UriTemplate, text: &str) {
    assert_eq!(template.as_str(), text);
    assert_eq!(template.to_string(), text);
    assert_eq!(text.parse::<UriTemplate>().as_ref(), Ok(template));
    let variables = template.variables();
    for (i, v) in variables.iter().enumerate() {
        assert!(!v.name.is_empty());
        assert!(
            variables[..i].iter().all(|w| w.name != v.name),
            "{:?} listed twice",
            v.name
        );
        assert!(
            !v.optional || v.operator.symbol().is_some_and(|s| ";?&".contains(s)),
            "{v:?}: only keyed variables may be optional"
        );
    }
    assert_eq!(template.is_fixed(), variables.is_empty(), "{text:?}");
    let chars = text.chars().count();
    assert!(template.literal_len() <= chars);
    if template.is_fixed() {
        assert_eq!(template.literal_len(), chars);
        assert_eq!(template.match_uri(text), Some(vec![]));
    }
}

fn check_match(template: &UriTemplate, units: &[Unit<'_>], uri: &str, max_uri: usize) {
    let Some(values) = template.match_uri(uri) else {
        return;
    };
    let text = template.as_str();
    if template.is_fixed() {
        assert_eq!(uri, text, "a fixed template matched another URI");
    }
    assert_eq!(values.len(), template.variables().len());
    for (v, value) in template.variables().iter().zip(&values) {
        match value {
            None => assert!(v.optional, "{text:?} on {uri:?}: required {v:?} is absent"),
            Some(value) if !v.optional => {
                assert!(!value.is_empty(), "{text:?} on {uri:?}: {v:?} is empty")
            }
            Some(_) => {}
        }
    }
    if delimited(units)
        && let Some(again) = expand(template, units, &values)
        && again.len() <= max_uri
    {
        assert!(
            template.match_uri(&again).is_some(),
            "{text:?} matched {uri:?} as {values:?}, but not their expansion {again:?}"
        );
    }
}

/// A template as the expansion needs it: literals, positional expressions, and keyed
/// groups (adjacent `{?..}{&..}` or `{;..}{;..}` merged, as the matcher does).
#[derive(Debug)]
enum Unit<'a> {
    Literal(&'a str),
    Positional {
        prefix: Option<char>,
        sep: char,
        names: Vec<&'a str>,
    },
    Keyed {
        lead: char,
        sep: char,
        names: Vec<&'a str>,
    },
}

/// Splits a template that parsed into units.
fn units(template: &str) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let Some(open) = rest.find('{') else {
            units.push(Unit::Literal(rest));
            break;
        };
        if open > 0 {
            units.push(Unit::Literal(&rest[..open]));
        }
        let close = open + rest[open..].find('}').expect("a template that parsed");
        let body = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let op = body.chars().next().filter(|c| "+#./;?&".contains(*c));
        let names: Vec<&str> = body[op.map_or(0, char::len_utf8)..].split(',').collect();
        let unit = match op {
            None | Some('+') => Unit::Positional {
                prefix: None,
                sep: ',',
                names,
            },
            Some('#') => Unit::Positional {
                prefix: Some('#'),
                sep: ',',
                names,
            },
            Some(c @ ('.' | '/')) => Unit::Positional {
                prefix: Some(c),
                sep: c,
                names,
            },
            Some(op) => {
                if let Some(Unit::Keyed {
                    lead, names: group, ..
                }) = units.last_mut()
                {
                    let merges = match op {
                        ';' => *lead == ';',
                        '&' => *lead != ';',
                        _ => false,
                    };
                    if merges {
                        for name in names {
                            if !group.contains(&name) {
                                group.push(name);
                            }
                        }
                        continue;
                    }
                }
                let sep = if op == ';' { ';' } else { '&' };
                Unit::Keyed {
                    lead: op,
                    sep,
                    names,
                }
            }
        };
        units.push(unit);
    }
    units
}

/// Some name appears in more than one expression.
fn repeats(units: &[Unit<'_>]) -> bool {
    let mut seen = Vec::new();
    for unit in units {
        let names = match unit {
            Unit::Literal(_) => continue,
            Unit::Positional { names, .. } | Unit::Keyed { names, .. } => names,
        };
        for name in names {
            if seen.contains(name) {
                return true;
            }
        }
        seen.extend(names.iter().copied());
    }
    false
}

/// Every keyed group ends where one of its pairs may end: at the end of the template or
/// right before its separator or one of its stop characters.
fn delimited(units: &[Unit<'_>]) -> bool {
    units.iter().enumerate().all(|(i, unit)| {
        let Unit::Keyed { lead, sep, .. } = unit else {
            return true;
        };
        let stops = if *lead == ';' { "/?#" } else { "#" };
        let next = match units.get(i + 1) {
            None => return true,
            Some(Unit::Literal(text)) => text.chars().next(),
            Some(Unit::Positional { prefix, .. }) => *prefix,
            Some(Unit::Keyed { lead, .. }) => Some(*lead),
        };
        next.is_some_and(|c| c == *sep || stops.contains(c))
    })
}

/// Expands `values` (in the template's variable order); `None` when a positional value
/// is absent.
fn expand(template: &UriTemplate, units: &[Unit<'_>], values: &[Option<String>]) -> Option<String> {
    let value = |name: &str| -> Option<&str> {
        let i = template.variables().iter().position(|v| v.name == name)?;
        values[i].as_deref()
    };
    let mut uri = String::new();
    for unit in units {
        match unit {
            Unit::Literal(text) => uri.push_str(text),
            Unit::Positional { prefix, sep, names } => {
                uri.extend(*prefix);
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        uri.push(*sep);
                    }
                    uri.push_str(&encode(value(name)?));
                }
            }
            Unit::Keyed { lead, sep, names } => {
                let pairs: Vec<String> = names
                    .iter()
                    .filter_map(|name| Some(format!("{name}={}", encode(value(name)?))))
                    .collect();
                if !pairs.is_empty() {
                    uri.push(*lead);
                    uri.push_str(&pairs.join(&sep.to_string()));
                }
            }
        }
    }
    Some(uri)
}
