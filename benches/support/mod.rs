//! What the benchmarks share: a fresh PostgreSQL schema per run.

use diesel::prelude::*;

/// A schema of its own in the PostgreSQL database at `base`, dropped with this value.
pub struct FreshSchema {
    base: String,
    pub name: String,
    /// `base` with the schema as its search path.
    pub url: String,
}

impl FreshSchema {
    pub fn new(base: &str) -> FreshSchema {
        let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
        let mut c = PgConnection::establish(base).expect("postgres");
        diesel::sql_query(format!("CREATE SCHEMA {name}"))
            .execute(&mut c)
            .expect("schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        FreshSchema {
            base: base.to_string(),
            url: format!("{base}{sep}options=-csearch_path%3D{name}"),
            name,
        }
    }
}

impl Drop for FreshSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.base) {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name))
                .execute(&mut c);
        }
    }
}
