//! Reading an input file whole; a large one in two halves at once.
//!
//! Copying a plan out of the page cache is a tenth of a check (2.7 ms of a 1,000-database
//! check, 9.3 MB), on one CPU while the other waits for the string pass. On Unix a file of
//! 1 MiB or more is read as two halves with positioned reads (`pread`), one per thread, so the
//! two share no file offset: 2.7 → 2.1 ms (medians over 80 alternating runs). Only regular
//! files up to 1 GiB take that road (a plan of 10,000 databases is 93 MB); a file that turns
//! out shorter or longer than its length said (a plan being rewritten meanwhile) is read again
//! in one piece, as is anything else. That read reserves its buffer fallibly, so a file too
//! large for memory is reported as unreadable rather than aborting the process.

use std::fs::File;
use std::io::{self, Read};

use crate::error::InputError;

/// Regular files of these sizes are read in two halves on two threads.
#[cfg(unix)]
const TWO_THREADS: std::ops::RangeInclusive<u64> = (1 << 20)..=(1 << 30);

/// The bytes of `file`.
pub fn read(file: &str) -> Result<Vec<u8>, InputError> {
    let failed = |source| InputError::Io {
        file: file.to_owned(),
        source,
    };
    let mut handle = File::open(file).map_err(failed)?;
    let metadata = handle.metadata().map_err(failed)?;
    let len = metadata.len();
    #[cfg(unix)]
    if metadata.is_file()
        && TWO_THREADS.contains(&len)
        && let Some(bytes) = halves::read(&handle, len).map_err(failed)?
    {
        return Ok(bytes);
    }
    // The length is a hint: pipes report none, some special files a wrong one.
    let mut bytes = Vec::new();
    let hint = usize::try_from(len).map_or(0, |n| n.saturating_add(1));
    bytes
        .try_reserve_exact(hint)
        .map_err(|_| failed(io::ErrorKind::OutOfMemory.into()))?;
    handle.read_to_end(&mut bytes).map_err(failed)?;
    Ok(bytes)
}

#[cfg(unix)]
mod halves {
    use std::fs::File;
    use std::io;
    use std::os::unix::fs::FileExt;

    use crate::beside;

    /// The `len` bytes of `handle`, read in two halves at once, or `None` when the file is no
    /// longer `len` bytes long.
    pub(super) fn read(handle: &File, len: u64) -> io::Result<Option<Vec<u8>>> {
        let Ok(size) = usize::try_from(len) else {
            return Ok(None);
        };
        let middle = size / 2;
        let at = u64::try_from(middle).unwrap_or(u64::MAX);
        let mut bytes = vec![0; size];
        let (head, tail) = bytes.split_at_mut(middle);
        let (first, second) = std::thread::scope(|scope| {
            let helper = beside::spawn(scope, || handle.read_exact_at(tail, at));
            let first = handle.read_exact_at(head, 0);
            let second = helper.map(beside::join);
            (first, second)
        });
        let second = match second {
            Some(second) => second,
            // No thread to be had: read it here.
            None => handle.read_exact_at(bytes.split_at_mut(middle).1, at),
        };
        for result in [first, second] {
            match result {
                Ok(()) => {}
                // Shorter than it was: it changed while read.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        // Longer than it was: it changed while read.
        if handle.read_at(&mut [0], len)? != 0 {
            return Ok(None);
        }
        Ok(Some(bytes))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn written(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        file.flush().unwrap();
        file
    }

    fn path(file: &tempfile::NamedTempFile) -> String {
        file.path().to_str().unwrap().to_owned()
    }

    #[test]
    fn small_and_large_files_read_as_written() {
        for size in [0, 1, 4096, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20] {
            // Every byte differs from its neighbours, so a half out of place shows.
            let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let file = written(&bytes);
            assert!(read(&path(&file)).unwrap() == bytes, "{size} bytes");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_of_another_length_than_expected_is_left_to_the_whole_read() {
        let bytes: Vec<u8> = (0..(2 << 20)).map(|i| (i % 251) as u8).collect();
        let file = written(&bytes);
        let handle = File::open(file.path()).unwrap();
        let len = bytes.len() as u64;
        assert!(halves::read(&handle, len).unwrap() == Some(bytes));
        // As if it grew or shrank after its length was taken.
        assert_eq!(halves::read(&handle, len - 1).unwrap(), None);
        assert_eq!(halves::read(&handle, len + 1).unwrap(), None);
    }

    #[test]
    fn a_directory_is_not_read() {
        let directory = tempfile::tempdir().unwrap();
        let name = directory.path().to_str().unwrap().to_owned();
        let error = read(&name).unwrap_err();
        assert!(matches!(error, InputError::Io { .. }), "{error}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("{name}: cannot read the file"))
        );
    }

    #[test]
    fn a_missing_file_is_named_in_the_error() {
        let error = read("no/such/plan.json").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("no/such/plan.json: cannot read the file"),
            "{error}"
        );
    }
}
