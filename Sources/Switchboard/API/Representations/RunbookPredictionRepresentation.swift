import FailoverCore
import Foundation

/// A runbook step in a what-if plan or an explanation, with its predicted duration.
public struct RunbookPredictionRepresentation: Sendable, Hashable, Encodable {
  public var stage: String
  public var name: String
  public var kind: String
  /// The last measured duration when there is one, else the step's timeout; 0 when it will be skipped.
  public var predictedSeconds: Double
  @Nullable public var skipReason: String?
  @Nullable public var note: String?

  public init(_ prediction: RunbookPrediction) {
    stage = prediction.stage.rawValue
    name = prediction.name
    kind = prediction.kind
    predictedSeconds = prediction.predictedSeconds
    skipReason = prediction.skipReason
    note = prediction.note
  }

  /// The last measured duration of each runbook step of a service, read from its recent workflows (empty when
  /// the store cannot say).
  static func measured(_ service: ServiceID, store: any WorkflowQueries & WorkflowJournal) async -> [String:
    Double]
  {
    guard let page = try? await store.workflows(service: service, before: nil, limit: 20) else { return [:] }
    var entries: [StepJournalEntry] = []
    for record in page.workflows.reversed() {
      entries += (try? await store.entries(workflowID: record.id)) ?? []
    }
    return RunbookPrediction.measuredDurations(entries)
  }
}
