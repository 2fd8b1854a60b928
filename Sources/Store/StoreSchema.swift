import Foundation
import GRDB

/// The store's tables, as named migrations (append new ones; never edit a released one).
enum StoreSchema {
  static let migrator: DatabaseMigrator = {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-events") { db in
      try db.execute(
        sql: """
          CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            at_ms INTEGER NOT NULL,
            kind TEXT NOT NULL,
            scope TEXT NOT NULL,
            actor TEXT NOT NULL,
            json TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
          );
          CREATE INDEX events_at ON events(at_ms);
          CREATE INDEX events_kind ON events(kind, seq);
          CREATE INDEX events_scope ON events(scope, seq);
          CREATE TABLE event_chain_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL
          );
          """)
    }
    migrator.registerMigration("v1-workflows") { db in
      try db.execute(
        sql: """
          CREATE TABLE workflows (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            service TEXT NOT NULL,
            plan TEXT NOT NULL,
            state TEXT NOT NULL,
            outcome TEXT,
            timings TEXT,
            created_ms INTEGER NOT NULL,
            finished_ms INTEGER
          );
          CREATE INDEX workflows_service ON workflows(service, seq);
          CREATE INDEX workflows_state ON workflows(state, seq);
          CREATE TABLE workflow_steps (
            workflow_id TEXT NOT NULL REFERENCES workflows(id),
            ordinal INTEGER NOT NULL,
            entry TEXT NOT NULL,
            PRIMARY KEY (workflow_id, ordinal)
          );
          """)
    }
    migrator.registerMigration("v1-routing") { db in
      try db.execute(
        sql: """
          CREATE TABLE overrides (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            scope TEXT NOT NULL,
            kind TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            expires_ms INTEGER NOT NULL,
            json TEXT NOT NULL
          );
          CREATE TABLE routing_states (
            service TEXT PRIMARY KEY,
            json TEXT NOT NULL,
            updated_ms INTEGER NOT NULL,
            workflow_id TEXT
          );
          CREATE TABLE transitions (
            seq INTEGER PRIMARY KEY,
            service TEXT NOT NULL,
            trigger TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            workflow_id TEXT,
            json TEXT NOT NULL
          );
          CREATE INDEX transitions_at ON transitions(at_ms);
          CREATE INDEX transitions_service ON transitions(service, seq);
          """)
    }
    migrator.registerMigration("v1-health") { db in
      try db.execute(
        sql: """
          CREATE TABLE observations (
            seq INTEGER PRIMARY KEY,
            service TEXT NOT NULL,
            region TEXT NOT NULL,
            signal TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            json TEXT NOT NULL
          );
          CREATE INDEX observations_signal ON observations(service, region, signal, seq);
          """)
    }
    migrator.registerMigration("v1-idempotency") { db in
      try db.execute(
        sql: """
          CREATE TABLE idempotency_keys (
            key TEXT NOT NULL,
            actor TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            headers TEXT NOT NULL,
            body BLOB NOT NULL,
            created_ms INTEGER NOT NULL,
            PRIMARY KEY (key, actor)
          );
          CREATE INDEX idempotency_created ON idempotency_keys(created_ms);
          """)
    }
    migrator.registerMigration("v2-status-components") { db in
      try db.execute(
        sql: """
          CREATE TABLE status_components (
            name TEXT PRIMARY KEY,
            first_seen_ms INTEGER NOT NULL
          );
          """)
    }
    migrator.registerMigration("v2-retention") { db in
      try db.execute(
        sql: """
          CREATE TABLE event_chain_checkpoint (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            pruned_ms INTEGER NOT NULL
          );
          CREATE INDEX workflows_finished ON workflows(finished_ms);
          CREATE INDEX overrides_expires ON overrides(expires_ms);
          """)
    }
    migrator.registerMigration("v3-drills-and-drill-runs") { db in
      try db.execute(
        sql: """
          CREATE TABLE drills (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            updated_ms INTEGER NOT NULL,
            json TEXT NOT NULL
          );
          CREATE TABLE drill_runs (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            drill_id TEXT NOT NULL,
            state TEXT NOT NULL,
            started_ms INTEGER NOT NULL,
            json TEXT NOT NULL
          );
          CREATE INDEX drill_runs_drill ON drill_runs(drill_id, seq);
          CREATE INDEX drill_runs_state ON drill_runs(state, seq);
          """)
    }
    return migrator
  }()

  /// Refuses files that are not (or not yet) Switchboard stores, then applies pending migrations.
  static func prepare(_ pool: DatabasePool, path: String) throws {
    do {
      try pool.read { db in
        let tables = try String.fetchAll(
          db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if !tables.isEmpty && !tables.contains("grdb_migrations") {
          throw StoreError.notAStore(path: path)
        }
        if try migrator.hasBeenSuperseded(db) {
          let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
          throw StoreError.newerSchema(path: path, unknownMigrations: unknown)
        }
      }
      try migrator.migrate(pool)
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
      throw StoreError.notAStore(path: path)
    } catch {
      throw StoreError.cannotOpen(path: path, reason: "its migrations failed (\(error))")
    }
  }
}
