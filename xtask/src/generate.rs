//! `cargo xtask generate [--check]`: spec → progenitor → prettyplease → the
//! committed source of each generated crate.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use progenitor::Generator;

use crate::apis::{APIS, Api};
use crate::tag_features::Gates;
use crate::{
    cargo_features, hooks, httpmock_tests, id_types, media_types, nullable_fields, operation_table,
    operation_types, optional_derives, path_segments, readme_table, rust_types, settings, spec,
    tag_files,
};

/// The directory of the generated client in each generated crate: its
/// `mod.rs` and one file per tag (`tag_files`).
pub const CLIENT_DIR: &str = "src/generated";

/// The same for progenitor's httpmock helpers (the crate's `mock` module).
pub const MOCK_DIR: &str = "src/generated_httpmock";

/// One file the generator produces.
pub struct Output {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// Full file contents.
    pub contents: String,
}

/// Renders every file of one API's crate from its spec, in memory.
pub fn render(root: &Path, api: &Api) -> Result<Vec<Output>> {
    let (mut outputs, gates) = render_with_gates(api, spec::read_value(&root.join(api.spec))?)?;
    gates
        .require_tags()
        .with_context(|| format!("the tags of {}", api.spec))?;
    outputs.extend(cargo_features::render(root, api, &gates.tags)?);
    Ok(outputs)
}

/// The files of `api`'s generated client among `outputs`: `mod.rs` first,
/// then each tag's.
pub fn client_files<'a>(api: &Api, outputs: &'a [Output]) -> Vec<&'a Output> {
    files_in(api, outputs, CLIENT_DIR)
}

fn files_in<'a>(api: &Api, outputs: &'a [Output], dir: &str) -> Vec<&'a Output> {
    let dir = Path::new(api.crate_dir).join(dir);
    outputs
        .iter()
        .filter(|output| output.path.parent() == Some(dir.as_path()))
        .collect()
}

/// The generated client (`CLIENT_DIR`) or httpmock helpers (`MOCK_DIR`) of
/// `api` among `outputs`, their files parsed and put back together as one
/// (`api_surface::merge`).
pub fn parse_split(api: &Api, outputs: &[Output], dir: &str) -> Result<syn::File> {
    let mut files = Vec::new();
    for output in files_in(api, outputs, dir) {
        files.push(
            syn::parse_file(&output.contents)
                .with_context(|| format!("parsing {}", output.path.display()))?,
        );
    }
    let mut files = files.into_iter();
    let shared = files
        .next()
        .with_context(|| format!("nothing was rendered in {dir}"))?;
    Ok(api_surface::merge(shared, files))
}

/// Renders the source files of `api`'s crate from a spec already read
/// (another revision of it, or an edited copy), with the same settings as
/// [`render`].
pub fn render_value(api: &Api, value: serde_json::Value) -> Result<Vec<Output>> {
    render_with_gates(api, value).map(|(outputs, _)| outputs)
}

fn render_with_gates(api: &Api, mut value: serde_json::Value) -> Result<(Vec<Output>, Gates)> {
    // A body progenitor would type as bytes is refused before it is
    // generated into code that does not compile.
    media_types::check(api.spec, &value)?;
    // What is marked is visible in the generated code and its snapshot.
    let _marked = rust_types::mark(&mut value, api.crate_name);
    let openapi = spec::to_openapi(value)?;

    let mut generator = Generator::new(&settings::generation_settings(api));
    let client = generator
        .generate_tokens(&openapi)
        .map_err(|e| anyhow::anyhow!("progenitor rejected {}: {e}", api.spec))?;
    let mock = generator
        .httpmock(&openapi, "crate")
        .map_err(|e| anyhow::anyhow!("progenitor's httpmock rejected {}: {e}", api.spec))?;

    let mut client: syn::File =
        syn::parse2(client).context("generated client is not valid Rust")?;
    path_segments::apply(&mut client).context("the path segment encoder")?;
    let gates = Gates::compute(&openapi, &client)?;
    gates.apply_to_client(&mut client);
    let types = operation_types::by_operation(&client);
    let type_names = operation_types::type_names(&client);
    let table = operation_table::tokens(&openapi, &types, &type_names, &gates)
        .with_context(|| format!("the operation table of {}", api.spec))?;
    client.items.extend(
        syn::parse2::<syn::File>(table)
            .context("the operation table")?
            .items,
    );
    let setters = nullable_fields::tokens(&client, &gates);
    client.items.extend(
        syn::parse2::<syn::File>(setters)
            .context("the nullable-field setters")?
            .items,
    );

    id_types::add_display(&openapi, &mut client);
    let ids = id_types::tokens(&openapi, &client);
    client.items.extend(
        syn::parse2::<syn::File>(ids)
            .context("the id types macro")?
            .items,
    );
    optional_derives::apply(&mut client);

    let mut mock: syn::File = syn::parse2(mock).context("generated httpmock is not valid Rust")?;
    gates.apply_to_httpmock(&mut mock);

    let mut features = gates.tags.clone();
    features.insert(tag_files::FULL.to_owned());
    let mut outputs = split_files(api, client, &features, CLIENT_DIR)
        .with_context(|| format!("splitting the client of {} by tag", api.spec))?;
    outputs.extend(
        split_files(api, mock, &features, MOCK_DIR)
            .with_context(|| format!("splitting the httpmock helpers of {} by tag", api.spec))?,
    );
    outputs.push(Output {
        path: Path::new(api.crate_dir).join("src/hooks.rs"),
        contents: format_file(api, hooks::tokens(api.wrapper_crate))?,
    });
    Ok((outputs, gates))
}

