#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod merge;
mod operation;
mod type_name;
mod types;

pub use merge::merge;
pub use operation::Operation;
pub use types::{Field, TypeDef, TypeKind, Variant};

/// The public API of one generated client: its operations and its types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Surface {
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// Types of the `types` module, sorted by name.
    pub types: Vec<TypeDef>,
}

impl Surface {
    /// Parses generated source code.
    pub fn parse(source: &str) -> Result<Self, syn::Error> {
        Self::parse_files(&[source])
    }

    /// Parses a generated client split into files: its `mod.rs` first, then
    /// the file of each tag, whose modules mirror the first's ([`merge`]).
    pub fn parse_files(sources: &[&str]) -> Result<Self, syn::Error> {
        let mut files = Vec::with_capacity(sources.len());
        for source in sources {
            files.push(syn::parse_file(source)?);
        }
        let mut files = files.into_iter();
        let file = merge(files.next().unwrap_or_else(empty_file), files);
        let mut surface = Surface {
            operations: operation::collect(&file),
            types: types::collect(&file),
        };
        surface.operations.sort_by(|a, b| a.name.cmp(&b.name));
        surface.types.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(surface)
    }

    /// The surface as text: one block per operation, then one per type.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for operation in &self.operations {
            operation.render(&mut out);
        }
        for ty in &self.types {
            ty.render(&mut out);
        }
        out
    }
}

fn empty_file() -> syn::File {
    syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: Vec::new(),
    }
}
