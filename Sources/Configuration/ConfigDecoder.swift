import FailoverCore
import Foundation
import HTTPServer
import Yams

/// Walks the YAML tree into a `SwitchboardConfig`, reporting every problem it meets instead of stopping.
struct ConfigDecoder {
  let problems: ProblemList
  /// The YAML node each decoded region, service and service region came from, for cross-check locations.
  let sources = SourceMap()

  final class SourceMap {
    var regions: [Node] = []
    var services: [Node] = []
    /// Per decoded service, the nodes of its decoded regions.
    var placements: [[Node]] = []
  }

  static let topLevelKeys = [
    "listen", "tls", "public_dir", "public_status", "storage", "auth", "aws", "notifications", "policy",
    "retention",
    "drills",
    "probes",
    "regions",
    "dns",
    "services",
    "cluster",
  ]

  func decode(_ root: Node) -> SwitchboardConfig? {
    guard let top = MappingReader(root, path: "", problems: problems) else { return nil }
    top.allowKeys(Self.topLevelKeys)
    var config = SwitchboardConfig(regions: [], services: [])
    if let text = top.string("listen") {
      if let address = try? ListenAddress(parsing: text) {
        config.listen = address
      } else {
        problems.add(
          top.value("listen")?.mark, "`listen` must be HOST:PORT (e.g. 127.0.0.1:8080), not \"\(text)\".")
      }
    }
    if let tls = top.mappingReader("tls") { config.tls = decodeTLS(tls) }
    if let dir = top.string("public_dir") { config.publicDirectory = dir }
    if let flag = top.bool("public_status") { config.publicStatus = flag }
    if let cluster = top.mappingReader("cluster") { config.cluster = decodeCluster(cluster) }
    if let storage = top.mappingReader("storage") { decodeStorage(storage, into: &config) }
    if let auth = top.mappingReader("auth") { config.tokens = decodeTokens(auth) }
    if let aws = top.mappingReader("aws") { config.aws = decodeAWS(aws) }
    if let notifications = top.mappingReader("notifications") {
      notifications.allowKeys(["webhook"])
      if let webhook = notifications.mappingReader("webhook") {
        webhook.allowKeys(["url"])
        if let url = webhook.string("url", required: "the URL notifications are POSTed to") {
          // Strict (no spaces or other characters a URL cannot hold): the value is a secret, never quoted.
          if Self.httpURL(url) == nil || URL(string: url, encodingInvalidCharacters: false) == nil {
            problems.add(
              webhook.value("url")?.mark,
              "`\(webhook.path("url"))` must be an http or https URL without spaces (its value is not shown: it "
                + "may hold a secret).")
          }
          config.notifications.webhookURL = url
        }
      }
    }
    if let policy = top.mappingReader("policy") { config.policy = decodePolicy(policy) }
    if let retention = top.mappingReader("retention") { config.retention = decodeRetention(retention) }
    if let drills = top.mappingReader("drills") { config.drills = decodeDrills(drills) }
    if let dns = top.mappingReader("dns") { config.dns = decodeDNS(dns) }
    if let probes = top.mappingReader("probes") {
      probes.allowKeys(["max_in_flight", "keep_alive"])
      config.probeMaxInFlight = probes.int("max_in_flight", in: 1...1_000_000)
      config.probeKeepAlive = probes.bool("keep_alive")
    }
    if let items = top.sequence("regions", required: "the list of regions services run in") {
      for (index, node) in items.enumerated() {
        if let region = decodeRegion(node, path: "regions[\(index)]") {
          config.regions.append(region)
          sources.regions.append(node)
        }
      }
    }
    if let items = top.sequence("services", required: "the list of services to protect") {
      for (index, node) in items.enumerated() {
        let (service, placementNodes) = decodeService(node, path: "services[\(index)]")
        if let service {
          config.services.append(service)
          if let mark = node.mapping?.first(where: { $0.key.string == "hosted_zone_id" })?.value.mark {
            config.hostedZoneIDLocations[service.id] = "\(mark.line):\(mark.column)"
          }
          sources.services.append(node)
          sources.placements.append(placementNodes)
          if let choice = decodeProvider(node, path: "services[\(index)]") {
            config.dnsProviders[service.id] = choice
          }
        }
      }
    }
    return config
  }

  func decodeTLS(_ tls: MappingReader) -> TLSSettings? {
    tls.allowKeys(["listen", "cert", "key"])
    let listenText = tls.string("listen", required: "the HOST:PORT of the HTTPS listener")
    let cert = tls.string("cert", required: "the path of the PEM certificate chain")
    let key = tls.string("key", required: "the path of the PEM private key")
    var address: ListenAddress?
    if let listenText {
      address = try? ListenAddress(parsing: listenText)
      if address == nil { problems.add(tls.value("listen")?.mark, "`tls.listen` must be HOST:PORT.") }
    }
    guard let address, let cert, let key else { return nil }
    return TLSSettings(listen: address, certificatePath: cert, keyPath: key)
  }

