//! A bounds-checked msgpack tokenizer over untrusted bytes.
//!
//! It hands out one item header at a time ([`Head`]) and never allocates: strings and
//! extension payloads are borrowed slices, and array and map lengths are plain numbers the
//! caller consumes item by item, so a header claiming four billion elements costs nothing until
//! the bytes to back it are actually there.

use rmp::Marker;

/// One msgpack item header (for strings, binaries and extensions: with their bytes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Head<'a> {
    Nil,
    Bool(bool),
    /// Any integer that fits `i64`.
    Int(i64),
    /// A `uint 64` above `i64::MAX`.
    BigUint(u64),
    F32(f32),
    F64(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(u32),
    Map(u32),
    Ext(i8, &'a [u8]),
}

impl Head<'_> {
    /// What kind of item this is, for error messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Head::Nil => "msgpack nil",
            Head::Bool(_) => "msgpack boolean",
            Head::Int(_) | Head::BigUint(_) => "msgpack integer",
            Head::F32(_) | Head::F64(_) => "msgpack float",
            Head::Str(_) => "msgpack string",
            Head::Bin(_) => "msgpack binary",
            Head::Array(_) => "msgpack array",
            Head::Map(_) => "msgpack map",
            Head::Ext(..) => "msgpack extension",
        }
    }
}

/// A cursor over msgpack bytes.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Reader failures; the codec adds the value path.
pub(crate) type ReadError = &'static str;

