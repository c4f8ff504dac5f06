//! The key under which a name (log-in name, tenant, application) is unique and looked
//! up: its NFKC case fold, so that names a person cannot tell apart are one name.
//!
//! Lower-casing alone keeps `ｂｏｓｓ` (fullwidth letters) and `boſs` (long s) apart from
//! `boss`; they are the same name to a reader, and to anyone choosing a name to pass for
//! another's. The key follows Unicode's compatibility caseless match (D146):
//! `NFKD(fold(NFKD(fold(NFD(name)))))`, with full case folding (`ß` → `ss`, `ſ` → `s`),
//! applied twice because folding and decomposition each can produce what the other
//! changes; the result is composed again (NFC) so that stored keys stay short and
//! readable. Names keep their spelling; only the key is folded.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// The NFKC case fold of `name` (see the module doc); equal keys mean the same name.
pub fn name_key(name: &str) -> String {
    name.nfd()
        .default_case_fold()
        .nfkd()
        .default_case_fold()
        .nfkd()
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn look_alikes_share_a_key() {
        for name in ["boss", "BOSS", "ｂｏｓｓ", "boſs", "Ｂoss", "BOẞ", "boß"] {
            assert_eq!(name_key(name), "boss", "{name:?}");
        }
        assert_eq!(name_key("Straße"), name_key("STRASSE"));
        assert_eq!(name_key("ÅSE"), name_key("åse"));
        // Composed and decomposed spellings of one letter are one name.
        assert_eq!(name_key("A\u{30A}se"), name_key("\u{C5}se"));
        assert_eq!(name_key("Ørjan"), "ørjan");
        assert_eq!(name_key("ﬁona"), "fiona");
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(name_key("boss"), name_key("bass"));
        assert_ne!(name_key("åse"), name_key("ase"));
        assert_ne!(name_key("bob"), name_key("bob2"));
    }
}
