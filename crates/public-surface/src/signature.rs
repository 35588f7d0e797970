//! Types, generics, bounds and function signatures as Rust-like text.
//!
//! Paths are written the way [`Names::of`] resolves them (the public path of
//! the crate's own items, the definition path of others': `core::option::
//! Option`), not as the source spelled them, so renaming an import changes
//! nothing and moving a type to another public path shows. Parameter names
//! are left out: renaming one breaks no caller.

use rustdoc_types::{
    AssocItemConstraint, AssocItemConstraintKind, FunctionHeader, FunctionSignature, GenericArg,
    GenericArgs, GenericBound, GenericParamDef, GenericParamDefKind, Generics, Path,
    PreciseCapturingArg, Term, TraitBoundModifier, Type, WherePredicate,
};

use crate::names::Names;

/// Writes types and signatures of one crate.
pub struct Writer<'n, 'a> {
    names: &'n Names<'a>,
}

impl<'n, 'a> Writer<'n, 'a> {
    /// A writer resolving paths through `names`.
    pub fn new(names: &'n Names<'a>) -> Self {
        Self { names }
    }

    /// A type.
    pub fn ty(&self, ty: &Type) -> String {
        match ty {
            Type::ResolvedPath(path) => self.path(path),
            Type::DynTrait(dyn_trait) => {
                let mut parts: Vec<String> = dyn_trait
                    .traits
                    .iter()
                    .map(|poly| {
                        format!(
                            "{}{}",
                            self.higher_ranked(&poly.generic_params),
                            self.path(&poly.trait_)
                        )
                    })
                    .collect();
                parts.extend(dyn_trait.lifetime.clone());
                format!("dyn {}", parts.join(" + "))
            }
            Type::Generic(name) | Type::Primitive(name) => name.clone(),
            Type::FunctionPointer(pointer) => format!(
                "{}{}fn{}",
                self.higher_ranked(&pointer.generic_params),
                header(&pointer.header),
                self.signature(&pointer.sig)
            ),
            Type::Tuple(types) if types.len() == 1 => format!("({},)", self.ty(&types[0])),
            Type::Tuple(types) => format!("({})", self.list(types)),
            Type::Slice(inner) => format!("[{}]", self.ty(inner)),
            Type::Array { type_, len } => format!("[{}; {len}]", self.ty(type_)),
            Type::Pat { type_, .. } => self.ty(type_),
            Type::ImplTrait(bounds) => format!("impl {}", self.bounds(bounds)),
            Type::Infer => "_".into(),
            Type::RawPointer { is_mutable, type_ } => format!(
                "*{} {}",
                if *is_mutable { "mut" } else { "const" },
                self.ty(type_)
            ),
            Type::BorrowedRef {
                lifetime,
                is_mutable,
                type_,
            } => format!(
                "&{}{}{}",
                lifetime
                    .as_ref()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default(),
                if *is_mutable { "mut " } else { "" },
                self.ty(type_)
            ),
            Type::QualifiedPath {
                name,
                args,
                self_type,
                trait_,
            } => {
                let args = args.as_deref().map(|a| self.args(a)).unwrap_or_default();
                match trait_ {
                    Some(trait_) => format!(
                        "<{} as {}>::{name}{args}",
                        self.ty(self_type),
                        self.path(trait_)
                    ),
                    None => format!("{}::{name}{args}", self.ty(self_type)),
                }
            }
        }
    }

    /// A path with its generic arguments.
    pub fn path(&self, path: &Path) -> String {
        let name = self.names.of(&path.id).unwrap_or_else(|| path.path.clone());
        let args = path
            .args
            .as_deref()
            .map(|a| self.args(a))
            .unwrap_or_default();
        format!("{name}{args}")
    }

