"""National scale (issue 12): a synthetic nation generated with COPY on PostgreSQL
(`generate`), and a set-based SQL rebuild of the rollups (`rebuild_sql`). See docs/scale.md."""
