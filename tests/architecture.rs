//! The module layering in docs/architecture.md is the code's: every `crate::<module>`
//! reference between top-level modules is in the documented table, every dependency the
//! table allows is used, and no cycle runs between top-level modules except through the
//! known back edges the document lists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;
/// Per module: its row in the table and the modules it may use.
type Layering = BTreeMap<String, (usize, BTreeSet<String>)>;

/// `crate::<module>` references per top-level module (a file or directory under src/),
/// each with the first place it occurs. Comment lines are skipped: a doc link is not a
/// dependency.
fn code_deps(src: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut deps: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect_rs(src, &mut files);
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.strip_suffix(".rs").unwrap_or(&first).to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let entry = deps.entry(module.clone()).or_default();
        let text = std::fs::read_to_string(&file).unwrap();
        // Comment lines are blanked, not dropped, so line numbers stay right.
        let code: String = text
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .flat_map(|l| [l, "\n"])
            .collect();
        for (line_no, used) in crate_refs(&code) {
            if used != module {
                entry
                    .entry(used)
                    .or_insert_with(|| format!("src/{}:{line_no}", rel.display()));
            }
        }
    }
    deps
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `(line, module)` for each `crate::module` and each name in `crate::{a, b::c}`.
fn crate_refs(code: &str) -> Vec<(usize, String)> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut refs = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        // `crate::` after an identifier character is another path (`my_crate::`).
        if code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let line = code[..i].matches('\n').count() + 1;
        let after = &code[i + "crate::".len()..];
        match after.strip_prefix('{') {
            Some(group) => {
                // The first name of each top-level item of the group: `{a::{b, c}, d}` -> a, d.
                let mut depth = 0;
                let mut item_start = true;
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            item_start = false;
                            refs.push((line, ident(&group[j..])));
                        }
                        _ => {}
                    }
                }
            }
            None => refs.push((line, ident(after))),
        }
    }
    refs
}

/// The rows of the markdown table under `heading` in `doc`: cells per row, header and
/// rule rows left out.
fn table<'a>(doc: &'a str, heading: &str) -> Vec<Vec<&'a str>> {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("docs/architecture.md has no section {heading:?}"));
    doc[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect()
}

/// The backquoted names in a table cell.
fn names(cell: &str) -> BTreeSet<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The documented layering: allowed dependencies per module (with the module's row), and
/// the back edges.
fn documented() -> (Layering, BTreeSet<(String, String)>) {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .unwrap();
    let mut allowed = BTreeMap::new();
    for (i, row) in table(&doc, "## Modules").into_iter().enumerate() {
        let module = names(row[0]).into_iter().next().expect("a module name");
        allowed.insert(module, (i, names(row[2])));
    }
    let back = table(&doc, "## Known back edges")
        .into_iter()
        .map(|row| {
            let pair: Vec<String> = row[0]
                .split('`')
                .nth(1)
                .unwrap()
                .split(" -> ")
                .map(str::to_string)
                .collect();
            (pair[0].clone(), pair[1].clone())
        })
        .collect();
    (allowed, back)
}

/// A cycle in `graph` as `a -> b -> a`, if there is one.
fn find_cycle(graph: &Graph) -> Option<String> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn finds_a_cycle_and_names_it() {
    let g = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
        }
        g
    };
    assert_eq!(find_cycle(&g(&[("a", "b"), ("b", "c")])), None);
    assert_eq!(
        find_cycle(&g(&[("a", "b"), ("b", "c"), ("c", "a")])).as_deref(),
        Some("a -> b -> c -> a")
    );
    let code = "use crate::{model::{X, Y},\n    cell};\nlet n = crate::batch::f();\nx\nmy_crate::y; crate::run::audit\n";
    assert_eq!(
        crate_refs(code),
        [(1, "model"), (1, "cell"), (3, "batch"), (5, "run")].map(|(l, m)| (l, m.to_string()))
    );
}

#[test]
fn module_dependencies_are_the_documented_layering() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let code = code_deps(&src);
    let (allowed, back) = documented();
    let mut problems = Vec::new();

    let in_code: BTreeSet<&String> = code.keys().collect();
    let in_doc: BTreeSet<&String> = allowed.keys().collect();
    for m in in_code.difference(&in_doc) {
        problems.push(format!(
            "module `{m}` is not in the table of docs/architecture.md"
        ));
    }
    for m in in_doc.difference(&in_code) {
        problems.push(format!(
            "docs/architecture.md lists `{m}`, which is not a module under src/"
        ));
    }
    for (module, uses) in &code {
        let (row, ok) = allowed.get(module).cloned().unwrap_or_default();
        for used in &ok {
            if allowed.get(used).is_some_and(|(r, _)| *r > row) {
                problems.push(format!(
                    "docs/architecture.md lists `{used}` below `{module}`, which uses it: move it up"
                ));
            }
        }
        for (used, at) in uses {
            if !ok.contains(used) && !back.contains(&(module.clone(), used.clone())) {
                problems.push(format!(
                    "{at}: `{module}` uses `crate::{used}`, which docs/architecture.md does not allow for `{module}`"
                ));
            }
        }
        for used in ok.iter().filter(|u| !uses.contains_key(*u)) {
            problems.push(format!(
                "docs/architecture.md allows `{module}` to use `{used}`, which it does not: take it off the table"
            ));
        }
    }
    for (from, to) in &back {
        if !code.get(from).is_some_and(|u| u.contains_key(to)) {
            problems.push(format!(
                "the back edge `{from} -> {to}` is gone: take it off docs/architecture.md"
            ));
        }
    }
    let mut layered = Graph::new();
    for (module, uses) in &code {
        let kept = uses
            .keys()
            .filter(|u| !back.contains(&(module.clone(), (*u).clone())))
            .cloned()
            .collect();
        layered.insert(module.clone(), kept);
    }
    if let Some(cycle) = find_cycle(&layered) {
        problems.push(format!("modules depend on each other in a cycle: {cycle}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
