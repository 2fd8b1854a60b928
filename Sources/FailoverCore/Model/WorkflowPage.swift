/// One page of workflows, newest first, and the cursor of the next page (nil when this is the last).
public struct WorkflowPage: Sendable, Hashable {
  /// The workflows, newest first.
  public var workflows: [WorkflowRecord]
  /// Pass as `before` to get the next page; nil when there is none.
  public var nextCursor: Int64?

  /// A page holding `workflows`, followed by the page before `nextCursor` (nil: none).
  public init(workflows: [WorkflowRecord], nextCursor: Int64?) {
    self.workflows = workflows
    self.nextCursor = nextCursor
  }
}
