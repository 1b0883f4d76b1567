//! A test host for this project's Spin components — not a Spin replacement.
//!
//! It reads `spin.toml`, serves HTTP on a local port, and for each request
//! runs the component that the manifest names for the route (with Spin's
//! `spin-full-url`, `spin-path-info` and `spin-client-addr` headers). A
//! component gets only what the manifest gives it: the `default` SQLite
//! database (migrations applied at start), the `default` key-value store, its
//! `files` (read-only directories, as `spin up` mounts them), and
//! its declared variables (values from `SPIN_VARIABLE_<NAME>` environment
//! variables, as Spin's environment provider reads them; like Spin, it does
//! not start when a `required` variable has no value), and outbound HTTP to
//! the origins of its `allowed_outbound_hosts` (templates filled from the
//! variables) and nowhere else.
//!
//! Routes match as `spin up` matches them (exact segments, `:name`
//! parameters, a trailing `/...`; the best match wins). Compared with
//! `spin up`, it does not: run any trigger but HTTP, persist key-value data (memory only),
//! make outbound HTTPS (plain `http://` only: tests point providers at a
//! local receiver), provide Redis, MQTT, Postgres, MySQL or LLM
//! interfaces, or read runtime-config files. It also acts as the scheduler:
//! it calls `POST /maintenance/run` every 250 ms (what `spin cron` or any
//! scheduler does in production).
//!
//! Usage: spin-test-host <spin.toml> <listen addr> <sqlite file> <migrations dir>

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use wasmtime::component::{
    Accessor, Component, FutureReader, HasData, Linker, Resource, ResourceTable, StreamReader,
};
use wasmtime::error::Context as _;
use wasmtime::{bail, format_err as anyhow, Result};
use wasmtime::{Config, Engine, Store};
use wasmtime_wasi::{DirPerms, FilePerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::p3::bindings::http::types::ErrorCode;
use wasmtime_wasi_http::p3::{WasiHttpCtxView, WasiHttpHooks, WasiHttpView};
use wasmtime_wasi_http::WasiHttpCtx;

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "host",
        imports: { default: store | trappable },
        with: {
            "spin:sqlite/sqlite.connection": crate::SqliteConnection,
            "spin:key-value/key-value.store": crate::KvStore,
        },
    });
}

use bindings::spin::key_value::key_value;
use bindings::spin::sqlite::sqlite;
use bindings::spin::variables::variables;

/// A `spin:sqlite` connection: its own SQLite connection, so one request's
/// transaction never interleaves with another's.
pub struct SqliteConnection(Mutex<rusqlite::Connection>);

/// A `spin:key-value` store handle.
pub struct KvStore;

/// What one component instance may use, from the manifest.
#[derive(Clone)]
struct Grants {
    sqlite: Option<PathBuf>,
    kv: Option<Arc<Mutex<HashMap<String, Vec<u8>>>>>,
    variables: Arc<HashMap<String, String>>,
    /// `allowed_outbound_hosts`, as `scheme://host:port` origins.
    outbound: Arc<Vec<String>>,
    /// `files`: (host directory, guest path), mounted read-only.
    files: Arc<Vec<(PathBuf, String)>>,
}

struct State {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: Outbound,
    grants: Grants,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            hooks: &mut self.hooks,
            table: &mut self.table,
            ctx: &mut self.http,
        }
    }
}

/// Outbound HTTP to the component's allowed origins only (plain HTTP, over
/// one hyper connection a request); anything else is refused as Spin does.
struct Outbound {
    allowed: Arc<Vec<String>>,
}

/// `scheme://host:port` of a URI, the port filled in.
fn origin_of(uri: &http::Uri) -> Option<String> {
    let scheme = uri.scheme_str()?;
    let host = uri.host()?;
    let port = uri
        .port_u16()
        .unwrap_or(if scheme == "https" { 443 } else { 80 });
    Some(format!("{scheme}://{host}:{port}"))
}

type OutboundResult = Result<
    (
        http::Response<http_body_util::combinators::UnsyncBoxBody<Bytes, ErrorCode>>,
        Box<dyn std::future::Future<Output = Result<(), ErrorCode>> + Send>,
    ),
    wasmtime_wasi::TrappableError<ErrorCode>,
>;

