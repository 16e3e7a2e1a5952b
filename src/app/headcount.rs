//! How many people work in a unit: what attendance and reflections are counted
//! against, a whole number from 1 to 100 000.

use serde::{Deserialize, Deserializer, Serialize};
use validator::ValidateRange;

use crate::app::number::whole;
use crate::domain::{FieldCode, FieldError};

/// A unit's headcount. `parse` builds a checked one. A request body reads the number
/// as sent (`sent`, also what serde does) and its check refuses it together with the
/// body's other fields: `#[validate(range(min = Headcount::MIN, max = Headcount::MAX))]`,
/// the same words as `parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Headcount(i64);

impl Headcount {
    pub const MIN: i64 = 1;
    pub const MAX: i64 = 100_000;

    /// Checks `n`; the error names `field`.
    pub fn parse(field: &str, n: i64) -> Result<Headcount, FieldError> {
        if (Self::MIN..=Self::MAX).contains(&n) {
            Ok(Headcount(n))
        } else {
            Err(FieldError::coded(
                field,
                FieldCode::Range,
                format!("must be between {} and {}", Self::MIN, Self::MAX),
            )
            .with("min", Self::MIN)
            .with("max", Self::MAX))
        }
    }

    /// The number as a request sent it, for the request's check to judge.
    pub fn sent(n: i64) -> Headcount {
        Headcount(n)
    }

    /// The headcount as the unit row keeps it.
    pub fn get(self) -> i32 {
        self.0 as i32
    }
}

impl<'de> Deserialize<'de> for Headcount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whole(d).map(Headcount::sent)
    }
}

impl ValidateRange<i64> for Headcount {
    fn greater_than(&self, max: i64) -> Option<bool> {
        Some(self.0 > max)
    }

    fn less_than(&self, min: i64) -> Option<bool> {
        Some(self.0 < min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headcount_is_one_to_a_hundred_thousand() {
        assert_eq!(Headcount::parse("headcount", 1).map(Headcount::get), Ok(1));
        assert_eq!(
            Headcount::parse("headcount", 100_000).map(Headcount::get),
            Ok(100_000)
        );
        for bad in [0, -1, 100_001] {
            let error = Headcount::parse("headcount", bad).expect_err("refused");
            assert_eq!(error.field, "headcount");
            assert_eq!(error.code, FieldCode::Range);
            assert_eq!(error.message, "must be between 1 and 100000");
            assert_eq!(
                error.params,
                vec![("min", "1".to_string()), ("max", "100000".to_string())]
            );
        }
    }

    #[test]
    fn a_request_reads_it_as_sent_and_whole() {
        let read = |json: &str| serde_json::from_str::<Headcount>(json).map(Headcount::get);
        assert_eq!(read("12").ok(), Some(12));
        assert_eq!(read("12.0").ok(), Some(12));
        assert_eq!(read("0").ok(), Some(0), "the request's check refuses it");
        assert!(read("12.5").is_err());
        assert!(read("\"12\"").is_err());
    }

    #[test]
    fn the_published_schema_names_the_same_range() {
        use crate::app::inputs::{NewUnit, UnitPatch};
        use utoipa::PartialSchema;
        for schema in [NewUnit::schema(), UnitPatch::schema()] {
            let schema = serde_json::to_value(schema).expect("a schema");
            let headcount = &schema["properties"]["headcount"];
            assert_eq!(headcount["minimum"], Headcount::MIN, "{schema}");
            assert_eq!(headcount["maximum"], Headcount::MAX, "{schema}");
        }
    }
}
