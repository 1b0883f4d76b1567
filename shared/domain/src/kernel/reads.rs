//! Reads by name, rows as types.
//!
//! A use case's reads are a struct of named [`Read`]s (declared with
//! [`read_set!`]); the engine runs them in one round trip and hands `decide`
//! the matching struct of typed results, so a reordered or missing read is a
//! compile error, not a wrong row at run time. Rows are read into structs
//! declared with [`row!`]: a column that is missing or of the wrong type is a
//! [`ReadError`] (a 500 with the cause in the log), never a silent default.

use crate::kernel::ports::{Row, Stmt, StmtResult, Value};
use std::marker::PhantomData;

/// Why a result could not be read into its type. Names only (table-free
/// column names and what was wrong), never values: safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("read {column}: {problem}")]
pub struct ReadError {
    pub column: &'static str,
    pub problem: &'static str,
}

/// One column's value as a Rust type.
pub trait Column: Sized {
    /// `None` when the column is absent from the row.
    ///
    /// # Errors
    /// When the value is absent, NULL for a non-optional type, or of another type.
    fn from_value(v: Option<&Value>) -> Result<Self, &'static str>;
}

impl Column for String {
    fn from_value(v: Option<&Value>) -> Result<Self, &'static str> {
        match v {
            Some(Value::Text(s)) => Ok(s.clone()),
            Some(Value::Int(_)) => Err("integer where text was expected"),
            Some(Value::Null) => Err("NULL where text was expected"),
            None => Err("column missing"),
        }
    }
}

impl Column for i64 {
    fn from_value(v: Option<&Value>) -> Result<Self, &'static str> {
        match v {
            Some(Value::Int(i)) => Ok(*i),
            // SQLite may hand back a number stored in a TEXT column as text.
            Some(Value::Text(s)) => s.parse().map_err(|_| "text where an integer was expected"),
            Some(Value::Null) => Err("NULL where an integer was expected"),
            None => Err("column missing"),
        }
    }
}

impl Column for bool {
    fn from_value(v: Option<&Value>) -> Result<Self, &'static str> {
        match i64::from_value(v)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("integer other than 0 or 1 where a flag was expected"),
        }
    }
}

impl<T: Column> Column for Option<T> {
    fn from_value(v: Option<&Value>) -> Result<Self, &'static str> {
        match v {
            Some(Value::Null) => Ok(None),
            None => Err("column missing"),
            v => T::from_value(v).map(Some),
        }
    }
}

/// Text columns that hold one of a fixed set of names (statuses, roles,
/// modes): implement [`Column`] through [`text_enum!`].
pub trait TextEnum: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// Declares an enum stored as text: `text_enum!(pub enum Mode { Webhook = "webhook", Adms = "adms" })`.
#[macro_export]
macro_rules! text_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $($(#[$vm])* $variant),+ }
        impl $crate::kernel::reads::TextEnum for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl $name {
            pub fn as_str(self) -> &'static str {
                <Self as $crate::kernel::reads::TextEnum>::as_str(self)
            }
            pub fn parse(s: &str) -> Option<Self> {
                <Self as $crate::kernel::reads::TextEnum>::parse(s)
            }
        }
        impl $crate::kernel::reads::Column for $name {
            fn from_value(v: Option<&$crate::kernel::ports::Value>) -> Result<Self, &'static str> {
                let s = <String as $crate::kernel::reads::Column>::from_value(v)?;
                Self::parse(&s).ok_or(concat!("unknown ", stringify!($name)))
            }
        }
        impl From<$name> for $crate::kernel::ports::Value {
            fn from(v: $name) -> Self {
                $crate::kernel::ports::Value::Text(v.as_str().to_owned())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        #[cfg(not(target_family = "wasm"))]
        impl $crate::kernel::api::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            // Two enums of one name in different areas stay two schemas
            // (schemars numbers the second) instead of one taking the
            // other's place.
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                concat!(module_path!(), "::", stringify!($name)).into()
            }
            fn json_schema(_: &mut $crate::kernel::api::schemars::SchemaGenerator) -> $crate::kernel::api::schemars::Schema {
                $crate::kernel::api::schemars::json_schema!({ "type": "string", "enum": [$($text),+] })
            }
        }
    };
}

