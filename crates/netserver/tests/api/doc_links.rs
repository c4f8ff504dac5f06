//! Every relative link in README.md and docs/*.md points at something: a file or folder
//! of the repository, and for `#anchor`s a heading of the page named.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The pages checked: the README and every page under docs/.
fn pages(root: &Path) -> Vec<PathBuf> {
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The text outside fenced code blocks, with inline code spans blanked out.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            out.push('\n');
            continue;
        }
        if fenced {
            out.push('\n');
            continue;
        }
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            }
            out.push(if in_code || c == '`' { ' ' } else { c });
        }
        out.push('\n');
    }
    out
}

/// Link targets: inline `[text](target "title")` and reference definitions `[x]: target`.
fn targets(markdown: &str) -> Vec<String> {
    let text = prose(markdown);
    let mut found = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = after[..end].split_whitespace().next().unwrap_or("");
        found.push(target.trim_matches(['<', '>']).to_owned());
        rest = &after[end..];
    }
    for line in text.lines() {
        let line = line.trim_start();
        if let Some(close) = line.strip_prefix('[').and_then(|l| l.find("]:")) {
            let target = line[close + 3..].split_whitespace().next().unwrap_or("");
            found.push(target.to_owned());
        }
    }
    found
}

/// GitHub's anchors for a page's headings: lower case, letters, digits, `-` and `_` kept,
/// spaces as `-`, anything else dropped; a repeated heading gets `-1`, `-2`, ….
fn anchors(markdown: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for line in prose(markdown).lines() {
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        let title = title.trim_start_matches('#');
        if !title.starts_with(' ') {
            continue;
        }
        let slug: String = title
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let mut candidate = slug.clone();
        let mut n = 0;
        while seen.contains(&candidate) {
            n += 1;
            candidate = format!("{slug}-{n}");
        }
        seen.insert(candidate);
    }
    seen
}

/// Every broken link of `page`, as `page: target (why)`.
fn broken_links(page: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(page).unwrap();
    let dir = page.parent().unwrap();
    let mut broken = Vec::new();
    for target in targets(&text) {
        if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
            if target.is_empty() {
                broken.push(format!("{}: an empty link", page.display()));
            }
            continue;
        }
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.as_str(), None),
        };
        let file = if path.is_empty() {
            page.to_path_buf()
        } else {
            dir.join(path)
        };
        if !file.exists() {
            broken.push(format!("{}: {target} (no such file)", page.display()));
            continue;
        }
        if let Some(anchor) = anchor {
            let heads = std::fs::read_to_string(&file)
                .map(|t| anchors(&t))
                .unwrap_or_default();
            if !heads.contains(anchor) {
                broken.push(format!("{}: {target} (no such heading)", page.display()));
            }
        }
    }
    broken
}

#[test]
fn every_relative_link_of_the_readme_and_docs_points_at_something() {
    let root = root();
    let pages = pages(&root);
    assert!(pages.len() > 5, "{pages:?}");
    let broken: Vec<String> = pages.iter().flat_map(|p| broken_links(p)).collect();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The README links every page of docs/.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let linked = targets(&readme);
    for page in &pages[1..] {
        let name = format!("docs/{}", page.file_name().unwrap().to_string_lossy());
        assert!(linked.contains(&name), "README.md does not link {name}");
    }
}

#[test]
fn the_checker_finds_missing_files_and_headings_and_ignores_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("other.md"),
        "# Other page\n\n## A Section: two\n",
    )
    .unwrap();
    let page = dir.path().join("page.md");
    std::fs::write(
        &page,
        "# Page\n\n[ok](other.md) [ok](other.md#a-section-two) [ok](#page) \
         [web](https://example.com/x)\n[gone](missing.md) [gone](other.md#nowhere)\n\
         `[code](not-checked.md)`\n```\n[code](not-checked-either.md)\n```\n\
         [ref]: also-missing.md\n",
    )
    .unwrap();
    let broken = broken_links(&page);
    assert_eq!(broken.len(), 3, "{broken:#?}");
    assert!(
        broken[0].ends_with("missing.md (no such file)"),
        "{broken:?}"
    );
    assert!(broken[1].ends_with("other.md#nowhere (no such heading)"));
    assert!(broken[2].ends_with("also-missing.md (no such file)"));
}
