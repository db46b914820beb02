//! Arbitrary-precision numbers, as cty has them.
//!
//! cty numbers are big floats, and Terraform sends them as msgpack integers, doubles or, when
//! neither is exact, as decimal strings (`"18446744073709551617"`, `"0.1"`). Converting to `f64`
//! would silently change such values between plan and apply, which Terraform reports as a
//! provider bug, so [`Number`] keeps an exact decimal instead.
//!
//! Two deliberate limits:
//! * Only finite numbers exist. cty can carry ±infinity as a double; decoding one is an error
//!   ([`ValueError::InvalidNumber`]) because no database setting takes infinity and a decimal
//!   type cannot hold it.
//! * Decimal exponents are bounded by ±[`MAX_EXPONENT`], so a short hostile input such as
//!   `"1e999999999"` cannot make us build a gigantic integer.

use std::fmt;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use bigdecimal::ToPrimitive;
use bigdecimal::num_bigint::{BigInt, Sign};

use super::error::ValueError;
use crate::path::AttributePath;

/// The largest decimal exponent (in magnitude) a [`Number`] may have.
pub const MAX_EXPONENT: i64 = 10_000;

/// An exact, finite decimal number.
///
/// Equality and ordering are numeric (`1.50 == 1.5`). [`Display`](fmt::Display) writes the
/// shortest exact plain decimal: `1.5`, `-3`, `100000000000000000000000000001`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number(
    /// Always normalised: no trailing zeros in the digits, zero has scale 0.
    BigDecimal,
);

impl Number {
    /// Builds `±digits × 10^exponent` from ASCII digits (leading and trailing zeros allowed).
    fn from_digits(negative: bool, digits: &str, exponent: i64) -> Number {
        let digits = digits.trim_start_matches('0');
        let significant = digits.trim_end_matches('0');
        if significant.is_empty() {
            return Number(BigDecimal::default());
        }
        let trailing = i64::try_from(digits.len() - significant.len()).unwrap_or(i64::MAX);
        let exponent = exponent.saturating_add(trailing);
        // The callers pass ASCII digits only, so parsing cannot fail.
        let magnitude = BigInt::parse_bytes(significant.as_bytes(), 10).unwrap_or_default();
        let int = if negative { -magnitude } else { magnitude };
        Number(BigDecimal::new(int, exponent.saturating_neg()))
    }

    /// The digits (without sign) and the decimal exponent of the last digit.
    fn parts(&self) -> (bool, String, i64) {
        let (int, scale) = self.0.as_bigint_and_scale();
        (
            int.sign() == Sign::Minus,
            int.magnitude().to_string(),
            -scale,
        )
    }

    /// The decimal exponent of the leading digit (0 for numbers in `[1, 10)` and for zero).
    fn leading_exponent(&self) -> i64 {
        let (_, digits, exponent) = self.parts();
        exponent.saturating_add(i64::try_from(digits.len()).unwrap_or(i64::MAX) - 1)
    }

