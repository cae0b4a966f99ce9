//! The valid key a misspelt one most likely meant, for "did you mean" hints.

/// The valid key a misspelt one most likely meant: equal up to case and `_`/`-`, or
/// within two edits.
pub(crate) fn closest<'a>(given: &str, valid: &[&'a str]) -> Option<&'a str> {
    let normal = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    valid
        .iter()
        .map(|k| {
            let distance = if normal(k) == normal(given) {
                0
            } else {
                edit_distance(k, given)
            };
            (distance, *k)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}
