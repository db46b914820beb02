//! msgpack output primitives, in the byte forms cty's encoder produces.
//!
//! Integers use the most compact form (non-negative ones as positive fixint or `uint`, like
//! cty's compact-int encoder), floats are always `float 64`, and strings, arrays and maps pick
//! the shortest header. Writing into memory cannot fail; only lengths beyond the format's
//! 2^32 - 1 limit are reported, as [`ValueError::TooLarge`].

use std::convert::Infallible;

use rmp::encode::{self, ByteBuf, ValueWriteError};

use super::error::ValueError;
use super::trail::Trail;

/// Unwraps results of writes into a [`ByteBuf`], which cannot fail.
fn infallible<T>(result: Result<T, ValueWriteError<Infallible>>) -> T {
    match result {
        Ok(value) => value,
        Err(
            ValueWriteError::InvalidMarkerWrite(never) | ValueWriteError::InvalidDataWrite(never),
        ) => match never {},
    }
}

/// A growing msgpack buffer.
#[derive(Default)]
pub(crate) struct Writer {
    buf: ByteBuf,
}

impl Writer {
    pub(crate) fn into_vec(self) -> Vec<u8> {
        self.buf.into_vec()
    }

    pub(crate) fn nil(&mut self) {
        match encode::write_nil(&mut self.buf) {
            Ok(()) => {}
            Err(never) => match never {},
        }
    }

    pub(crate) fn bool(&mut self, value: bool) {
        match encode::write_bool(&mut self.buf, value) {
            Ok(()) => {}
            Err(never) => match never {},
        }
    }

    pub(crate) fn int(&mut self, value: i64) {
        infallible(encode::write_sint(&mut self.buf, value));
    }

    /// An unsigned integer, compact like [`Writer::int`] (which it is, up to `i64::MAX`).
    pub(crate) fn uint(&mut self, value: u64) {
        match i64::try_from(value) {
            Ok(value) => self.int(value),
            Err(_) => infallible(encode::write_u64(&mut self.buf, value)),
        }
    }

    pub(crate) fn f64(&mut self, value: f64) {
        infallible(encode::write_f64(&mut self.buf, value));
    }

    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.buf.as_mut_vec().extend_from_slice(bytes);
    }

    pub(crate) fn str(&mut self, value: &str, trail: &Trail) -> Result<(), ValueError> {
        len32(value.len(), "string", trail)?;
        infallible(encode::write_str(&mut self.buf, value));
        Ok(())
    }

    pub(crate) fn bin(&mut self, value: &[u8], trail: &Trail) -> Result<(), ValueError> {
        len32(value.len(), "binary", trail)?;
        infallible(encode::write_bin(&mut self.buf, value));
        Ok(())
    }

    pub(crate) fn array_len(&mut self, len: usize, trail: &Trail) -> Result<(), ValueError> {
        infallible(encode::write_array_len(
            &mut self.buf,
            len32(len, "array", trail)?,
        ));
        Ok(())
    }

    pub(crate) fn map_len(&mut self, len: usize, trail: &Trail) -> Result<(), ValueError> {
        infallible(encode::write_map_len(
            &mut self.buf,
            len32(len, "map", trail)?,
        ));
        Ok(())
    }

    /// An extension item: header (type `code`, length) and payload.
    pub(crate) fn ext(
        &mut self,
        code: i8,
        payload: &[u8],
        trail: &Trail,
    ) -> Result<(), ValueError> {
        infallible(encode::write_ext_meta(
            &mut self.buf,
            len32(payload.len(), "extension", trail)?,
            code,
        ));
        self.raw(payload);
        Ok(())
    }
}

fn len32(len: usize, what: &str, trail: &Trail) -> Result<u32, ValueError> {
    u32::try_from(len).map_err(|_| ValueError::TooLarge {
        path: trail.path(),
        what: format!("{what} of {len} items or bytes"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn writes_compact_forms() {
        let trail = Trail::default();
        let mut w = Writer::default();
        w.int(5);
        w.int(-3);
        w.int(200);
        w.int(-200);
        w.f64(1.5);
        w.nil();
        w.bool(false);
        w.str("hi", &trail).unwrap();
        w.bin(b"x", &trail).unwrap();
        w.array_len(2, &trail).unwrap();
        w.map_len(16, &trail).unwrap();
        w.ext(12, &[1, 2, 3], &trail).unwrap();
        assert_eq!(
            w.into_vec(),
            vec![
                0x05, 0xfd, 0xcc, 200, 0xd1, 0xff, 0x38, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0,
                0xc2, 0xa2, b'h', b'i', 0xc4, 1, b'x', 0x92, 0xde, 0x00, 0x10, 0xc7, 3, 12, 1, 2,
                3
            ]
        );
    }
}
