import AWS
import Testing

@Suite("Standard retry policy (pure)")
struct RetryPolicyTests {
  private let policy = RetryPolicy(
    maxAttempts: 3, baseDelay: 1, maxBackoff: 20, maxTotalTime: 30, perCallTimeout: 5)

  private func serviceError(_ code: String, _ status: Int) -> AWSError {
    .service(AWSServiceError(service: "Route53", code: code, message: "", httpStatus: status, requestID: nil))
  }

  @Test(
    "Throttling codes, 429, 5xx, transport errors and timeouts are retryable; 4xx validation errors are not")
  func classification() {
    for code in ["Throttling", "ThrottlingException", "PriorRequestNotComplete", "RequestLimitExceeded"] {
      #expect(RetryPolicy.isRetryable(serviceError(code, 400)), "\(code)")
    }
    #expect(RetryPolicy.isRetryable(serviceError("TooManyRequests", 429)))
    #expect(RetryPolicy.isRetryable(serviceError("InternalFailure", 500)))
    #expect(RetryPolicy.isRetryable(serviceError("ServiceUnavailable", 503)))
    #expect(RetryPolicy.isRetryable(.transport(service: "Route53", detail: "reset")))
    #expect(RetryPolicy.isRetryable(.timedOut(service: "Route53", seconds: 1)))
    for code in [
      "InvalidChangeBatch", "InvalidInput", "ValidationError", "NoSuchHostedZone", "SignatureDoesNotMatch",
    ] {
      #expect(!RetryPolicy.isRetryable(serviceError(code, 400)), "\(code)")
    }
    #expect(!RetryPolicy.isRetryable(.credentialsUnavailable("none")))
  }

  @Test("Backoff is full jitter under an exponential ceiling capped at the maximum")
  func backoff() {
    #expect(policy.backoff(retry: 1, random: 1) == 1)
    #expect(policy.backoff(retry: 2, random: 1) == 2)
    #expect(policy.backoff(retry: 3, random: 1) == 4)
    #expect(policy.backoff(retry: 10, random: 1) == 20)
    #expect(policy.backoff(retry: 3, random: 0.5) == 2)
    #expect(policy.backoff(retry: 3, random: 0) == 0)
  }

  @Test("Given a retryable error, then retries stop at the attempt bound and at the total-time bound")
  func bounds() {
    let throttled = serviceError("Throttling", 400)
    #expect(policy.decide(after: throttled, attempt: 1, elapsed: 0, random: 0.5) == .retry(after: 0.5))
    #expect(policy.decide(after: throttled, attempt: 2, elapsed: 1, random: 0.5) == .retry(after: 1))
    #expect(policy.decide(after: throttled, attempt: 3, elapsed: 2, random: 0.5) == .giveUp)
    #expect(policy.decide(after: throttled, attempt: 1, elapsed: 29.9, random: 0.5) == .giveUp)
    #expect(
      policy.decide(after: serviceError("InvalidInput", 400), attempt: 1, elapsed: 0, random: 0.5) == .giveUp)
  }
}
