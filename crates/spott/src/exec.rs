//! The generated client's request hook and the operation lookup, bound to
//! the generated operation table (`spott_openapi::OPERATIONS`): every call
//! goes through `spott_saleshandy_core::send` with this client's settings, and the
//! operation's row says its path template and what repeating it could do.
//! See `spott_saleshandy_core::operation_table` for what the macro writes.

spott_saleshandy_core::bind_operation_table!(spott_openapi, "spec/spott.yaml");
