//! JSON pointers (RFC 6901) into a spec, and the pair of them every finding
//! carries: where a change is in an operation, and where it is written.

/// Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A place in one document, seen from an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The pointer along the operation, with every `$ref` on the way read as
    /// if its target were written inline, e.g.
    /// `/paths/~1tasks~1_raw/post/responses/200/content/application~1json/schema/properties/id`.
    pub pointer: String,
    /// The pointer to where the same value is written in the document, e.g.
    /// `/components/schemas/Task/properties/id`.
    pub origin: String,
}

impl Place {
    /// A place written where it is seen: pointer and origin are the same.
    pub fn at(pointer: String) -> Self {
        Self {
            origin: pointer.clone(),
            pointer,
        }
    }

    /// The place one token further down, in both pointers.
    pub fn child(&self, token: &str) -> Self {
        let token = escape(token);
        Self {
            pointer: format!("{}/{token}", self.pointer),
            origin: format!("{}/{token}", self.origin),
        }
    }

    /// The same place, now known to be written at `origin` (a `$ref` was
    /// followed to get there).
    pub fn written_at(&self, origin: String) -> Self {
        Self {
            pointer: self.pointer.clone(),
            origin,
        }
    }
}

/// The same logical place in the old and the new document.
#[derive(Clone, Debug)]
pub struct At {
    /// In the old document.
    pub old: Place,
    /// In the new document.
    pub new: Place,
}

impl At {
    /// One token further down on both sides.
    pub fn child(&self, token: &str) -> Self {
        Self {
            old: self.old.child(token),
            new: self.new.child(token),
        }
    }

    /// Different tokens on each side (an index that moved, a renamed key).
    pub fn children(&self, old: &str, new: &str) -> Self {
        Self {
            old: self.old.child(old),
            new: self.new.child(new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tilde_before_slash() {
        assert_eq!(escape("/tasks/_raw"), "~1tasks~1_raw");
        assert_eq!(escape("a~/b"), "a~0~1b");
        assert_eq!(escape("application/json"), "application~1json");
    }

    #[test]
    fn child_extends_pointer_and_origin() {
        let place = Place::at("/paths".into())
            .child("/tasks")
            .written_at("/components/schemas/Task".into())
            .child("properties");
        assert_eq!(place.pointer, "/paths/~1tasks/properties");
        assert_eq!(place.origin, "/components/schemas/Task/properties");
    }
}
