//! Rust types as short, readable text (`Option<String>`, not
//! `::std::option::Option<::std::string::String>`).

use quote::ToTokens;

/// Path prefixes that add noise but no meaning in a surface listing.
const NOISE: &[&str] = &[
    "::std::option::",
    "::std::vec::",
    "::std::string::",
    "::std::collections::",
    "::std::boxed::",
    "::serde_json::",
    "::chrono::offset::",
    "::chrono::",
    "super::",
    "types::",
];

/// Renders a type compactly and without the standard paths.
pub fn render(ty: &syn::Type) -> String {
    // Field types hold no `dyn`/`impl`/references, so spaces carry nothing.
    let mut text: String = ty
        .to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for prefix in NOISE {
        text = text.replace(prefix, "");
    }
    // A leading `::` (absolute path) says nothing to a reader either.
    text = text
        .replace("<::", "<")
        .replace(",::", ",")
        .replace(",>", ">");
    let text = text.strip_prefix("::").unwrap_or(&text);
    text.replace(',', ", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_std_paths() {
        let ty: syn::Type =
            syn::parse_str("::std::option::Option<::std::vec::Vec<::std::string::String>>")
                .unwrap();
        assert_eq!(render(&ty), "Option<Vec<String>>");
        let ty: syn::Type = syn::parse_str("::chrono::DateTime<::chrono::offset::Utc>").unwrap();
        assert_eq!(render(&ty), "DateTime<Utc>");
        let ty: syn::Type = syn::parse_str("Option<DateTime<Utc>,>").unwrap();
        assert_eq!(render(&ty), "Option<DateTime<Utc>>");
        let ty: syn::Type = syn::parse_str("::spott_openapi::OpenEnum<super::TaskSource>").unwrap();
        assert_eq!(render(&ty), "spott_openapi::OpenEnum<TaskSource>");
    }
}