async fn forward(
    request: http::Request<http_body_util::combinators::UnsyncBoxBody<Bytes, ErrorCode>>,
) -> Result<http::Response<hyper::body::Incoming>, ErrorCode> {
    let internal = |e: &dyn std::fmt::Display| ErrorCode::InternalError(Some(e.to_string()));
    let (mut parts, body) = request.into_parts();
    let host = parts
        .uri
        .host()
        .ok_or(ErrorCode::HttpRequestUriInvalid)?
        .to_owned();
    let port = parts.uri.port_u16().unwrap_or(80);
    let body = body.collect().await?.to_bytes();
    let stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|_| ErrorCode::ConnectionRefused)?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .map_err(|e| internal(&e))?;
    tokio::spawn(conn);
    parts.headers.insert(
        http::header::HOST,
        format!("{host}:{port}").parse().map_err(|e| internal(&e))?,
    );
    parts.uri = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .parse()
        .map_err(|e| internal(&e))?;
    sender
        .send_request(http::Request::from_parts(parts, Full::new(body)))
        .await
        .map_err(|e| internal(&e))
}

impl WasiHttpHooks for Outbound {
    fn send_request(
        &mut self,
        request: http::Request<http_body_util::combinators::UnsyncBoxBody<Bytes, ErrorCode>>,
        _options: Option<wasmtime_wasi_http::p3::RequestOptions>,
        _fut: Box<dyn std::future::Future<Output = Result<(), ErrorCode>> + Send>,
    ) -> Box<dyn std::future::Future<Output = OutboundResult> + Send> {
        let allowed = origin_of(request.uri())
            .is_some_and(|o| o.starts_with("http://") && self.allowed.contains(&o));
        Box::new(async move {
            if !allowed {
                return Err(ErrorCode::HttpRequestDenied.into());
            }
            let response = forward(request).await?;
            let response = response.map(|b| {
                b.map_err(|e| ErrorCode::InternalError(Some(e.to_string())))
                    .boxed_unsync()
            });
            Ok((
                response,
                Box::new(async { Ok(()) })
                    as Box<dyn std::future::Future<Output = Result<(), ErrorCode>> + Send>,
            ))
        })
    }
}

struct Spin;

impl HasData for Spin {
    type Data<'a> = SpinView<'a>;
}

pub struct SpinView<'a> {
    table: &'a mut ResourceTable,
    grants: &'a Grants,
}

fn spin_view(s: &mut State) -> SpinView<'_> {
    SpinView {
        table: &mut s.table,
        grants: &s.grants,
    }
}

// ------------------------------------------------------------------ spin:sqlite

fn to_sql(v: &sqlite::Value) -> rusqlite::types::Value {
    match v {
        sqlite::Value::Integer(i) => rusqlite::types::Value::Integer(*i),
        sqlite::Value::Real(f) => rusqlite::types::Value::Real(*f),
        sqlite::Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
        sqlite::Value::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
        sqlite::Value::Null => rusqlite::types::Value::Null,
    }
}

fn run_sql(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[sqlite::Value],
) -> rusqlite::Result<(Vec<String>, Vec<sqlite::RowResult>)> {
    let mut st = conn.prepare(sql)?;
    let cols: Vec<String> = st.column_names().iter().map(|c| (*c).to_owned()).collect();
    let params: Vec<rusqlite::types::Value> = params.iter().map(to_sql).collect();
    let mut rows = st.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut values = Vec::with_capacity(cols.len());
        for i in 0..cols.len() {
            values.push(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => sqlite::Value::Null,
                rusqlite::types::ValueRef::Integer(n) => sqlite::Value::Integer(n),
                rusqlite::types::ValueRef::Real(f) => sqlite::Value::Real(f),
                rusqlite::types::ValueRef::Text(t) => {
                    sqlite::Value::Text(String::from_utf8_lossy(t).into_owned())
                }
                rusqlite::types::ValueRef::Blob(b) => sqlite::Value::Blob(b.to_vec()),
            });
        }
        out.push(sqlite::RowResult { values });
    }
    Ok((cols, out))
}

impl sqlite::Host for SpinView<'_> {}

