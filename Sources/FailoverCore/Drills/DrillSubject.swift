/// What a drill moves: one service, or a whole region (every service whose traffic is in it moves out).
public enum DrillSubject: Sendable, Hashable, Codable, CustomStringConvertible {
  case service(ServiceID)
  case region(RegionID)

  public var description: String {
    switch self {
    case .service(let id): "service:\(id)"
    case .region(let id): "region:\(id)"
    }
  }

  /// Parses `service:ID` or `region:ID`; nil when malformed.
  public init?(token: String) {
    if token.hasPrefix("service:"), token.count > 8 {
      self = .service(ServiceID(String(token.dropFirst(8))))
    } else if token.hasPrefix("region:"), token.count > 7 {
      self = .region(RegionID(String(token.dropFirst(7))))
    } else {
      return nil
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let subject = DrillSubject(token: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "A drill subject is service:ID or region:ID, not \"\(text)\".")
    }
    self = subject
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// The services this subject moves to `target`: the service itself, or every service of the region whose
  /// traffic is all in it and that can run in `target`.
  public func services(in services: [Service], routing: [ServiceID: RoutingState], to target: RegionID)
    -> [Service]
  {
    switch self {
    case .service(let id):
      return services.filter { $0.id == id }
    case .region(let region):
      return services.filter { service in
        service.region(target) != nil
          && (routing[service.id]?.activeRegion ?? service.primary) == region
      }
    }
  }
}
