/// Every fact Switchboard keeps, behind one backend: what the composition root opens and hands, narrowed to
/// the protocol each part needs, to the engine, the API, the event stream and the status documents.
///
/// A backend (SQLite today) implements all of them and passes the store conformance suite.
public protocol SwitchboardStore:
  WorkflowJournal, WorkflowQueries, EventLog, EventQueries, AuditChain, OverrideStore, RoutingHistory,
  IdempotencyStore, HealthHistory, StorePruning, ComponentHistory, DrillStore
{}