impl sqlite::HostConnectionWithStore for Spin {
    async fn open_async<T>(
        accessor: &Accessor<T, Self>,
        database: String,
    ) -> wasmtime::Result<Result<Resource<SqliteConnection>, sqlite::Error>> {
        accessor.with(|mut access| {
            let view = access.get();
            let Some(path) = view.grants.sqlite.clone() else {
                return Ok(Err(sqlite::Error::AccessDenied));
            };
            if database != "default" {
                return Ok(Err(sqlite::Error::NoSuchDatabase));
            }
            let conn = rusqlite::Connection::open(path).map_err(|e| anyhow!("{e}"))?;
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            Ok(Ok(view.table.push(SqliteConnection(Mutex::new(conn)))?))
        })
    }

    async fn execute_async<T>(
        accessor: &Accessor<T, Self>,
        this: Resource<SqliteConnection>,
        statement: String,
        parameters: Vec<sqlite::Value>,
    ) -> wasmtime::Result<
        Result<
            (
                Vec<String>,
                StreamReader<sqlite::RowResult>,
                FutureReader<Result<(), sqlite::Error>>,
            ),
            sqlite::Error,
        >,
    > {
        accessor.with(|mut access| {
            let result = {
                let view = access.get();
                let conn = view.table.get(&this)?;
                let guard = conn.0.lock().map_err(|_| anyhow!("poisoned"))?;
                run_sql(&guard, &statement, &parameters)
            };
            match result {
                Ok((cols, rows)) => {
                    let stream = StreamReader::new(&mut access, rows)?;
                    let done = FutureReader::new(&mut access, async {
                        Ok::<_, wasmtime::Error>(Ok::<(), sqlite::Error>(()))
                    })?;
                    Ok(Ok((cols, stream, done)))
                }
                Err(e) => Ok(Err(sqlite::Error::Io(e.to_string()))),
            }
        })
    }

    async fn changes_async<T>(
        accessor: &Accessor<T, Self>,
        this: Resource<SqliteConnection>,
    ) -> wasmtime::Result<u64> {
        accessor.with(|mut access| {
            let view = access.get();
            let conn = view.table.get(&this)?;
            let guard = conn.0.lock().map_err(|_| anyhow!("poisoned"))?;
            Ok(guard.changes())
        })
    }

    fn drop<T>(
        mut access: wasmtime::component::Access<'_, T, Self>,
        rep: Resource<SqliteConnection>,
    ) -> wasmtime::Result<()> {
        access.get().table.delete(rep)?;
        Ok(())
    }
}

impl sqlite::HostConnection for SpinView<'_> {}

// ------------------------------------------------------------------ spin:key-value

/// The key-value store a component was granted (`key_value_stores`).
fn kv_of<T>(accessor: &Accessor<T, Spin>) -> Result<Arc<Mutex<HashMap<String, Vec<u8>>>>> {
    accessor.with(|mut access| {
        access
            .get()
            .grants
            .kv
            .clone()
            .ok_or_else(|| anyhow!("no store"))
    })
}

impl key_value::Host for SpinView<'_> {}
impl key_value::HostStore for SpinView<'_> {}

impl key_value::HostStoreWithStore for Spin {
    async fn open<T>(
        accessor: &Accessor<T, Self>,
        label: String,
    ) -> wasmtime::Result<Result<Resource<KvStore>, key_value::Error>> {
        accessor.with(|mut access| {
            let view = access.get();
            if view.grants.kv.is_none() {
                return Ok(Err(key_value::Error::AccessDenied));
            }
            if label != "default" {
                return Ok(Err(key_value::Error::NoSuchStore));
            }
            Ok(Ok(view.table.push(KvStore)?))
        })
    }

    async fn get<T>(
        accessor: &Accessor<T, Self>,
        _this: Resource<KvStore>,
        key: String,
    ) -> wasmtime::Result<Result<Option<Vec<u8>>, key_value::Error>> {
        let kv = kv_of(accessor)?;
        let map = kv.lock().map_err(|_| anyhow!("poisoned"))?;
        Ok(Ok(map.get(&key).cloned()))
    }

    async fn set<T>(
        accessor: &Accessor<T, Self>,
        _this: Resource<KvStore>,
        key: String,
        value: Vec<u8>,
    ) -> wasmtime::Result<Result<(), key_value::Error>> {
        let kv = kv_of(accessor)?;
        kv.lock()
            .map_err(|_| anyhow!("poisoned"))?
            .insert(key, value);
        Ok(Ok(()))
    }