/// `file` split by tag (`tag_files`) as `dir/mod.rs` and a file per gate.
fn split_files(
    api: &Api,
    file: syn::File,
    features: &std::collections::BTreeSet<String>,
    dir: &str,
) -> Result<Vec<Output>> {
    let split = tag_files::split(file, features)?;
    let dir = Path::new(api.crate_dir).join(dir);
    let mut outputs = vec![Output {
        path: dir.join("mod.rs"),
        contents: format_syntax(api, &split.shared),
    }];
    for part in &split.parts {
        outputs.push(Output {
            path: dir.join(format!("{}.rs", part.module)),
            contents: format_syntax(api, &part.file),
        });
    }
    Ok(outputs)
}

/// Formats generated tokens as a Rust file with the do-not-edit header.
fn format_file(api: &Api, tokens: proc_macro2::TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).context("generated code is not valid Rust")?;
    Ok(format_syntax(api, &file))
}

/// [`format_file`] for code that is already syntax (printing it to tokens
/// and parsing them again would cost as much as parsing the client).
fn format_syntax(api: &Api, file: &syn::File) -> String {
    let body = prettyplease::unparse(file);
    format!(
        "// @generated by `cargo xtask generate` from {spec}. Do not edit: change the spec\n\
         // (or xtask/src/settings.rs) and run `cargo xtask generate` again.\n\n{body}",
        spec = api.spec
    )
}

/// Writes every generated file, or with `check` compares them with what is
/// committed and fails with a diff when they differ.
pub fn run(root: &Path, check: bool) -> Result<()> {
    let mut stale = Vec::new();
    let mut sources = Vec::new();
    for api in APIS {
        let started = Instant::now();
        let outputs = render(root, api)?;
        let elapsed = started.elapsed();
        sources.push(httpmock_tests::Sources::from_outputs(api, &outputs)?);
        let strays = stray_files(root, api, &outputs)?;
        write_or_check(root, outputs, check, &mut stale)?;
        for path in strays {
            if check {
                eprintln!("{} is not generated any more: delete it", path.display());
                stale.push(path.display().to_string());
            } else {
                std::fs::remove_file(root.join(&path))
                    .with_context(|| format!("removing {}", path.display()))?;
                println!("removed   {}", path.display());
            }
        }
        println!(
            "{:<10} generated from {} in {elapsed:.1?}",
            api.name, api.spec
        );
    }
    let shared = vec![
        readme_table::render(root)?,
        httpmock_tests::render(root, &sources)?,
    ];
    write_or_check(root, shared, check, &mut stale)?;
    write_or_check(root, mock_specs(root)?, check, &mut stale)?;
    if !stale.is_empty() {
        bail!(
            "generated code differs from spec/ in: {}\nrun `cargo xtask generate` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

/// Files of `api`'s split client or helpers that `outputs` does not hold:
/// a tag's file left from a tag the spec no longer has (its `mod` is gone,
/// so rustc would never say), or a single file the split replaced.
pub fn stray_files(root: &Path, api: &Api, outputs: &[Output]) -> Result<Vec<PathBuf>> {
    let crate_dir = Path::new(api.crate_dir);
    let mut candidates = Vec::new();
    for dir in [CLIENT_DIR, MOCK_DIR] {
        candidates.push(crate_dir.join(format!("{dir}.rs")));
        let dir = crate_dir.join(dir);
        match std::fs::read_dir(root.join(&dir)) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
                    candidates.push(dir.join(entry.file_name()));
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error).with_context(|| format!("listing {}", dir.display()));
            }
        }
    }
    candidates.sort();
    Ok(candidates
        .into_iter()
        .filter(|path| root.join(path).exists() && !outputs.iter().any(|o| &o.path == path))
        .collect())
}

/// Where the mock crate keeps its copies of the specs.
const MOCK_SPECS: &str = "crates/spott-saleshandy-mock/spec";

/// The mock crate's copies of the specs, byte for byte: it embeds them,
/// and a packaged crate can embed only files inside it.
fn mock_specs(root: &Path) -> Result<Vec<Output>> {
    APIS.iter()
        .map(|api| {
            let spec = Path::new(api.spec);
            let contents = std::fs::read_to_string(root.join(spec))
                .with_context(|| format!("reading {}", api.spec))?;
            let name = spec.file_name().context("a spec file name")?;
            Ok(Output {
                path: Path::new(MOCK_SPECS).join(name),
                contents,
            })
        })
        .collect()
}