const TRUNCATED: ReadError = "unexpected end of input";

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Whether every byte has been consumed.
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self.pos.checked_add(n).ok_or(TRUNCATED)?;
        let slice = self.bytes.get(self.pos..end).ok_or(TRUNCATED)?;
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        self.take(N)?.try_into().map_err(|_| TRUNCATED)
    }

    fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, ReadError> {
        self.array().map(u16::from_be_bytes)
    }

    fn u32(&mut self) -> Result<u32, ReadError> {
        self.array().map(u32::from_be_bytes)
    }

    fn u64(&mut self) -> Result<u64, ReadError> {
        self.array().map(u64::from_be_bytes)
    }

    fn sized(&mut self, len: u32) -> Result<&'a [u8], ReadError> {
        self.take(usize::try_from(len).map_err(|_| TRUNCATED)?)
    }

    fn ext(&mut self, len: u32) -> Result<Head<'a>, ReadError> {
        let [code] = self.array::<1>()?;
        Ok(Head::Ext(i8::from_be_bytes([code]), self.sized(len)?))
    }

    /// Reads the next item header.
    pub(crate) fn head(&mut self) -> Result<Head<'a>, ReadError> {
        let marker = Marker::from_u8(self.u8()?);
        Ok(match marker {
            Marker::FixPos(n) => Head::Int(i64::from(n)),
            Marker::FixNeg(n) => Head::Int(i64::from(n)),
            Marker::Null => Head::Nil,
            Marker::True => Head::Bool(true),
            Marker::False => Head::Bool(false),
            Marker::U8 => Head::Int(i64::from(self.u8()?)),
            Marker::U16 => Head::Int(i64::from(self.u16()?)),
            Marker::U32 => Head::Int(i64::from(self.u32()?)),
            Marker::U64 => {
                let n = self.u64()?;
                i64::try_from(n).map_or(Head::BigUint(n), Head::Int)
            }
            Marker::I8 => Head::Int(i64::from(i8::from_be_bytes(self.array()?))),
            Marker::I16 => Head::Int(i64::from(i16::from_be_bytes(self.array()?))),
            Marker::I32 => Head::Int(i64::from(i32::from_be_bytes(self.array()?))),
            Marker::I64 => Head::Int(i64::from_be_bytes(self.array()?)),
            Marker::F32 => Head::F32(f32::from_be_bytes(self.array()?)),
            Marker::F64 => Head::F64(f64::from_be_bytes(self.array()?)),
            Marker::FixStr(n) => Head::Str(self.sized(u32::from(n))?),
            Marker::Str8 => {
                let n = self.u8()?;
                Head::Str(self.sized(u32::from(n))?)
            }
            Marker::Str16 => {
                let n = self.u16()?;
                Head::Str(self.sized(u32::from(n))?)
            }
            Marker::Str32 => {
                let n = self.u32()?;
                Head::Str(self.sized(n)?)
            }
            Marker::Bin8 => {
                let n = self.u8()?;
                Head::Bin(self.sized(u32::from(n))?)
            }
            Marker::Bin16 => {
                let n = self.u16()?;
                Head::Bin(self.sized(u32::from(n))?)
            }
            Marker::Bin32 => {
                let n = self.u32()?;
                Head::Bin(self.sized(n)?)
            }
            Marker::FixArray(n) => Head::Array(u32::from(n)),
            Marker::Array16 => Head::Array(u32::from(self.u16()?)),
            Marker::Array32 => Head::Array(self.u32()?),
            Marker::FixMap(n) => Head::Map(u32::from(n)),
            Marker::Map16 => Head::Map(u32::from(self.u16()?)),
            Marker::Map32 => Head::Map(self.u32()?),
            Marker::FixExt1 => self.ext(1)?,
            Marker::FixExt2 => self.ext(2)?,
            Marker::FixExt4 => self.ext(4)?,
            Marker::FixExt8 => self.ext(8)?,
            Marker::FixExt16 => self.ext(16)?,
            Marker::Ext8 => {
                let n = self.u8()?;
                self.ext(u32::from(n))?
            }
            Marker::Ext16 => {
                let n = self.u16()?;
                self.ext(u32::from(n))?
            }
            Marker::Ext32 => {
                let n = self.u32()?;
                self.ext(n)?
            }
            Marker::Reserved => return Err("reserved byte 0xc1"),
        })
    }

    /// Skips one complete item, descending at most `depth_left` levels.
    pub(crate) fn skip(&mut self, depth_left: usize) -> Result<(), ReadError> {
        let items = match self.head()? {
            Head::Array(n) => u64::from(n),
            Head::Map(n) => 2 * u64::from(n),
            _ => return Ok(()),
        };
        let depth_left = depth_left.checked_sub(1).ok_or("nested too deeply")?;
        for _ in 0..items {
            self.skip(depth_left)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn heads(bytes: &[u8]) -> Vec<Head<'_>> {
        let mut reader = Reader::new(bytes);
        let mut out = Vec::new();
        while !reader.at_end() {
            out.push(reader.head().unwrap());
        }
        out
    }

    #[test]
    fn reads_every_family() {
        let bytes = [
            0x05, 0xfd, 0xcc, 0xff, 0xcd, 0x01, 0x00, 0xd0, 0x80, 0xcf, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xca, 0x3f, 0xc0, 0x00, 0x00, 0xc0, 0xc3, 0xa2, b'h', b'i',
            0xc4, 0x01, b'x', 0x92, 0x81, 0xd4, 0x00, 0x00,
        ];
        assert_eq!(
            heads(&bytes),
            vec![
                Head::Int(5),
                Head::Int(-3),
                Head::Int(255),
                Head::Int(256),
                Head::Int(-128),
                Head::BigUint(u64::MAX),
                Head::F32(1.5),
                Head::Nil,
                Head::Bool(true),
                Head::Str(b"hi"),
                Head::Bin(b"x"),
                Head::Array(2),
                Head::Map(1),
                Head::Ext(0, &[0]),
            ]
        );
    }

    #[test]
    fn truncation_and_huge_lengths_are_errors() {
        for bytes in [
            &[0xcd, 0x01][..],
            &[0xa3, b'a'],
            &[0xdb, 0xff, 0xff, 0xff, 0xff],
            &[0xc7, 0x05, 0x0c],
            &[0xc1],
            &[],
        ] {
            assert!(Reader::new(bytes).head().is_err(), "{bytes:x?}");
        }
        // A huge declared array length is just a number until its items are read.
        let mut reader = Reader::new(&[0xdd, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(reader.head().unwrap(), Head::Array(u32::MAX));
        assert!(
            Reader::new(&[0xdd, 0xff, 0xff, 0xff, 0xff])
                .skip(8)
                .is_err()
        );
    }

    #[test]
    fn skips_nested_items() {
        let bytes = [0x92, 0x81, 0xa1, b'k', 0x90, 0xc0, 0x07];
        let mut reader = Reader::new(&bytes);
        reader.skip(4).unwrap();
        assert_eq!(reader.head().unwrap(), Head::Int(7));
        assert!(Reader::new(&[0x91, 0x91, 0x91, 0xc0]).skip(2).is_err());
    }
}
