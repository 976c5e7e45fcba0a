//! Type-state markers for the model builders: each required field of a builder is a type
//! parameter, `Unset` until its setter runs and `Set` after, and `build()` asks every one to be
//! `Set` (through a marker trait per field whose error message names the field).

/// A required field that has been given a value.
#[derive(Debug, Clone, Copy)]
pub struct Set;

/// A required field still waiting for its value.
#[derive(Debug, Clone, Copy)]
pub struct Unset;

/// One trait per required field name, implemented only for [`Set`].
#[doc(hidden)]
pub use crate::generated::required;