/// A row read into a struct.
pub trait FromRow: Sized {
    /// # Errors
    /// When a column is missing or of the wrong type.
    fn from_row(r: &Row) -> Result<Self, ReadError>;
}

/// Reads one named column of a row.
///
/// # Errors
/// When the column is missing or of the wrong type.
pub fn column<T: Column>(r: &Row, name: &'static str) -> Result<T, ReadError> {
    T::from_value(r.0.get(name)).map_err(|problem| ReadError {
        column: name,
        problem,
    })
}

/// Declares a row struct whose fields are read by their column names:
/// `row!(pub struct Site { pub id: String, pub name: Option<String> })`.
#[macro_export]
macro_rules! row {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }
        impl $crate::kernel::reads::FromRow for $name {
            fn from_row(r: &$crate::kernel::ports::Row) -> Result<Self, $crate::kernel::reads::ReadError> {
                Ok($name { $($field: $crate::kernel::reads::column(r, stringify!($field))?),* })
            }
        }
    };
}

/// How one statement's result becomes a value: every row (`Vec<T>`), the
/// first if any (`Option<T>`), or the number of rows changed ([`Changed`]).
pub trait FromResult: Sized {
    /// # Errors
    /// When a row cannot be read into its type.
    fn from_result(r: StmtResult) -> Result<Self, ReadError>;
}

// Plain loops rather than iterator adapters: these are compiled once per
// row type, and the Worker has a size budget.
impl<T: FromRow> FromResult for Vec<T> {
    fn from_result(r: StmtResult) -> Result<Self, ReadError> {
        let mut out = Vec::with_capacity(r.rows.len());
        for row in &r.rows {
            out.push(T::from_row(row)?);
        }
        Ok(out)
    }
}

impl<T: FromRow> FromResult for Option<T> {
    fn from_result(r: StmtResult) -> Result<Self, ReadError> {
        match r.rows.first() {
            Some(row) => Ok(Some(T::from_row(row)?)),
            None => Ok(None),
        }
    }
}

row!(
    /// `SELECT COUNT(*) AS n …`
    pub struct Count {
        pub n: i64,
    }
);

impl FromResult for Count {
    fn from_result(r: StmtResult) -> Result<Self, ReadError> {
        match r.rows.first() {
            Some(row) => Count::from_row(row),
            None => Ok(Count { n: 0 }),
        }
    }
}

/// A statement whose result is read as `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Read<T> {
    pub stmt: Stmt,
    _as: PhantomData<fn() -> T>,
}

impl<T: FromResult> Read<T> {
    pub fn new(stmt: Stmt) -> Self {
        Read {
            stmt,
            _as: PhantomData,
        }
    }
}

/// A use case's reads: statements in a fixed order and the typed struct of
/// their results. Declared with [`read_set!`]; `()` reads nothing.
pub trait ReadSet {
    type Rows;
    fn into_stmts(self) -> Vec<Stmt>;
    /// # Errors
    /// When a result is missing or cannot be read into its type.
    fn rows(results: &mut std::vec::IntoIter<StmtResult>) -> Result<Self::Rows, ReadError>;
}

impl ReadSet for () {
    type Rows = ();
    fn into_stmts(self) -> Vec<Stmt> {
        Vec::new()
    }
    fn rows(_: &mut std::vec::IntoIter<StmtResult>) -> Result<(), ReadError> {
        Ok(())
    }
}

/// Two read sets in one batch, in order (an area's reads beside another's:
/// a dispute's rows with its contract's record).
impl<A: ReadSet, B: ReadSet> ReadSet for (A, B) {
    type Rows = (A::Rows, B::Rows);
    fn into_stmts(self) -> Vec<Stmt> {
        let mut stmts = self.0.into_stmts();
        stmts.extend(self.1.into_stmts());
        stmts
    }
    fn rows(results: &mut std::vec::IntoIter<StmtResult>) -> Result<Self::Rows, ReadError> {
        let a = A::rows(results)?;
        Ok((a, B::rows(results)?))
    }
}

/// Takes the next result of a batch as `T`.
///
/// # Errors
/// When the batch returned fewer results than statements, or a row is unreadable.
pub fn next_result<T: FromResult>(
    results: &mut std::vec::IntoIter<StmtResult>,
    name: &'static str,
) -> Result<T, ReadError> {
    match results.next() {
        Some(r) => T::from_result(r),
        None => Err(ReadError {
            column: name,
            problem: "no result for this read",
        }),
    }
}

