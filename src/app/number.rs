//! Whole numbers as clients send them in JSON.

use serde::{Deserialize, Deserializer};

/// An integer, also when written `20.0` (JSON Schema counts that as an integer); a
/// fraction or a string is refused.
pub fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let value = serde_json::Number::deserialize(d)?;
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    match value.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(serde::de::Error::custom(format!(
            "expected a whole number, got {value}"
        ))),
    }
}

/// `whole`, or nothing when absent or `null`.
pub fn whole_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole")] i64);
    Option::<Whole>::deserialize(d).map(|w| w.map(|Whole(n)| n))
}