    async fn delete<T>(
        accessor: &Accessor<T, Self>,
        _this: Resource<KvStore>,
        key: String,
    ) -> wasmtime::Result<Result<(), key_value::Error>> {
        let kv = kv_of(accessor)?;
        kv.lock().map_err(|_| anyhow!("poisoned"))?.remove(&key);
        Ok(Ok(()))
    }

    fn drop<T>(
        mut access: wasmtime::component::Access<'_, T, Self>,
        rep: Resource<KvStore>,
    ) -> wasmtime::Result<()> {
        access.get().table.delete(rep)?;
        Ok(())
    }
}

// ------------------------------------------------------------------ spin:variables

impl variables::Host for SpinView<'_> {}

impl variables::HostWithStore for Spin {
    async fn get<T>(
        accessor: &Accessor<T, Self>,
        name: String,
    ) -> wasmtime::Result<Result<String, variables::Error>> {
        accessor.with(|mut access| {
            let view = access.get();
            Ok(view
                .grants
                .variables
                .get(&name)
                .cloned()
                .ok_or(variables::Error::Undefined(name)))
        })
    }
}

// ------------------------------------------------------------------ the manifest

struct App {
    engine: Engine,
    linker: Linker<State>,
    /// Spin's own route matcher (`routefinder`, as Spin's HTTP trigger
    /// uses): exact segments, `:name` parameters, the trailing wildcard
    /// `/...` (written `/*` for the matcher); the best match wins. The value
    /// is (the route as written in the manifest, component index).
    routes: routefinder::Router<(String, usize)>,
    components: Vec<(String, Component, Grants)>,
}

/// An application variable's value: `SPIN_VARIABLE_<NAME>`, else its default.
fn variable_value(manifest: &toml::Value, name: &str) -> Option<String> {
    std::env::var(format!("SPIN_VARIABLE_{}", name.to_ascii_uppercase()))
        .ok()
        .or_else(|| {
            manifest
                .get("variables")
                .and_then(|v| v.get(name))
                .and_then(|d| d.get("default"))
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
        })
}

/// A manifest string with its `{{ name }}` expressions filled in.
fn fill_template(manifest: &toml::Value, template: &str) -> Result<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let end = rest[start..]
            .find("}}")
            .with_context(|| format!("unclosed template in {template}"))?;
        let name = rest[start + 2..start + end].trim();
        out.push_str(&rest[..start]);
        out.push_str(
            &variable_value(manifest, name)
                .with_context(|| format!("variable {name} is required"))?,
        );
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn resolve_variables(
    manifest: &toml::Value,
    component: &toml::Value,
) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for (k, v) in component
        .get("variables")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
    {
        out.insert(
            k.clone(),
            fill_template(manifest, v.as_str().unwrap_or(""))?,
        );
    }
    Ok(out)
}

