import FailoverCore
import Foundation

/// Why the store could not do what was asked, in a sentence a person can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (or its folder) could not be created or opened.
  case cannotOpen(path: String, reason: String)
  /// The file is an SQLite database that Switchboard did not create.
  case notAStore(path: String)
  /// The file was migrated by a newer Switchboard than this one.
  case newerSchema(path: String, unknownMigrations: [String])
  /// A step or an ending was written for a workflow the journal never began.
  case unknownWorkflow(id: String)
  /// A step was appended to, or a different ending given to, a workflow that already ended.
  case workflowAlreadyFinished(id: String, state: String)
  /// A row could not be decoded: the file was edited by hand or by an incompatible program.
  case corruptRow(table: String, key: String, reason: String)
  /// SQLite refused an operation.
  case database(operation: String, reason: String)
  /// Retention did not prune the audit events it was asked to: they do not verify, and pruning would erase the
  /// evidence.
  case auditChainBroken(ChainBreak)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      "Cannot open the store at \(path): \(reason). Check that the folder exists or can be created and is writable."
    case .notAStore(let path):
      "The database at \(path) is not a Switchboard store (missing migrations table). Point `storage.path` at a new "
        + "file or at a store Switchboard created."
    case .newerSchema(let path, let unknown):
      "The store at \(path) was written by a newer Switchboard (unknown migrations: "
        + "\(unknown.joined(separator: ", "))). Run that version, or restore a backup made by this one."
    case .unknownWorkflow(let id):
      "Workflow \(id) was never begun in the journal, so it cannot record steps or an outcome."
    case .workflowAlreadyFinished(let id, let state):
      "Workflow \(id) already ended (\(state)); it cannot take further steps or a different outcome."
    case .corruptRow(let table, let key, let reason):
      "The store's \(table) row \(key) cannot be read (\(reason)). Run `switchboard audit verify` and restore a "
        + "backup if the file was edited."
    case .database(let operation, let reason):
      "The store could not \(operation): \(reason)."
    case .auditChainBroken(let link):
      "Old audit events were not pruned: \(link.description) Run `switchboard audit verify` and keep the file "
        + "for investigation."
    }
  }
}
