import AWS

/// One sentence for a failed plan, bootstrap or teardown, whatever went wrong.
public enum ProvisioningFailure {
  /// The sentence for an error: AWS errors say what to check (endpoint, credentials, policy); retries are
  /// summarized after the last failure.
  public static func sentence(_ error: any Error) -> String {
    switch error {
    case let error as AWSError:
      return sentence(error)
    case let error as ProvisioningError:
      return error.description
    default:
      return "\(error)"
    }
  }

  static func sentence(_ error: AWSError) -> String {
    if case .retriesExhausted(let attempts, _, let last) = error {
      return "\(sentence(last)) (gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
    }
    return error.description
  }
}