/// Declares a read set and its results under one list of names:
///
/// ```ignore
/// read_set!(pub struct TermsReads => TermsRows {
///     documents: Vec<TermsDocument>,
///     member: Option<MemberRow>,
/// });
/// ```
/// gives `TermsReads { documents: Read<Vec<TermsDocument>>, member: Read<Option<MemberRow>> }`
/// for `reads` to fill and `TermsRows { documents: Vec<TermsDocument>, member: Option<MemberRow> }`
/// for `decide` to use.
#[macro_export]
macro_rules! read_set {
    ($vis:vis struct $reads:ident => $rows:ident { $($field:ident : $ty:ty),+ $(,)? }) => {
        $vis struct $reads { $(pub $field: $crate::kernel::reads::Read<$ty>),+ }
        #[derive(Debug)]
        $vis struct $rows { $(pub $field: $ty),+ }
        impl $crate::kernel::reads::ReadSet for $reads {
            type Rows = $rows;
            fn into_stmts(self) -> Vec<$crate::kernel::ports::Stmt> {
                vec![$(self.$field.stmt),+]
            }
            fn rows(
                results: &mut ::std::vec::IntoIter<$crate::kernel::ports::StmtResult>,
            ) -> Result<$rows, $crate::kernel::reads::ReadError> {
                Ok($rows { $($field: $crate::kernel::reads::next_result(results, stringify!($field))?),+ })
            }
        }
    };
}

/// `read!(Type, "SELECT …", params…)`: a [`Read`] of a statement.
#[macro_export]
macro_rules! read {
    ($sql:expr $(, $p:expr)* $(,)?) => {
        $crate::kernel::reads::Read::new($crate::stmt!($sql $(, $p)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    crate::text_enum!(
        enum Mode {
            Webhook = "webhook",
            Adms = "adms",
        }
    );
    crate::row!(
        struct T {
            id: String,
            n: i64,
            flag: bool,
            note: Option<String>,
            mode: Mode,
        }
    );
    crate::read_set!(struct Two => TwoRows { first: Option<T>, all: Vec<T> });

    fn row(pairs: &[(&str, Value)]) -> Row {
        Row(pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>())
    }

    fn good() -> Row {
        row(&[
            ("id", Value::Text("a".into())),
            ("n", Value::Text("7".into())),
            ("flag", Value::Int(1)),
            ("note", Value::Null),
            ("mode", Value::Text("adms".into())),
        ])
    }

    #[test]
    fn rows_read_by_column_name_into_types() {
        let t = T::from_row(&good()).unwrap();
        assert_eq!(
            t,
            T {
                id: "a".into(),
                n: 7,
                flag: true,
                note: None,
                mode: Mode::Adms
            }
        );
    }

    #[test]
    fn a_missing_or_mistyped_column_is_an_error_not_a_default() {
        let mut r = good();
        r.0.remove("n");
        assert_eq!(T::from_row(&r).unwrap_err().column, "n");
        let mut r = good();
        r.0.insert("id".into(), Value::Null);
        assert_eq!(T::from_row(&r).unwrap_err().column, "id");
        let mut r = good();
        r.0.insert("mode".into(), Value::Text("carrier pigeon".into()));
        assert_eq!(T::from_row(&r).unwrap_err().column, "mode");
        let mut r = good();
        r.0.insert("flag".into(), Value::Int(2));
        assert_eq!(T::from_row(&r).unwrap_err().column, "flag");
    }

    #[test]
    fn a_read_set_pairs_each_result_with_its_name() {
        let set = Two {
            first: crate::read!("SELECT 1"),
            all: crate::read!("SELECT 2"),
        };
        let stmts = set.into_stmts();
        assert_eq!(
            stmts.iter().map(|s| s.sql).collect::<Vec<_>>(),
            ["SELECT 1", "SELECT 2"]
        );
        let results = vec![
            StmtResult::default(),
            StmtResult {
                rows: vec![good(), good()],
                changes: 0,
            },
        ];
        let rows = Two::rows(&mut results.into_iter()).unwrap();
        assert!(rows.first.is_none());
        assert_eq!(rows.all.len(), 2);
        let short = vec![StmtResult::default()];
        assert_eq!(Two::rows(&mut short.into_iter()).unwrap_err().column, "all");
    }
}