fn load(manifest_path: &Path, sqlite_file: &Path) -> Result<App> {
    let text = std::fs::read_to_string(manifest_path)?;
    let manifest: toml::Value = toml::from_str(&text)?;
    if manifest
        .get("spin_manifest_version")
        .and_then(toml::Value::as_integer)
        != Some(2)
    {
        bail!("only spin manifest v2 is supported");
    }
    // As Spin: a required variable without a value stops the application.
    for (name, decl) in manifest
        .get("variables")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
    {
        if decl.get("required").and_then(toml::Value::as_bool) == Some(true)
            && variable_value(&manifest, name).is_none_or(|v| v.is_empty())
        {
            bail!("variable {name} is required and has no value");
        }
    }
    let base = manifest_path.parent().unwrap_or(Path::new("."));
    let mut config = Config::new();
    config.wasm_component_model_async(true);
    let engine = Engine::new(&config)?;
    let mut linker: Linker<State> = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p3::add_to_linker(&mut linker)?;
    sqlite::add_to_linker::<State, Spin>(&mut linker, spin_view)?;
    key_value::add_to_linker::<State, Spin>(&mut linker, spin_view)?;
    variables::add_to_linker::<State, Spin>(&mut linker, spin_view)?;

    let kv = Arc::new(Mutex::new(HashMap::new()));
    let mut components = Vec::new();
    let mut index = HashMap::new();
    for (id, c) in manifest
        .get("component")
        .and_then(toml::Value::as_table)
        .context("no components")?
    {
        let source = base.join(
            c.get("source")
                .and_then(toml::Value::as_str)
                .context("component source")?,
        );
        let has = |key: &str| {
            c.get(key)
                .and_then(toml::Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("default")))
        };
        let outbound = c
            .get("allowed_outbound_hosts")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
            .map(|t| {
                let filled = fill_template(&manifest, t)?;
                let uri = filled
                    .parse::<http::Uri>()
                    .map_err(|e| anyhow!("allowed_outbound_hosts entry {filled}: {e}"))?;
                origin_of(&uri).with_context(|| format!("allowed_outbound_hosts entry {filled}"))
            })
            .collect::<Result<Vec<_>>>()?;
        // `files = [{ source = "dir", destination = "/" }]`: read-only mounts.
        let files = c
            .get("files")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| {
                Some((
                    base.join(f.get("source")?.as_str()?),
                    f.get("destination")?.as_str()?.to_owned(),
                ))
            })
            .collect();
        let grants = Grants {
            files: Arc::new(files),
            sqlite: has("sqlite_databases").then(|| sqlite_file.to_path_buf()),
            kv: has("key_value_stores").then(|| kv.clone()),
            variables: Arc::new(resolve_variables(&manifest, c)?),
            outbound: Arc::new(outbound),
        };
        let component = load_component(&engine, &source)?;
        index.insert(id.clone(), components.len());
        components.push((id.clone(), component, grants));
    }
    let mut routes = routefinder::Router::new();
    for t in manifest
        .get("trigger")
        .and_then(|t| t.get("http"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        let route = t
            .get("route")
            .and_then(toml::Value::as_str)
            .context("route")?;
        let component = t
            .get("component")
            .and_then(toml::Value::as_str)
            .context("component")?;
        let idx = *index
            .get(component)
            .with_context(|| format!("unknown component {component}"))?;
        let pattern = match route.strip_suffix("/...") {
            Some(base) => format!("{base}/*"),
            None => route.to_owned(),
        };
        routes
            .add(pattern, (route.to_owned(), idx))
            .map_err(|e| anyhow!("route {route}: {e}"))?;
    }
    Ok(App {
        engine,
        linker,
        routes,
        components,
    })
}

fn apply_migrations(sqlite_file: &Path, dir: &Path) -> Result<()> {
    let conn = rusqlite::Connection::open(sqlite_file)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    for f in files {
        conn.execute_batch(&std::fs::read_to_string(&f)?)
            .with_context(|| format!("{}", f.display()))?;
    }
    Ok(())
}

// ------------------------------------------------------------------ serving

