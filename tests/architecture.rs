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

/// Longest a function may be, signature to closing brace, without a `// Left long:` reason.
const MAX_FN_LINES: usize = 80;

/// A function item found by `functions`: its name, the line of `fn`, the lines of its body's
/// braces, and whether it sits in test-only code (`#[cfg(test)]`).
#[derive(Debug, PartialEq)]
struct FnSpan {
    name: String,
    fn_line: usize,
    open_line: usize,
    close_line: usize,
    in_test: bool,
}

impl FnSpan {
    fn lines(&self) -> usize {
        self.close_line - self.fn_line + 1
    }
}

/// Every function with a body in `code`, found by matching braces outside strings, chars and
/// comments. Not a parser: enough of Rust's lexical rules that a brace in a literal or a
/// comment is not taken for a block.
fn functions(code: &str) -> Vec<FnSpan> {
    enum Block {
        Fn(String, usize, usize, bool),
        Other(bool),
    }
    let c: Vec<char> = code.chars().collect();
    let is_ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut line = 1;
    // `fn name` seen, body not yet opened: name, line, and the ( [ < depth of its signature.
    let mut pending: Option<(String, usize, i32)> = None;
    let mut cfg_test = false;
    let mut i = 0;
    let in_test = |blocks: &[Block]| {
        blocks.last().is_some_and(|b| match b {
            Block::Fn(_, _, _, t) | Block::Other(t) => *t,
        })
    };
    // Skip to the end of a quoted literal starting after its opening quote at `i`; a raw one
    // (`hashes` = Some) has no escapes.
    let skip_quoted = |mut i: usize, quote: char, hashes: Option<usize>, line: &mut usize| {
        while i < c.len() {
            match c[i] {
                '\\' if hashes.is_none() => {
                    if c.get(i + 1) == Some(&'\n') {
                        *line += 1;
                    }
                    i += 2;
                    continue;
                }
                '\n' => *line += 1,
                ch if ch == quote => {
                    let n = hashes.unwrap_or(0);
                    if (1..=n).all(|k| c.get(i + k) == Some(&'#')) {
                        return i + 1 + n;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        i
    };
    while i < c.len() {
        let ch = c[i];
        match ch {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if c[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            '"' => i = skip_quoted(i + 1, '"', None, &mut line),
            '\'' => {
                // A char literal ('x', '\n', '\u{7b}'), else a lifetime or label ('a).
                if c.get(i + 1) == Some(&'\\') {
                    i = skip_quoted(i + 1, '\'', None, &mut line);
                } else if c.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            '#' if c[i..]
                .starts_with(&['#', '[', 'c', 'f', 'g', '(', 't', 'e', 's', 't', ')', ']']) =>
            {
                cfg_test = true;
                i += 12;
            }
            ch if is_ident(ch) => {
                let start = i;
                while i < c.len() && is_ident(c[i]) {
                    i += 1;
                }
                let word: String = c[start..i].iter().collect();
                let next = c.get(i).copied();
                match word.as_str() {
                    "r" | "br" if matches!(next, Some('"' | '#')) => {
                        let mut hashes = 0;
                        while c.get(i) == Some(&'#') {
                            hashes += 1;
                            i += 1;
                        }
                        if c.get(i) == Some(&'"') {
                            i = skip_quoted(i + 1, '"', Some(hashes), &mut line);
                        }
                    }
                    "b" if next == Some('"') => i = skip_quoted(i + 1, '"', None, &mut line),
                    "b" if next == Some('\'') => i = skip_quoted(i + 1, '\'', None, &mut line),
                    "fn" => {
                        let mut j = i;
                        while j < c.len() && c[j].is_whitespace() {
                            j += 1;
                        }
                        let name: String = c[j..].iter().take_while(|ch| is_ident(**ch)).collect();
                        // `fn(u8) -> u8`, a function pointer type, has no name.
                        if !name.is_empty() {
                            pending = Some((name, line, 0));
                        }
                    }
                    _ => {}
                }
            }
            '(' | '[' | ')' | ']' => {
                if let Some((_, _, depth)) = &mut pending {
                    *depth += if matches!(ch, '(' | '[') { 1 } else { -1 };
                }
                i += 1;
            }
            ';' => {
                // A body-less declaration (`fn f();` in a trait), or an attributed item
                // without a block.
                if pending.as_ref().is_none_or(|p| p.2 == 0) {
                    pending = None;
                    cfg_test = false;
                }
                i += 1;
            }
            '{' => {
                let test = in_test(&blocks) || std::mem::take(&mut cfg_test);
                blocks.push(match pending.take() {
                    Some((name, fn_line, _)) => Block::Fn(name, fn_line, line, test),
                    None => Block::Other(test),
                });
                i += 1;
            }
            '}' => {
                if let Some(Block::Fn(name, fn_line, open_line, in_test)) = blocks.pop() {
                    out.push(FnSpan {
                        name,
                        fn_line,
                        open_line,
                        close_line: line,
                        in_test,
                    });
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[test]
fn the_function_scanner_matches_braces_outside_literals_and_comments() {
    let code = r####"fn a() {
    let s = "}{";
    let r = r#"}"# ;
    let q = r##"a "# }"##;
    let c = '{';
    let e = '\'';
    let u = '\u{7d}';
    let b = b'}';
    fn inner<'x>(v: &'x [u8; 2]) -> &'x u8 { &v[0] }
    let f = |x: u8| { let g = |y: u8| { y }; g(x) };
    // }
    /* } /* { */ } */
}
trait T { fn decl(&self); fn with_default(&self) {} }
fn b(f: fn(u8) -> u8) -> u8 {
    f(1)
}
#[cfg(test)]
mod tests {
    fn t() {
    }
}
"####;
    let found: Vec<(String, usize, usize, bool)> = functions(code)
        .into_iter()
        .map(|f| (f.name, f.fn_line, f.close_line, f.in_test))
        .collect();
    let want = [
        ("inner", 9, 9, false),
        ("a", 1, 13, false),
        ("with_default", 14, 14, false),
        ("b", 15, 17, false),
        ("t", 20, 21, true),
    ];
    assert_eq!(
        found,
        want.map(|(n, a, b, t)| (n.to_string(), a, b, t)).to_vec()
    );
}

/// Whether a `// Left long:` reason is on one of the 3 lines above the function's `fn` line
/// or on the first line of its body.
fn left_long(lines: &[&str], f: &FnSpan) -> bool {
    let marked = |n: usize| {
        n >= 1
            && lines
                .get(n - 1)
                .is_some_and(|l| l.trim_start().starts_with("// Left long:"))
    };
    (f.fn_line.saturating_sub(3)..f.fn_line).any(marked) || marked(f.open_line + 1)
}

#[test]
fn the_left_long_reason_is_read_above_the_function_or_atop_its_body() {
    let code = "// Left long: above.\n\nfn a() {\n}\nfn b() {\n    // Left long: body.\n}\n\n\n\nfn c() {\n    x();\n    // Left long: too late.\n}\n";
    let lines: Vec<&str> = code.lines().collect();
    let marks: Vec<bool> = functions(code)
        .iter()
        .map(|f| left_long(&lines, f))
        .collect();
    assert_eq!(marks, [true, true, false]);
}

#[test]
fn functions_are_at_most_80_lines_or_say_why() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    files.sort();
    let mut long = Vec::new();
    for file in files {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for f in functions(&text) {
            if f.lines() > MAX_FN_LINES && !f.in_test && !left_long(&lines, &f) {
                long.push(format!(
                    "src/{}:{}: `{}` is {} lines",
                    file.strip_prefix(&src).unwrap().display(),
                    f.fn_line,
                    f.name,
                    f.lines()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines: split them into named steps, or put a \
         `// Left long: <reason>` comment on one of the 3 lines above the `fn` or on the \
         first line of the body:\n{}",
        long.join("\n")
    );
}