    fn args(&self, args: &GenericArgs) -> String {
        match args {
            GenericArgs::AngleBracketed { args, constraints } => {
                let mut parts: Vec<String> = args.iter().map(|a| self.arg(a)).collect();
                parts.extend(constraints.iter().map(|c| self.constraint(c)));
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("<{}>", parts.join(", "))
                }
            }
            GenericArgs::Parenthesized { inputs, output } => format!(
                "({}){}",
                self.list(inputs),
                output
                    .as_ref()
                    .map(|o| format!(" -> {}", self.ty(o)))
                    .unwrap_or_default()
            ),
            GenericArgs::ReturnTypeNotation => "(..)".into(),
        }
    }

    fn arg(&self, arg: &GenericArg) -> String {
        match arg {
            GenericArg::Lifetime(lifetime) => lifetime.clone(),
            GenericArg::Type(ty) => self.ty(ty),
            GenericArg::Const(constant) => constant.expr.clone(),
            GenericArg::Infer => "_".into(),
        }
    }

    fn constraint(&self, constraint: &AssocItemConstraint) -> String {
        let args = constraint
            .args
            .as_deref()
            .map(|a| self.args(a))
            .unwrap_or_default();
        match &constraint.binding {
            AssocItemConstraintKind::Equality(term) => {
                format!("{}{args} = {}", constraint.name, self.term(term))
            }
            AssocItemConstraintKind::Constraint(bounds) => {
                format!("{}{args}: {}", constraint.name, self.bounds(bounds))
            }
        }
    }

    fn term(&self, term: &Term) -> String {
        match term {
            Term::Type(ty) => self.ty(ty),
            Term::Constant(constant) => constant.expr.clone(),
        }
    }

    /// Bounds joined with ` + `.
    pub fn bounds(&self, bounds: &[GenericBound]) -> String {
        bounds
            .iter()
            .map(|bound| match bound {
                GenericBound::TraitBound {
                    trait_,
                    generic_params,
                    modifier,
                } => format!(
                    "{}{}{}",
                    self.higher_ranked(generic_params),
                    match modifier {
                        TraitBoundModifier::None => "",
                        TraitBoundModifier::Maybe => "?",
                        TraitBoundModifier::MaybeConst => "[const] ",
                    },
                    self.path(trait_)
                ),
                GenericBound::Outlives(lifetime) => lifetime.clone(),
                GenericBound::Use(args) => format!(
                    "use<{}>",
                    args.iter()
                        .map(|arg| match arg {
                            PreciseCapturingArg::Lifetime(name)
                            | PreciseCapturingArg::Param(name) => name.as_str(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }

    fn higher_ranked(&self, params: &[GenericParamDef]) -> String {
        if params.is_empty() {
            String::new()
        } else {
            format!("for{} ", self.params(params))
        }
    }

    /// `<'a, T: Bound, const N: usize>`, without the parameters an
    /// `impl Trait` argument stands for (they show in the argument).
    pub fn params(&self, params: &[GenericParamDef]) -> String {
        let parts: Vec<String> = params
            .iter()
            .filter_map(|param| {
                let name = &param.name;
                Some(match &param.kind {
                    GenericParamDefKind::Lifetime { outlives } if outlives.is_empty() => {
                        name.clone()
                    }
                    GenericParamDefKind::Lifetime { outlives } => {
                        format!("{name}: {}", outlives.join(" + "))
                    }
                    GenericParamDefKind::Type { is_synthetic, .. } if *is_synthetic => {
                        return None;
                    }
                    GenericParamDefKind::Type {
                        bounds, default, ..
                    } => {
                        let mut text = name.clone();
                        if !bounds.is_empty() {
                            text.push_str(&format!(": {}", self.bounds(bounds)));
                        }
                        if let Some(default) = default {
                            text.push_str(&format!(" = {}", self.ty(default)));
                        }
                        text
                    }
                    GenericParamDefKind::Const { type_, default } => {
                        let mut text = format!("const {name}: {}", self.ty(type_));
                        if let Some(default) = default {
                            text.push_str(&format!(" = {default}"));
                        }
                        text
                    }
                })
            })
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("<{}>", parts.join(", "))
        }
    }

    /// ` where A: B, …`, or nothing.
    pub fn where_clause(&self, generics: &Generics) -> String {
        let parts: Vec<String> = generics
            .where_predicates
            .iter()
            .map(|predicate| match predicate {
                WherePredicate::BoundPredicate {
                    type_,
                    bounds,
                    generic_params,
                } => format!(
                    "{}{}: {}",
                    self.higher_ranked(generic_params),
                    self.ty(type_),
                    self.bounds(bounds)
                ),
                WherePredicate::LifetimePredicate { lifetime, outlives } => {
                    format!("{lifetime}: {}", outlives.join(" + "))
                }
                WherePredicate::EqPredicate { lhs, rhs } => {
                    format!("{} = {}", self.ty(lhs), self.term(rhs))
                }
            })
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!(" where {}", parts.join(", "))
        }
    }

    /// `(&self, T, U) -> R`: the receiver as written, the other
    /// parameters by type only.
    pub fn signature(&self, sig: &FunctionSignature) -> String {
        let mut inputs: Vec<String> = sig
            .inputs
            .iter()
            .map(|(name, ty)| match (name.as_str(), ty) {
                ("self", Type::Generic(it)) if it == "Self" => "self".into(),
                ("self", Type::BorrowedRef { type_, .. })
                    if matches!(&**type_, Type::Generic(it) if it == "Self") =>
                {
                    self.ty(ty).replace("Self", "self")
                }
                ("self", _) => format!("self: {}", self.ty(ty)),
                _ => self.ty(ty),
            })
            .collect();
        if sig.is_c_variadic {
            inputs.push("...".into());
        }
        let output = sig
            .output
            .as_ref()
            .map(|o| format!(" -> {}", self.ty(o)))
            .unwrap_or_default();
        format!("({}){output}", inputs.join(", "))
    }

    fn list(&self, types: &[Type]) -> String {
        types
            .iter()
            .map(|t| self.ty(t))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `const async unsafe extern "C" ` as it applies, each with its space.
pub fn header(header: &FunctionHeader) -> String {
    let mut text = String::new();
    if header.is_const {
        text.push_str("const ");
    }
    if header.is_async {
        text.push_str("async ");
    }
    if header.is_unsafe {
        text.push_str("unsafe ");
    }
    if header.abi != rustdoc_types::Abi::Rust {
        text.push_str(&format!("extern {:?} ", header.abi));
    }
    text
}