  func decodeTokens(_ auth: MappingReader) -> [AuthToken] {
    auth.allowKeys(["tokens"])
    var tokens: [AuthToken] = []
    for (index, item) in (auth.sequence("tokens") ?? []).enumerated() {
      guard let token = MappingReader(item, path: "auth.tokens[\(index)]", problems: problems) else {
        continue
      }
      token.allowKeys(
        ["name", "role", "sha256"],
        hints: [
          "token": "Tokens are never written in the file: put their SHA-256 under `sha256` "
            + "(`switchboard token create` prints it), or set SWITCHBOARD_ADMIN_TOKEN.",
          "secret": "Tokens are never written in the file: put their SHA-256 under `sha256`.",
        ])
      let name = token.string("name", required: "a name for the token")
      var role: TokenRole?
      if let text = token.string("role", required: "viewer, operator or admin") {
        role = TokenRole(rawValue: text)
        if role == nil {
          problems.add(
            token.value("role")?.mark,
            "`\(token.path("role"))` must be viewer, operator or admin, not \"\(text)\".")
        }
      }
      var digest = token.string("sha256", required: "the lowercase hex SHA-256 of the token")
      if let text = digest {
        let valid = text.count == 64 && text.allSatisfy { $0.isHexDigit }
        if !valid {
          problems.add(
            token.value("sha256")?.mark, "`\(token.path("sha256"))` must be 64 hexadecimal characters.")
          digest = nil
        }
      }
      if let name, let role, let digest {
        tokens.append(AuthToken(name: name, role: role, sha256: digest.lowercased()))
      }
    }
    return tokens
  }

  func decodeAWS(_ aws: MappingReader) -> AWSSettings {
    let secretHint =
      "AWS credentials are not read from the configuration file; use the standard AWS environment variables "
      + "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or a profile."
    aws.allowKeys(
      ["region", "endpoint_url", "profile", "sns_topic_arn", "alarm_poll_interval"],
      hints: ["access_key_id": secretHint, "secret_access_key": secretHint, "session_token": secretHint])
    var settings = AWSSettings(
      region: aws.string("region"), endpointURL: aws.string("endpoint_url"), profile: aws.string("profile"),
      snsTopicARN: aws.string("sns_topic_arn"))
    if let seconds = aws.duration("alarm_poll_interval", in: 1...300) { settings.alarmPollInterval = seconds }
    if let url = settings.endpointURL, Self.httpURL(url) == nil {
      problems.add(aws.value("endpoint_url")?.mark, "`aws.endpoint_url` must be an http or https URL.")
      settings.endpointURL = nil
    }
    if let arn = settings.snsTopicARN, !arn.hasPrefix("arn:") {
      problems.add(
        aws.value("sns_topic_arn")?.mark,
        "`aws.sns_topic_arn` must be an ARN (arn:aws:sns:REGION:ACCOUNT:NAME).")
    }
    return settings
  }

  func decodePolicy(_ policy: MappingReader) -> Policy {
    policy.allowKeys([
      "minimum_dwell", "max_automatic_failovers_per_hour", "automatic_failback", "failback_hold_time",
      "default_override_duration", "max_override_duration", "step_retry", "notification_retry",
      "sync_timeout",
      "sync_poll_interval",
    ])
    var result = Policy()
    if let value = policy.duration("minimum_dwell", in: 0...86400) { result.minimumDwell = value }
    if let value = policy.int("max_automatic_failovers_per_hour", in: 0...1000) {
      result.maxAutomaticFailoversPerHour = value
    }
    if let value = policy.bool("automatic_failback") { result.automaticFailback = value }
    if let value = policy.duration("failback_hold_time", in: 0...86400) { result.failbackHoldTime = value }
    if let value = policy.duration("max_override_duration", in: 60...(72 * 3600)) {
      result.maximumOverrideDuration = value
    }
    if let value = policy.duration("default_override_duration", in: 60...(72 * 3600)) {
      if value > result.maximumOverrideDuration {
        problems.add(
          policy.value("default_override_duration")?.mark,
          "`policy.default_override_duration` (\(MappingReader.format(value))) is longer than "
            + "`policy.max_override_duration` (\(MappingReader.format(result.maximumOverrideDuration))).")
      } else {
        result.defaultOverrideDuration = value
      }
    }
    if let retry = policy.mappingReader("step_retry") {
      result.stepRetry = decodeRetry(retry, result.stepRetry)
    }
    if let retry = policy.mappingReader("notification_retry") {
      result.notificationRetry = decodeRetry(retry, result.notificationRetry)
    }
    if let value = policy.duration("sync_timeout", in: 1...3600) { result.syncTimeout = value }
    if let value = policy.duration("sync_poll_interval", in: 0.1...300) { result.syncPollInterval = value }
    return result
  }

  func decodeRetry(_ retry: MappingReader, _ defaults: RetryPolicy) -> RetryPolicy {
    retry.allowKeys(["max_attempts", "base_delay", "max_delay"])
    var result = defaults
    if let value = retry.int("max_attempts", in: 1...20) { result.maxAttempts = value }
    if let value = retry.duration("base_delay", in: 0...600) { result.baseDelay = value }
    if let value = retry.duration("max_delay", in: 0...3600) { result.maxDelay = value }
    return result
  }

  // MARK: Value checks

  static func compositionRule(_ text: String) -> CompositionRule? { CompositionRule(text: text) }

  static func httpURL(_ text: String) -> URL? {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
      scheme == "http" || scheme == "https",
      let host = url.host, !host.isEmpty
    else { return nil }
    return url
  }

  static func trimDot(_ name: String) -> String { name.hasSuffix(".") ? String(name.dropLast()) : name }

  static func targetProblem(_ target: String, recordType: String) -> String? {
    switch recordType {
    case "A":
      let parts = target.split(separator: ".", omittingEmptySubsequences: false)
      let valid =
        parts.count == 4 && parts.allSatisfy { UInt8($0) != nil && ($0.count == 1 || !$0.hasPrefix("0")) }
      return valid ? nil : "must be an IPv4 address for an A record, not \"\(target)\"."
    case "AAAA":
      return target.contains(":") && target.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." })
        ? nil : "must be an IPv6 address for an AAAA record, not \"\(target)\"."
    default:
      let valid =
        !target.isEmpty && target.count <= 253
        && target.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }
      return valid ? nil : "must be a host name for a CNAME record, not \"\(target)\"."
    }
  }
}
