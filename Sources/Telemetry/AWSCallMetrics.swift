import AWS
import Prometheus
import Switchboard

extension SwitchboardMetrics: AWSCallObserver {
  static var awsCalls: MetricNameDescriptor {
    .switchboard(
      "aws_calls", unit: "total",
      help: "AWS operations made (Route53, CloudWatch, SNS), by service and operation; retries count once.")
  }
  static var awsErrors: MetricNameDescriptor {
    .switchboard(
      "aws_errors", unit: "total",
      help: "AWS operations that failed after their retries, by service, operation and error code.")
  }
  static var awsRetries: MetricNameDescriptor {
    .switchboard(
      "aws_retries", unit: "total",
      help: "Extra attempts made by AWS operations after a retryable failure.")
  }
  static var awsDuration: MetricNameDescriptor {
    .switchboard(
      "aws_call_duration", unit: "seconds",
      help: "Seconds an AWS operation took, retries included, by service and operation.")
  }
  static let awsBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

  /// Counts a finished AWS operation, its retries, its duration, and its error code when it failed.
  public func callCompleted(_ call: AWSCallRecord) {
    let labels = [("service", call.service), ("operation", call.operation)]
    registry.makeCounter(descriptor: Self.awsCalls, labels: labels).increment()
    if call.attempts > 1 {
      registry.makeCounter(descriptor: Self.awsRetries, labels: labels)
        .increment(by: Int64(call.attempts - 1))
    }
    registry.makeValueHistogram(
      descriptor: Self.awsDuration, labels: labels, buckets: Self.awsBuckets
    ).record(max(0, call.durationSeconds))
    if let code = call.errorCode {
      registry.makeCounter(
        descriptor: Self.awsErrors, labels: labels + [("code", code)]
      ).increment()
    }
  }
}
