//! Native adapters: real SQLite (rusqlite) with the project's migrations, for
//! function tests and local tools. Same SQL, same semantics as D1 and Spin.

use async_trait::async_trait;
use domain::kernel::ports::{
    BlobStore, Database, DbError, PortError, Queue, Random, Row, Secrets, Stmt, StmtResult, Value,
};
use rusqlite::types::ValueRef;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub struct SqliteDb {
    conn: RefCell<rusqlite::Connection>,
    trips: Cell<u32>,
    write_trips: Cell<u32>,
}

impl SqliteDb {
    /// An in-memory database with every migration in `dir` applied in name order.
    ///
    /// # Errors
    /// When a migration cannot be read or fails.
    pub fn with_migrations(dir: &Path) -> Result<SqliteDb, String> {
        let conn = rusqlite::Connection::open_in_memory().map_err(|e| e.to_string())?;
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        for f in files {
            let sql = std::fs::read_to_string(&f).map_err(|e| e.to_string())?;
            conn.execute_batch(&sql)
                .map_err(|e| format!("{}: {e}", f.display()))?;
        }
        Ok(SqliteDb {
            conn: RefCell::new(conn),
            trips: Cell::new(0),
            write_trips: Cell::new(0),
        })
    }

    /// Runs a query outside the round-trip count (tests only look).
    pub fn peek(&self, sql: &str) -> Vec<Row> {
        run(
            &self.conn.borrow(),
            &Stmt {
                sql: Box::leak(sql.to_owned().into_boxed_str()),
                params: vec![],
            },
        )
        .map(|r| r.rows)
        .unwrap_or_default()
    }

    /// Runs SQL statements outside the round-trip count (test seeds).
    ///
    /// # Errors
    /// SQLite's message for the first statement that fails.
    pub fn script(&self, sql: &str) -> Result<(), String> {
        self.conn
            .borrow()
            .execute_batch(sql)
            .map_err(|e| e.to_string())
    }

    pub fn reset_round_trips(&self) {
        self.trips.set(0);
        self.write_trips.set(0);
    }
}

fn to_sql(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
    }
}

fn run(conn: &rusqlite::Connection, s: &Stmt) -> Result<StmtResult, rusqlite::Error> {
    let mut st = conn.prepare(s.sql)?;
    let cols: Vec<String> = st.column_names().iter().map(|c| (*c).to_owned()).collect();
    let params: Vec<rusqlite::types::Value> = s.params.iter().map(to_sql).collect();
    let mut rows = st.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut m = BTreeMap::new();
        for (i, c) in cols.iter().enumerate() {
            let v = match r.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(f) => Value::Int(f as i64),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::Text(base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    b,
                )),
            };
            m.insert(c.clone(), v);
        }
        out.push(Row(m));
    }
    drop(rows);
    Ok(StmtResult {
        rows: out,
        changes: conn.changes(),
    })
}

#[async_trait(?Send)]
impl Database for SqliteDb {
    async fn batch(&self, stmts: &[Stmt]) -> Result<Vec<StmtResult>, DbError> {
        self.trips.set(self.trips.get() + 1);
        if domain::kernel::ports::writes(stmts) {
            self.write_trips.set(self.write_trips.get() + 1);
        }
        let mut conn = self.conn.borrow_mut();
        let tx = conn
            .transaction()
            .map_err(|e| DbError::Other(e.to_string()))?;
        let mut results = Vec::with_capacity(stmts.len());
        for s in stmts {
            results.push(run(&tx, s).map_err(|e| DbError::from_message(e.to_string()))?);
        }
        tx.commit()
            .map_err(|e| DbError::from_message(e.to_string()))?;
        Ok(results)
    }
    fn round_trips(&self) -> u32 {
        self.trips.get()
    }
    fn write_trips(&self) -> u32 {
        self.write_trips.get()
    }
}

#[derive(Default)]
pub struct MemoryBlobs(pub RefCell<HashMap<String, (Vec<u8>, String)>>);

#[async_trait(?Send)]
impl BlobStore for MemoryBlobs {
    async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> Result<(), PortError> {
        self.0
            .borrow_mut()
            .insert(key.to_owned(), (bytes.to_vec(), content_type.to_owned()));
        Ok(())
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, PortError> {
        Ok(self.0.borrow().get(key).map(|(b, _)| b.clone()))
    }
    async fn delete(&self, key: &str) -> Result<(), PortError> {
        self.0.borrow_mut().remove(key);
        Ok(())
    }
}

#[derive(Default)]
pub struct MemoryQueue(pub RefCell<Vec<serde_json::Value>>);

#[async_trait(?Send)]
impl Queue for MemoryQueue {
    async fn send(&self, message: &serde_json::Value) -> Result<(), PortError> {
        self.0.borrow_mut().push(message.clone());
        Ok(())
    }
}

pub struct OsRandom;
impl Random for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        getrandom::fill(buf).expect("the OS has randomness");
    }
}

pub struct MapSecrets(pub HashMap<String, String>);
impl Secrets for MapSecrets {
    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

impl MapSecrets {
    /// Fresh random keys, as the setup script writes into `.dev.vars`.
    pub fn random() -> MapSecrets {
        let key = || {
            let mut b = [0u8; 32];
            OsRandom.fill(&mut b);
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, b)
        };
        MapSecrets(HashMap::from([
            ("DATA_KEY".into(), key()),
            ("INDEX_KEY".into(), key()),
            ("JWT_KEY".into(), key()),
            (
                "ADMIN_BOOTSTRAP_TOKEN".into(),
                "bootstrap-token-for-tests".into(),
            ),
            (
                "MAINTENANCE_TOKEN".into(),
                "maintenance-token-for-tests".into(),
            ),
        ]))
    }
}
