//! Upgrading databases written by older releases.

use portal_backend::db::{Db, SCHEMA_VERSION};
use std::path::Path;

/// `fixtures/portal-v1.sqlite3` was written by schema version 1 (the first release's migrations)
/// with a town, a citizen, an identity and a session in it.
#[tokio::test]
async fn a_version_1_database_upgrades_and_keeps_its_data() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portal-v1.sqlite3");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portal.sqlite3");
    std::fs::copy(&fixture, &path).unwrap();

    let db = Db::open(&path).unwrap();
    let (version, name, identities) = db
        .read(|conn| {
            let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            let name: String =
                conn.query_row("SELECT given_name FROM citizens WHERE id = 1", [], |r| r.get(0))?;
            let identities: i64 = conn.query_row("SELECT count(*) FROM identities", [], |r| r.get(0))?;
            // The tables of later migrations exist and work.
            conn.execute(
                "INSERT INTO messages (town_id, citizen_id, subject, body, sent_at) VALUES (1, 1, 's', 'b', 't')",
                [],
            )?;
            Ok((version, name, identities))
        })
        .await
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(name, "Alžběta");
    assert_eq!(identities, 1);
}

/// New databases get 16 KiB pages (see `db::PAGE_SIZE`); an old one keeps its own and works.
#[tokio::test]
async fn new_databases_have_16_kib_pages_and_old_ones_keep_theirs() {
    let page_size = |db: Db| async move {
        db.read(|conn| Ok(conn.pragma_query_value(None, "page_size", |r| r.get::<_, i64>(0))?))
            .await
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let new = Db::open(&dir.path().join("new.sqlite3")).unwrap();
    assert_eq!(page_size(new).await, 16 * 1024);

    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portal-v1.sqlite3");
    let old_path = dir.path().join("old.sqlite3");
    std::fs::copy(&fixture, &old_path).unwrap();
    let old = Db::open(&old_path).unwrap();
    assert_eq!(page_size(old).await, 4096);
}
