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
}
