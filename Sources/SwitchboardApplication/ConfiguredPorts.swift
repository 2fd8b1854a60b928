import AWS
import Configuration
import FailoverCore
import Switchboard
import Webhooks

extension FanOutNotifier {
  /// The channels a configuration asks for: SNS when `aws.sns_topic_arn` (or `SWITCHBOARD_SNS_TOPIC_ARN`) is set,
  /// the webhook when `notifications.webhook.url` (or `SWITCHBOARD_WEBHOOK_URL`) is set.
  public init(config: SwitchboardConfig, clients: AWSClients) throws(WebhookError) {
    var channels: [Channel] = []
    if let arn = config.aws.snsTopicARN, !arn.isEmpty {
      channels.append(Channel(name: "SNS", notifier: clients.notifier(topicARN: arn)))
    }
    if let url = config.notifications.webhookURL, !url.isEmpty {
      channels.append(Channel(name: "webhook", notifier: try WebhookNotifier(parsing: url)))
    }
    self.init(channels)
  }
}

extension EnginePorts {
  /// The production ports for a configuration: one store for persistence, Route53 (or `dns`) for DNS and health-check
  /// status, CloudWatch for metrics and alarms, SNS and/or the webhook for notifications, and the routing table
  /// behind `/routing/{service}/{region}`.
  public init(
    config: SwitchboardConfig,
    store: some WorkflowJournal & WorkflowQueries & EventLog & OverrideStore & RoutingHistory,
    clients: AWSClients, routingTable: RoutingTable, dns: (any DNSProvider)? = nil
  ) throws(WebhookError) {
    self.init(
      store: store, dns: dns ?? clients.route53,
      metrics: AWSDependencies.publishesMetrics(config) ? clients.cloudWatch : nil,
      notifier: try FanOutNotifier(config: config, clients: clients), alarms: clients.cloudWatch,
      healthChecks: clients.route53, routingEndpoint: routingTable)
    runbook = RunbookPorts(
      capacity: clients.ecs, databases: clients.rds, hooks: HTTPHookCaller(), history: store)
  }
}
