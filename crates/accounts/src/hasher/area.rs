//! The Argon2 work area: one ~19 MiB block array per hashing thread, kept for the
//! thread's life.
//!
//! Argon2id reads its memory at data-dependent places, so with 4 KiB pages nearly every
//! block access misses the TLB. On Linux the area is mapped on its own, aligned to 2 MiB
//! and marked for transparent huge pages, which makes each hash ~12 % cheaper on the
//! machines we measured; elsewhere (or if the mapping fails) it is an ordinary vector.

use argon2::Block;

/// A reusable Argon2 work area of a fixed number of blocks.
pub struct WorkArea {
    inner: Inner,
}

enum Inner {
    #[cfg(target_os = "linux")]
    Mapped(mapped::Mapping),
    Heap(Vec<Block>),
}

impl WorkArea {
    /// An area of `blocks` zeroed blocks; the memory is only committed as hashing
    /// touches it.
    pub fn new(blocks: usize) -> WorkArea {
        #[cfg(target_os = "linux")]
        if let Some(m) = mapped::Mapping::new(blocks) {
            return WorkArea {
                inner: Inner::Mapped(m),
            };
        }
        WorkArea {
            inner: Inner::Heap(vec![Block::default(); blocks]),
        }
    }

    /// Whether the area is its own huge-page-advised mapping (for tests and reports).
    pub fn is_mapped(&self) -> bool {
        match self.inner {
            #[cfg(target_os = "linux")]
            Inner::Mapped(_) => true,
            Inner::Heap(_) => false,
        }
    }

    pub fn blocks(&mut self) -> &mut [Block] {
        match &mut self.inner {
            #[cfg(target_os = "linux")]
            Inner::Mapped(m) => m.blocks(),
            Inner::Heap(v) => v,
        }
    }
}

// The only `unsafe` in the workspace (denied everywhere else): mmap/madvise/munmap and
// a slice over the mapping cannot be written safely. Each block states why it is sound.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
mod mapped {
    use argon2::Block;

    const HUGE: usize = 2 << 20;

    /// An anonymous private mapping with a 2 MiB-aligned run of blocks inside it.
    pub(super) struct Mapping {
        base: *mut libc::c_void,
        len: usize,
        blocks: *mut Block,
        count: usize,
    }

    // SAFETY: the mapping is owned by exactly one `Mapping`; access goes through
    // `&mut self`, so moving it to another thread cannot create shared access.
    unsafe impl Send for Mapping {}

    impl Mapping {
        pub(super) fn new(count: usize) -> Option<Mapping> {
            let bytes = count.checked_mul(std::mem::size_of::<Block>())?;
            let len = bytes.checked_add(HUGE)?;
            // SAFETY: a fresh anonymous mapping, no address hint; checked for failure.
            let base = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            if base == libc::MAP_FAILED {
                return None;
            }
            let aligned = (base as usize).next_multiple_of(HUGE);
            let blocks = aligned as *mut Block;
            // Advice only; without huge pages the area works the same, only slower.
            // SAFETY: `aligned..aligned + bytes` lies inside the mapping just made.
            unsafe { libc::madvise(blocks.cast(), bytes, libc::MADV_HUGEPAGE) };
            Some(Mapping {
                base,
                len,
                blocks,
                count,
            })
        }

        pub(super) fn blocks(&mut self) -> &mut [Block] {
            // SAFETY: `blocks` is 2 MiB-aligned (more than Block's 64), points at `count`
            // blocks inside a live mapping that only `self` uses, and anonymous memory
            // starts zeroed, which is a valid `Block` (an array of integers).
            unsafe { std::slice::from_raw_parts_mut(self.blocks, self.count) }
        }
    }

    impl Drop for Mapping {
        fn drop(&mut self) {
            // SAFETY: unmaps exactly the mapping made in `new`, once.
            unsafe { libc::munmap(self.base, self.len) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_is_zeroed_writable_and_the_asked_size() {
        let mut area = WorkArea::new(3000);
        #[cfg(target_os = "linux")]
        assert!(area.is_mapped());
        let blocks = area.blocks();
        assert_eq!(blocks.len(), 3000);
        assert!(blocks.iter().all(|b| b.as_ref().iter().all(|w| *w == 0)));
        blocks[2999].as_mut()[127] = 7;
        assert_eq!(area.blocks()[2999].as_ref()[127], 7);
    }
}