/// Writes `outputs` (or, with `check`, compares them with what is on disk
/// and adds the stale ones to `stale`).
fn write_or_check(
    root: &Path,
    outputs: Vec<Output>,
    check: bool,
    stale: &mut Vec<String>,
) -> Result<()> {
    for output in outputs {
        let path = root.join(&output.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if check {
            if current != output.contents {
                print_diff(&output.path, &current, &output.contents);
                stale.push(output.path.display().to_string());
            }
        } else if current == output.contents {
            println!("unchanged {}", output.path.display());
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&path, &output.contents)
                .with_context(|| format!("writing {}", path.display()))?;
            println!("wrote     {}", output.path.display());
        }
    }
    Ok(())
}

fn print_diff(path: &Path, committed: &str, expected: &str) {
    let diff = similar::TextDiff::from_lines(committed, expected);
    eprintln!(
        "{}",
        diff.unified_diff().context_radius(3).header(
            &format!("committed {}", path.display()),
            &format!("generated from spec {}", path.display())
        )
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> &'static Path {
        crate::workspace_root().expect("the workspace root")
    }

    #[test]
    fn generation_is_byte_identical_across_runs() {
        for api in APIS {
            let first = render(root(), api).unwrap();
            let second = render(root(), api).unwrap();
            assert_eq!(first.len(), second.len());
            for (a, b) in first.iter().zip(&second) {
                assert_eq!(a.path, b.path);
                assert!(
                    a.contents == b.contents,
                    "{} differs between runs",
                    a.path.display()
                );
            }
        }
    }

    #[test]
    fn an_operation_answering_csv_is_refused_before_progenitor() {
        let api = &APIS[0];
        let mut value = spec::read_value(&root().join(api.spec)).unwrap();
        value["paths"]["/candidates/export"] = serde_json::json!({"get": {
            "operationId": "export_candidates",
            "tags": ["Candidates"],
            "responses": {"200": {"description": "the candidates as CSV",
                "content": {"text/csv": {"schema": {"type": "string"}}}}}
        }});
        let Err(error) = render_value(api, value) else {
            panic!("a text/csv response was generated");
        };
        let error = format!("{error:#}");
        assert!(
            error.contains(&format!(
                "{}: every request body and success response must be JSON",
                api.spec
            )) && error.contains(
                "`export_candidates` (GET /candidates/export): its 200 response is text/csv"
            ),
            "{error}"
        );
    }

    #[test]
    fn every_generated_file_says_where_it_comes_from() {
        for api in APIS {
            for output in render(root(), api).unwrap() {
                if output.path.ends_with("Cargo.toml") {
                    assert!(output.contents.contains(cargo_features::BEGIN));
                    continue;
                }
                let first_line = output.contents.lines().next().unwrap_or_default();
                assert_eq!(
                    first_line,
                    format!(
                        "// @generated by `cargo xtask generate` from {}. Do not edit: change the spec",
                        api.spec
                    )
                );
            }
        }
    }

    #[test]
    fn files_no_output_holds_are_strays() {
        let dir = tempfile::tempdir().unwrap();
        let api = Api {
            name: "test",
            spec: "spec.yaml",
            crate_dir: "crate",
            crate_name: "test-api",
            wrapper_crate: "test",
        };
        let client = dir.path().join("crate/src/generated");
        std::fs::create_dir_all(&client).unwrap();
        for file in ["mod.rs", "tasks.rs", "widgets.rs"] {
            std::fs::write(client.join(file), "").unwrap();
        }
        std::fs::write(dir.path().join("crate/src/generated.rs"), "").unwrap();
        let outputs: Vec<Output> = ["mod.rs", "tasks.rs"]
            .into_iter()
            .map(|file| Output {
                path: Path::new("crate").join(CLIENT_DIR).join(file),
                contents: String::new(),
            })
            .collect();
        assert_eq!(
            stray_files(dir.path(), &api, &outputs).unwrap(),
            [
                PathBuf::from("crate/src/generated/widgets.rs"),
                PathBuf::from("crate/src/generated.rs")
            ]
        );
        assert_eq!(client_files(&api, &outputs).len(), 2);
    }

    #[test]
    fn committed_code_matches_the_specs() {
        for api in APIS {
            let outputs = render(root(), api).unwrap();
            let strays = stray_files(root(), api, &outputs).unwrap();
            assert!(strays.is_empty(), "not generated any more: {strays:?}");
            for output in outputs {
                let committed = std::fs::read_to_string(root().join(&output.path)).unwrap();
                assert!(
                    committed == output.contents,
                    "{} is stale: run `cargo xtask generate`",
                    output.path.display()
                );
            }
        }
    }
}