async fn serve_one(
    app: Arc<App>,
    req: http::Request<hyper::body::Incoming>,
    peer: SocketAddr,
) -> Result<http::Response<Full<Bytes>>> {
    // The body streams to the component, as with `spin up`: a component
    // that refuses a request unread (413 by its declared length, 404) answers
    // before the client has sent it.
    let (mut parts, body) = req.into_parts();
    let body = body.map_err(|e| ErrorCode::InternalError(Some(e.to_string())));
    let path = parts.uri.path().to_owned();
    // The best match, as `spin up` picks it: exact segments over `:name`
    // parameters over the wildcard.
    let Some(found) = app.routes.best_match(&path) else {
        return Ok(http::Response::builder()
            .status(404)
            .body(Full::new(Bytes::from_static(b"no route")))?);
    };
    let (matched_route, idx) = (found.0.clone(), found.1);
    let (_, component, grants) = &app.components[idx];
    let host = parts
        .headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let full_url = format!(
        "http://{host}{}",
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    parts.headers.insert("spin-full-url", full_url.parse()?);
    parts.headers.insert("spin-path-info", "".parse()?);
    parts
        .headers
        .insert("spin-matched-route", matched_route.parse()?);
    parts
        .headers
        .insert("spin-client-addr", peer.to_string().parse()?);
    parts.uri = format!(
        "http://{host}{}",
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    )
    .parse()?;
    let request = http::Request::from_parts(parts, body);

    let mut store = Store::new(
        &app.engine,
        State {
            table: ResourceTable::new(),
            wasi: {
                let mut b = WasiCtxBuilder::new();
                b.inherit_stderr();
                for (host, guest) in grants.files.iter() {
                    b.preopened_dir(host, guest, DirPerms::READ, FilePerms::READ)?;
                }
                b.build()
            },
            http: WasiHttpCtx::new(),
            hooks: Outbound {
                allowed: grants.outbound.clone(),
            },
            grants: grants.clone(),
        },
    );
    let service = wasmtime_wasi_http::p3::bindings::Service::instantiate_async(
        &mut store,
        component,
        &app.linker,
    )
    .await?;
    let (request, request_io) = wasmtime_wasi_http::p3::Request::from_http(request);
    // Feeds the body to the component for as long as it reads; a body it
    // leaves unread ends with the request.
    tokio::spawn(async move {
        let _ = request_io.await;
    });
    let (status, headers, bytes) = store
        .run_concurrent(async |accessor| {
            let response = async {
                let resp = service
                    .handle(accessor, request)
                    .await?
                    .map_err(|e| anyhow!("{e:?}"))?;
                let resp = accessor.with(|access| resp.into_http(access, async { Ok(()) }))?;
                let status = resp.status();
                let headers = resp.headers().clone();
                let bytes = resp
                    .into_body()
                    .collect()
                    .await
                    .map_err(|e| anyhow!("{e:?}"))?
                    .to_bytes();
                Ok::<_, wasmtime::Error>((status, headers, bytes))
            };
            response.await
        })
        .await??;
    let mut b = http::Response::builder().status(status);
    for (k, v) in &headers {
        b = b.header(k, v);
    }
    Ok(b.body(Full::new(bytes))?)
}

/// A component compiled once per build of it: the machine code is kept in
/// `component-cache/` beside this host's binary, keyed by the component's
/// bytes and the engine's settings, and read back by later starts (as
/// `spin up` keeps its compilation cache), so each test binary's host
/// starts without compiling 40-odd components again.
fn load_component(engine: &Engine, source: &Path) -> Result<Component> {
    use std::hash::{Hash, Hasher};
    let bytes = std::fs::read(source).with_context(|| format!("reading {}", source.display()))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let cache = std::env::current_exe()?
        .parent()
        .context("the host's folder")?
        .join("component-cache");
    let key = format!("{:016x}", hasher.finish());
    let compiled = cache.join(format!("{key}.cwasm"));
    if compiled.is_file() {
        // SAFETY: the file was written below by `Component::serialize` of
        // this same engine configuration (its hash is in the name); wasmtime
        // checks its header and version again.
        if let Ok(c) = unsafe { Component::deserialize_file(engine, &compiled) } {
            return Ok(c);
        }
    }
    let component = Component::new(engine, &bytes)
        .with_context(|| format!("compiling {}", source.display()))?;
    // Written whole or not at all: another host may be starting meanwhile.
    std::fs::create_dir_all(&cache)?;
    let tmp = cache.join(format!("{key}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, component.serialize()?)?;
    std::fs::rename(&tmp, &compiled)?;
    Ok(component)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, manifest, listen, sqlite_file, migrations] = args.as_slice() else {
        bail!("usage: spin-test-host <spin.toml> <listen addr> <sqlite file> <migrations dir>");
    };
    let sqlite_file = PathBuf::from(sqlite_file);
    apply_migrations(&sqlite_file, Path::new(migrations))?;
    let app = Arc::new(load(Path::new(manifest), &sqlite_file)?);
    let listener = tokio::net::TcpListener::bind(listen.as_str()).await?;
    let addr = listener.local_addr()?;
    eprintln!("spin-test-host: listening on http://{addr}");

    // The scheduler: what `spin cron` or any scheduler does in production.
    if let Ok(token) = std::env::var("SPIN_VARIABLE_MAINTENANCE_TOKEN") {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                let _ = post_maintenance(addr, &token).await;
            }
        });
    }

    loop {
        let (stream, peer) = listener.accept().await?;
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let app = app.clone();
                async move {
                    match serve_one(app, req, peer).await {
                        Ok(r) => Ok::<_, std::convert::Infallible>(r),
                        Err(e) => {
                            eprintln!("spin-test-host: {e:#}");
                            Ok(http::Response::builder()
                                .status(500)
                                .body(Full::new(Bytes::from(format!("host error: {e}"))))
                                .unwrap_or_default())
                        }
                    }
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn post_maintenance(addr: SocketAddr, token: &str) -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let req = format!("POST /maintenance/run HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {token}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    Ok(())
}
