#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod operation;
mod type_name;
mod types;

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
        let file = syn::parse_file(source)?;
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
