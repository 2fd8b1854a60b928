// The SQLite store (GRDB).