    /// Parses a decimal: optional sign, digits with an optional fraction, optional exponent
    /// (`-12.5e3`). `Infinity`, `NaN`, hex and the like are rejected.
    fn parse(text: &str) -> Result<Number, String> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let int_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let int_part = &text[int_start..i];
        let mut frac_part = "";
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            let frac_start = i;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            frac_part = &text[frac_start..i];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err("not a decimal number".into());
        }
        let mut exponent: i64 = 0;
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_start = i;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let digits_start = i;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == digits_start {
                return Err("exponent has no digits".into());
            }
            exponent = text[exp_start..i]
                .parse::<i64>()
                .map_err(|_| "exponent out of range".to_owned())?;
        }
        if i != bytes.len() {
            return Err("not a decimal number".into());
        }
        let frac_len = i64::try_from(frac_part.len()).map_err(|_| "too many digits".to_owned())?;
        let exponent = exponent
            .checked_sub(frac_len)
            .ok_or_else(|| "exponent out of range".to_owned())?;
        let number = Number::from_digits(negative, &format!("{int_part}{frac_part}"), exponent);
        number.check_range()?;
        Ok(number)
    }

    fn check_range(&self) -> Result<(), String> {
        let (_, _, exponent) = self.parts();
        if exponent < -MAX_EXPONENT || self.leading_exponent() > MAX_EXPONENT {
            Err(format!(
                "magnitude outside 1e-{MAX_EXPONENT}..1e{MAX_EXPONENT}"
            ))
        } else {
            Ok(())
        }
    }

    /// Parses a decimal found at `path` of a value being decoded.
    pub(crate) fn parse_at(
        text: &str,
        path: impl FnOnce() -> AttributePath,
    ) -> Result<Number, ValueError> {
        Number::parse(text).map_err(|reason| ValueError::InvalidNumber {
            path: path(),
            text: text.chars().take(64).collect(),
            reason,
        })
    }

    /// The exact value of a finite `f64` (every double is a finite decimal); `None` for NaN
    /// and infinities. `0.1f64` gives `0.1000000000000000055511151231257827021181583404541015625`.
    pub fn from_f64_exact(value: f64) -> Option<Number> {
        if !value.is_finite() {
            return None;
        }
        let bits = value.to_bits();
        let negative = bits >> 63 == 1;
        let biased = i64::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
        let fraction = bits & ((1 << 52) - 1);
        let (mut mantissa, mut exp2) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1 << 52), biased - 1075)
        };
        if mantissa == 0 {
            return Some(Number(BigDecimal::default()));
        }
        let zeros = mantissa.trailing_zeros();
        mantissa >>= zeros;
        exp2 += i64::from(zeros);
        let exp2 = i32::try_from(exp2).ok()?;
        Some(if exp2 >= 0 {
            let int = BigInt::from(mantissa) << usize::try_from(exp2).ok()?;
            Number::from_digits(negative, &int.to_string(), 0)
        } else {
            // m × 2^-k = m × 5^k × 10^-k
            let k = exp2.unsigned_abs();
            let int = BigInt::from(mantissa) * BigInt::from(5u8).pow(k);
            Number::from_digits(negative, &int.to_string(), -i64::from(k))
        })
    }

    /// The value as `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_integer()?.to_i64()
    }

    /// The value as `u64`, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_integer()?.to_u64()
    }

    /// The integer value, if integral and of at most 40 digits (enough for any `i128`).
    fn as_integer(&self) -> Option<BigInt> {
        let (negative, digits, exponent) = self.parts();
        if exponent < 0
            || i64::try_from(digits.len())
                .unwrap_or(i64::MAX)
                .saturating_add(exponent)
                > 40
        {
            return None;
        }
        let magnitude = BigInt::parse_bytes(digits.as_bytes(), 10)?
            * BigInt::from(10u8).pow(u32::try_from(exponent).ok()?);
        Some(if negative { -magnitude } else { magnitude })
    }

    /// The nearest `f64`, or `None` if the magnitude overflows `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        if self.leading_exponent() > 309 {
            return None;
        }
        let value = self.to_string().parse::<f64>().ok()?;
        value.is_finite().then_some(value)
    }

    /// The value as `f64` only if that `f64` is exactly this number.
    pub fn as_f64_exact(&self) -> Option<f64> {
        let (_, digits, _) = self.parts();
        // A double's exact decimal has at most 767 significant digits and its leading digit
        // lies between 1e-324 and 1e308; anything else cannot be exact.
        let lead = self.leading_exponent();
        if digits.len() > 800 || !(-330..=309).contains(&lead) {
            return None;
        }
        let value = self.as_f64()?;
        (Number::from_f64_exact(value).as_ref() == Some(self)).then_some(value)
    }

    /// Whether the number is an integer.
    pub fn is_integer(&self) -> bool {
        self.parts().2 >= 0
    }

    /// The value as a [`BigDecimal`].
    pub fn as_big_decimal(&self) -> &BigDecimal {
        &self.0
    }
}

impl fmt::Display for Number {
    /// The shortest exact plain decimal (never exponent notation).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (negative, digits, exponent) = self.parts();
        let mut out = String::with_capacity(digits.len() + 2);
        if negative {
            out.push('-');
        }
        let len = i64::try_from(digits.len()).unwrap_or(i64::MAX);
        if exponent >= 0 {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n(
                '0',
                usize::try_from(exponent).unwrap_or(0),
            ));
        } else if -exponent < len {
            let point = usize::try_from(len + exponent).unwrap_or(0);
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n(
                '0',
                usize::try_from(-exponent - len).unwrap_or(0),
            ));
            out.push_str(&digits);
        }
        f.pad(&out)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl FromStr for Number {
    type Err = ValueError;

    /// Parses a decimal such as `-12.5`, `1e400` or `18446744073709551617`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Number::parse_at(text, AttributePath::root)
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        Number::from_digits(value < 0, &value.unsigned_abs().to_string(), 0)
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Number::from_digits(false, &value.to_string(), 0)
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Self {
        Number::from(i64::from(value))
    }
}

impl From<u32> for Number {
    fn from(value: u32) -> Self {
        Number::from(u64::from(value))
    }
}

impl TryFrom<f64> for Number {
    type Error = ValueError;

