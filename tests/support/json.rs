//! Reading the JSON the CLI prints and the app's commands return.

use serde_json::Value;

/// The string `field` of each element of the array `list`, skipping elements without one.
/// Panics when `list` is not an array.
pub fn strs<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    elements(list).filter_map(|e| e[field].as_str()).collect()
}

/// The integer `field` of each element of the array `list`, skipping elements without
/// one. Panics when `list` is not an array.
pub fn i64s(list: &Value, field: &str) -> Vec<i64> {
    elements(list).filter_map(|e| e[field].as_i64()).collect()
}

fn elements(list: &Value) -> std::slice::Iter<'_, Value> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
}

/// How many elements of the array `list` have each of `values` as their `field`, in the
/// order of `values`. Panics when `list` is not an array.
pub fn count_each<const N: usize>(list: &Value, field: &str, values: [&str; N]) -> [usize; N] {
    let found = strs(list, field);
    values.map(|v| found.iter().filter(|f| **f == v).count())
}
