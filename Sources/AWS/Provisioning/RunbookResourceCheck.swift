import FailoverCore
import Foundation

/// `plan`'s check of the runbooks: every ECS service an `ecs_scale` step scales exists in each of the service's
/// regions, and every replica a `database_promote` step promotes exists in the regions traffic can move to.
public enum RunbookResourceCheck {
  /// A missing resource per problem found; errors other than "not found" propagate.
  public static func drifts(services: [Service], ecs: ECSClient, rds: RDSClient) async throws -> [Drift] {
    var drifts: [Drift] = []
    for service in services {
      let runbook = service.runbook ?? Runbook()
      for stage in RunbookStage.allCases {
        for step in runbook.steps(stage) {
          switch step.action {
          case .ecsScale(let spec):
            for region in service.regionIDs {
              do {
                _ = try await ecs.describeService(
                  region: region.rawValue, cluster: spec.cluster, service: spec.service)
              } catch let error as AWSError where isMissing(error) {
                drifts.append(
                  Drift(
                    resourceType: "ECS service",
                    resource:
                      "\(spec.cluster)/\(spec.service) in \(region) (runbook step \(stage.rawValue) \(step.name))",
                    kind: .missing))
              }
            }
          case .databasePromote(let spec):
            for region in service.regionIDs.dropFirst() {
              do {
                _ = try await rds.state(region: region, identifier: spec.identifier, cluster: spec.isCluster)
              } catch let error as AWSError where isMissing(error) {
                drifts.append(
                  Drift(
                    resourceType: spec.isCluster ? "DB cluster" : "DB instance",
                    resource: "\(spec.identifier) in \(region) (runbook step \(stage.rawValue) \(step.name))",
                    kind: .missing))
              }
            }
          default: break
          }
        }
      }
    }
    return drifts
  }

  static func isMissing(_ error: AWSError) -> Bool {
    if case .notFound = error { return true }
    let code = error.serviceError?.code ?? ""
    return [
      "ClusterNotFoundException", "ServiceNotFoundException", "DBInstanceNotFound", "DBInstanceNotFoundFault",
      "DBClusterNotFoundFault", "DBClusterNotFound",
    ].contains(code)
  }
}