    /// The shortest decimal that reads back as the same `f64` (`0.1f64` gives `0.1`), as JSON
    /// and Terraform configuration would write it. NaN and infinities are rejected; use
    /// [`Number::from_f64_exact`] for the exact binary value.
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if !value.is_finite() {
            return Err(ValueError::InvalidNumber {
                path: AttributePath::root(),
                text: value.to_string(),
                reason: "only finite numbers are supported".into(),
            });
        }
        // Rust prints the shortest round-tripping digits, without exponent notation.
        value.to_string().parse()
    }
}

impl From<BigDecimal> for Number {
    fn from(value: BigDecimal) -> Self {
        let (int, scale) = value.into_bigint_and_scale();
        Number::from_digits(
            int.sign() == Sign::Minus,
            &int.magnitude().to_string(),
            scale.saturating_neg(),
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn n(text: &str) -> Number {
        text.parse().unwrap()
    }

    #[test]
    fn displays_shortest_exact_decimal() {
        assert_eq!(n("1.50").to_string(), "1.5");
        assert_eq!(n("-3").to_string(), "-3");
        assert_eq!(
            n("100000000000000000000000000001").to_string(),
            "100000000000000000000000000001"
        );
        assert_eq!(n("12e2").to_string(), "1200");
        assert_eq!(n("-0.00125").to_string(), "-0.00125");
        assert_eq!(n("0.000").to_string(), "0");
        assert_eq!(n("-0").to_string(), "0");
        assert_eq!(n("+.5").to_string(), "0.5");
        assert_eq!(n("1e400").to_string(), format!("1{}", "0".repeat(400)));
        assert_eq!(n("1e-3").to_string(), "0.001");
    }

    #[test]
    fn equality_is_numeric() {
        assert_eq!(n("1.50"), n("1.5"));
        assert_eq!(n("1e2"), Number::from(100i64));
        assert!(n("-1") < n("0.5"));
    }

    #[test]
    fn rejects_non_decimals() {
        for bad in [
            "", "-", ".", "1e", "1e+", "Infinity", "NaN", "0x10", "1_000", " 1", "1 ", "--1",
            "1.2.3",
        ] {
            assert!(bad.parse::<Number>().is_err(), "{bad:?} should be rejected");
        }
        let err = "1e10001".parse::<Number>().unwrap_err();
        assert!(err.to_string().contains("magnitude"), "{err}");
        assert!("1e-10001".parse::<Number>().is_err());
        assert!("1e99999999999999999999".parse::<Number>().is_err());
    }

    #[test]
    fn integer_views() {
        assert_eq!(n("-3").as_i64(), Some(-3));
        assert_eq!(n("-3").as_u64(), None);
        assert_eq!(n("1.5").as_i64(), None);
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551615").as_i64(), None);
        assert_eq!(n("18446744073709551617").as_u64(), None);
        assert_eq!(n("1e400").as_i64(), None);
        assert_eq!(Number::from(i64::MIN).as_i64(), Some(i64::MIN));
        assert!(n("1e3").is_integer());
        assert!(!n("0.5").is_integer());
    }

    #[test]
    fn float_views() {
        assert_eq!(n("1.5").as_f64_exact(), Some(1.5));
        assert_eq!(n("0.1").as_f64_exact(), None);
        assert_eq!(n("0.1").as_f64(), Some(0.1));
        assert_eq!(
            n("18446744073709551616").as_f64_exact(),
            Some(18446744073709551616.0)
        );
        assert_eq!(n("18446744073709551617").as_f64_exact(), None);
        assert_eq!(n("1e400").as_f64(), None);
        assert_eq!(n("1e-400").as_f64_exact(), None);
        let tiny = f64::from_bits(1);
        assert_eq!(
            Number::from_f64_exact(tiny).unwrap().as_f64_exact(),
            Some(tiny)
        );
    }

    #[test]
    fn from_f64() {
        assert_eq!(Number::try_from(0.1).unwrap(), n("0.1"));
        assert_eq!(Number::try_from(-2.5e-7).unwrap(), n("-0.00000025"));
        assert_eq!(Number::try_from(1e300).unwrap(), n("1e300"));
        assert!(Number::try_from(f64::INFINITY).is_err());
        assert!(Number::try_from(f64::NAN).is_err());
        assert_eq!(
            Number::from_f64_exact(0.1).unwrap().to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(Number::from_f64_exact(-0.0).unwrap(), Number::from(0i64));
        assert_eq!(
            Number::from_f64_exact(f64::MAX).unwrap().as_f64_exact(),
            Some(f64::MAX)
        );
    }

    #[test]
    fn from_big_decimal() {
        let big: BigDecimal = "1.2300".parse().unwrap();
        assert_eq!(Number::from(big).to_string(), "1.23");
    }
}
