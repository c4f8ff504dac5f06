//! No input may panic the reader: truncations and byte mutations of real requests.
//!
//! A deterministic pseudo-random generator keeps this reproducible without a fuzzing
//! dependency; the crate is also meant to be fuzzed properly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use soap::{parse_request, write_fault, Limits, SoapError, SoapVersion};

/// xorshift64*: small, deterministic, good enough to pick bytes and positions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn seeds() -> Vec<Vec<u8>> {
    vec![
        include_bytes!("fixtures/doc-example-setpassword-soap12.xml").to_vec(),
        env11(
            Some(&std_headers("tok", "tick")),
            &set_password("42", "a&amp;b<![CDATA[<c>]]>"),
        )
        .into_bytes(),
        format!(
            "\u{FEFF}{}",
            env12(
                Some(&format!(
                    "<TimeZone xmlns=\"{S88}\"><SoTimeZoneId>1</SoTimeZoneId></TimeZone>"
                )),
                &set_password("1", "p")
            )
        )
        .into_bytes(),
    ]
}

/// Parses and, on refusal, writes the fault: neither may panic, and the fault must be
/// well-formed XML.
fn exercise(input: &[u8], limits: &Limits) -> Result<(), SoapError> {
    match parse_request(input, SoapVersion::V11, limits) {
        Ok(req) => {
            let _ = (req.operation.int("AssociateId"), format!("{req:?}"));
            Ok(())
        }
        Err(fault) => {
            let out = write_fault(&fault, None);
            let text = std::str::from_utf8(&out).expect("fault is UTF-8");
            assert!(
                roxmltree::Document::parse(text).is_ok(),
                "fault not well-formed: {text}"
            );
            Err(fault.error)
        }
    }
}

#[test]
fn every_truncation() {
    let limits = Limits::default();
    for seed in seeds() {
        let mut refused = 0;
        for end in 0..seed.len() {
            if exercise(&seed[..end], &limits).is_err() {
                refused += 1;
            }
        }
        // Cutting a document short must almost always break it (only the trailing newline
        // and similar can go).
        assert!(
            refused + 4 >= seed.len(),
            "{refused} of {} refused",
            seed.len()
        );
        assert!(exercise(&seed, &limits).is_ok());
    }
}

#[test]
fn random_mutations() {
    let limits = Limits {
        max_bytes: 4096,
        max_depth: 8,
        max_nodes: 64,
    };
    let alphabet = b"<>&;/=\"' !?-[]:xmlnsEnvelopeBody\x00\xFF\xEF\xBB\xBF\r\n\tCDATA#";
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut outcomes = [0usize; 2];
    for seed in seeds() {
        for _ in 0..3000 {
            let mut input = seed.clone();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(input.len() + 1);
                match rng.below(4) {
                    0 if at < input.len() => input[at] = alphabet[rng.below(alphabet.len())],
                    1 if at < input.len() => {
                        input.remove(at);
                    }
                    2 => input.insert(at, alphabet[rng.below(alphabet.len())]),
                    _ => {
                        // Duplicate a slice, which makes nesting and repeats.
                        let len = rng.below(40).min(input.len() - at.min(input.len()));
                        let piece: Vec<u8> = input[at..at + len].to_vec();
                        input.splice(at..at, piece);
                    }
                }
            }
            outcomes[usize::from(exercise(&input, &limits).is_ok())] += 1;
        }
    }
    // Both outcomes must occur, or the mutations are not exercising anything.
    assert!(outcomes[0] > 100 && outcomes[1] > 100, "{outcomes:?}");
}
