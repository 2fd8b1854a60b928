import FailoverCore
import Foundation

/// What `switchboard demo` prints once everything listens: where to look, the token for this run, and three things
/// to try, each a command that works as printed (the integration test runs them).
struct DemoInstructions {
  var api: String
  var token: String
  var executable: String
  /// Region name and HOST:PORT of each sample region, the primary first.
  var regions: [(name: String, address: String)]
  var service: Service
  /// HOST and PORT of the built-in DNS.
  var dns: (host: String, port: Int)

  var text: String {
    let primary = regions[0]
    let secondary = regions[1]
    let targets = service.regions.map { "\($0.region): \($0.target)" }.joined(separator: ", ")
    // `--token=…`: a token is base64url and may begin with `-`, which `--token TOKEN` would read as a flag.
    let override = [
      executable, "override", "create", "--url", api, "--token=\(token)", "--scope", "global", "--kind",
      "freeze",
      "--duration", "1h", "--reason", "'trying the demo'",
    ].joined(separator: " ")
    return """
      Switchboard demo: \(service.dnsName) in \(primary.name) (primary, sample region on \(primary.address)) and \
      \(secondary.name) (\(secondary.address)); \(targets).

      Dashboard on \(api)
      Operator token for this run (paste it into the dashboard's token box, top right): \(token)
      DNS for \(service.hostedZone) on \(dns.host) port \(dns.port) (UDP and TCP)

      Three things to try:
        1. Make the primary fail:
             curl -X POST http://\(primary.address)/simulate-failure
        2. Watch the answer move to \(secondary.name)'s address within a few seconds:
             dig @\(dns.host) -p \(dns.port) \(service.dnsName) +short
        3. Freeze automation for an hour, with a reason (see it in the dashboard's banner):
             \(override)
      Then bring the primary back with curl -X POST http://\(primary.address)/recover and fail back from the \
      dashboard (failback is manual by default).

      Ctrl-C stops everything.
      """
  }
}
