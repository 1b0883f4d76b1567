-- The sealed columns the sweep's `sealed_free_text` step found without a
-- plain row left (kernel/sealed.rs): later runs read nothing of them
-- (new writes are always sealed), instead of scanning the table each run.
CREATE TABLE sealed_columns (
  place TEXT PRIMARY KEY,
  done_at TEXT NOT NULL
);
