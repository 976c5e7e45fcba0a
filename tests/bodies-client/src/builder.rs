//! Type-state markers for the model builders: each required field of a builder is a type
//! parameter, `Unset` until its setter runs and `Set` after, and `build()` asks every one to be
//! `Set` (through a marker trait per field whose error message names the field).
//!
//! The generator declares each builder with `model_builder!`: a model's required and optional
//! fields, their types and how they are stored. The builder's code is the same for every model
//! and grows with the square of its required fields (each setter names every state), so it is
//! written once here and expanded by the compiler instead of being generated and formatted
//! for every model.

/// A required field that has been given a value.
#[derive(Debug, Clone, Copy)]
pub struct Set;

/// A required field still waiting for its value.
#[derive(Debug, Clone, Copy)]
pub struct Unset;

/// One trait per required field name, implemented only for [`Set`].
#[doc(hidden)]
pub use crate::generated::required;

/// A builder for a model, declared as
///
/// ```text
/// model_builder! {
///     Model<T> => ModelBuilder {
///         required { name: String, parent: boxed Model<T>, }
///         optional { note: String, child: boxed Model<T>, raw: plain Option<String>, }
///         default { additional_properties }
///     }
/// }
/// ```
///
/// A required field is stored as `Option<T>` (`boxed`: `Option<Box<T>>`) until `build()`; an
/// optional one as `Option<T>`, `Option<Box<T>>` (`boxed`), `T` (`plain`: a type with its own
/// empty value, such as a nullable `Option<T>` or a JSON value) or `Box<T>` (`plain boxed`).
/// Every setter takes `impl Into<T>`. `default` lists model fields the builder leaves at their
/// `Default` (the additional-properties map). Fields may carry attributes (`#[deprecated]`),
/// which go on their setters. A builder takes at most 64 required fields.
#[allow(unused_macros)] // a spec whose models have at most one required field never invokes it
macro_rules! model_builder {
    ($model:ident < $($param:ident),+ > => $builder:ident { $($body:tt)* }) => {
        $crate::builder::model_builder!(@body [$model [$($param)+] $builder] $($body)*);
    };
    ($model:ident => $builder:ident { $($body:tt)* }) => {
        $crate::builder::model_builder!(@body [$model [] $builder] $($body)*);
    };
    (@body [$($model:tt)*]
        required { $($required:tt)* }
        optional { $($optional:tt)* }
        $(default { $($default:ident),* $(,)? })?
    ) => {
        $crate::builder::model_builder!(@required
            [$($model)* [$($($default)*)?]]
            [$($optional)*]
            []
            [S0 N0 S1 N1 S2 N2 S3 N3 S4 N4 S5 N5 S6 N6 S7 N7 S8 N8 S9 N9 S10 N10 S11 N11 S12 N12
             S13 N13 S14 N14 S15 N15 S16 N16 S17 N17 S18 N18 S19 N19 S20 N20 S21 N21 S22 N22 S23
             N23 S24 N24 S25 N25 S26 N26 S27 N27 S28 N28 S29 N29 S30 N30 S31 N31 S32 N32 S33 N33
             S34 N34 S35 N35 S36 N36 S37 N37 S38 N38 S39 N39 S40 N40 S41 N41 S42 N42 S43 N43 S44
             N44 S45 N45 S46 N46 S47 N47 S48 N48 S49 N49 S50 N50 S51 N51 S52 N52 S53 N53 S54 N54
             S55 N55 S56 N56 S57 N57 S58 N58 S59 N59 S60 N60 S61 N61 S62 N62 S63 N63]
            $($required)*
        );
    };

    // Required fields, one at a time, each taking the next pair of type parameter names (its
    // state, and the state `__retype` moves it to):
    // `{ state next [attributes] field [setter type] [stored type] [wrapping] }`.
    (@required $model:tt $optional:tt [$($done:tt)*] [$state:ident $next:ident $($states:ident)*]
        $(#[$attr:meta])* $field:ident : boxed $ty:ty, $($rest:tt)*
    ) => {
        $crate::builder::model_builder!(@required $model $optional
            [$($done)* { $state $next [$(#[$attr])*] $field [$ty] [Box<$ty>] [boxed] }]
            [$($states)*] $($rest)*);
    };
    (@required $model:tt $optional:tt [$($done:tt)*] [$state:ident $next:ident $($states:ident)*]
        $(#[$attr:meta])* $field:ident : $ty:ty, $($rest:tt)*
    ) => {
        $crate::builder::model_builder!(@required $model $optional
            [$($done)* { $state $next [$(#[$attr])*] $field [$ty] [$ty] [] }]
            [$($states)*] $($rest)*);
    };
    (@required $model:tt [$($optional:tt)*] $required:tt [$($unused:ident)*]) => {
        $crate::builder::model_builder!(@optional $model $required [] $($optional)*);
    };

    // Optional fields: `{ [attributes] field [setter type] [stored type] [wrapping] }`.
    (@optional $model:tt $required:tt [$($done:tt)*]
        $(#[$attr:meta])* $field:ident : plain boxed $ty:ty, $($rest:tt)*
    ) => {
        $crate::builder::model_builder!(@optional $model $required
            [$($done)* { [$(#[$attr])*] $field [$ty] [Box<$ty>] [boxed] }] $($rest)*);
    };
    (@optional $model:tt $required:tt [$($done:tt)*]
        $(#[$attr:meta])* $field:ident : plain $ty:ty, $($rest:tt)*
    ) => {
        $crate::builder::model_builder!(@optional $model $required
            [$($done)* { [$(#[$attr])*] $field [$ty] [$ty] [] }] $($rest)*);
    };
    (@optional $model:tt $required:tt [$($done:tt)*]
        $(#[$attr:meta])* $field:ident : boxed $ty:ty, $($rest:tt)*
    ) => {
        $crate::builder::model_builder!(@optional $model $required
            [$($done)* { [$(#[$attr])*] $field [$ty] [Option<Box<$ty>>] [some boxed] }]
            $($rest)*);
    };
    (@optional $model:tt $required:tt [$($done:tt)*]
        $(#[$attr:meta])* $field:ident : $ty:ty, $($rest:tt)*
    ) => {
        $crate::builder::model_builder!(@optional $model $required
            [$($done)* { [$(#[$attr])*] $field [$ty] [Option<$ty>] [some] }] $($rest)*);
    };
    (@optional $model:tt $required:tt $optional:tt) => {
        $crate::builder::model_builder!(@emit $model $required $optional);
    };

    (@emit [$model:ident [$($param:ident)*] $builder:ident [$($default:ident)*]]
        [$({ $state:ident $next:ident [$($rattr:tt)*] $rfield:ident [$rty:ty] [$rstored:ty] [$($rwrap:ident)*] })*]
        [$({ [$($oattr:tt)*] $ofield:ident [$oty:ty] [$ostored:ty] [$($owrap:ident)*] })*]
    ) => {
        impl<$($param),*> $model<$($param),*> {
            #[doc = concat!(
                " A builder for [`", stringify!($model),
                "`]: set each required field by name, then `build()`."
            )]
            pub fn builder() -> $builder<$($param),*> {
                $builder {
                    $($rfield: None,)*
                    $($ofield: Default::default(),)*
                    __state: std::marker::PhantomData,
                }
            }
        }

        #[doc = concat!(
            " Builds a [`", stringify!($model), "`]: `", stringify!($model),
            "::builder()`, a setter per field, then [`build`](", stringify!($builder),
            "::build). Leaving out a required field is a compile error naming it."
        )]
        #[must_use = "a builder does nothing until `.build()`"]
        #[derive(Debug, Clone)]
        #[allow(clippy::type_complexity)]
        pub struct $builder<$($param,)* $($state = $crate::builder::Unset),*> {
            $($rfield: Option<$rstored>,)*
            $($ofield: $ostored,)*
            __state: std::marker::PhantomData<($($state,)*)>,
        }

        #[allow(clippy::type_complexity)]
        impl<$($param,)* $($state),*> $builder<$($param,)* $($state),*> {
            $crate::builder::model_builder!(@setters [$model [$($param)*] $builder]
                [] [$($state)*]
                $({ [$($rattr)*] $rfield [$rty] [$($rwrap)*] })*);

            $(
                $($oattr)*
                #[doc = concat!(" Optional: sets [`", stringify!($model), "::", stringify!($ofield), "`].")]
                pub fn $ofield(mut self, value: impl Into<$oty>) -> Self {
                    self.$ofield = $crate::builder::model_builder!(@wrap [$($owrap)*] value.into());
                    self
                }
            )*

            /// The same fields, in a builder of other states.
            fn __retype<$($next),*>(self) -> $builder<$($param,)* $($next),*> {
                $builder {
                    $($rfield: self.$rfield,)*
                    $($ofield: self.$ofield,)*
                    __state: std::marker::PhantomData,
                }
            }

            #[doc = concat!(" The [`", stringify!($model), "`], once every required field is set.")]
            #[allow(deprecated)] // `build` sets every field, deprecated ones included
            pub fn build(self) -> $model<$($param),*>
            where
                $($state: $crate::builder::required::$rfield,)*
            {
                $model {
                    $($rfield: self.$rfield.expect(concat!(
                        "`", stringify!($rfield), "` is set: the builder's type says so"
                    )),)*
                    $($ofield: self.$ofield,)*
                    $($default: Default::default(),)*
                }
            }
        }
    };

    // The required setters: each returns the builder with its own state `Set` and the others
    // as they were.
    (@setters [$model:ident [$($param:ident)*] $builder:ident] [$($before:ident)*]
        [$state:ident $($after:ident)*]
        { [$($attr:tt)*] $field:ident [$ty:ty] [$($wrap:ident)*] } $($rest:tt)*
    ) => {
        $($attr)*
        #[doc = concat!(" Required: sets [`", stringify!($model), "::", stringify!($field), "`].")]
        pub fn $field(
            mut self,
            value: impl Into<$ty>,
        ) -> $builder<$($param,)* $($before,)* $crate::builder::Set $(, $after)*> {
            self.$field = Some($crate::builder::model_builder!(@wrap [$($wrap)*] value.into()));
            self.__retype()
        }
        $crate::builder::model_builder!(@setters [$model [$($param)*] $builder]
            [$($before)* $state] [$($after)*] $($rest)*);
    };
    (@setters $model:tt $before:tt $after:tt) => {};

    (@wrap [] $value:expr) => { $value };
    (@wrap [boxed] $value:expr) => { Box::new($value) };
    (@wrap [some] $value:expr) => { Some($value) };
    (@wrap [some boxed] $value:expr) => { Some(Box::new($value)) };
}
#[allow(unused_imports)]
// a spec whose models have at most one required field never invokes it
pub(crate) use model_builder;
