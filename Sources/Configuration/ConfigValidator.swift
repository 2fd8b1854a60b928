import FailoverCore
import Foundation
import Yams

/// Checks a configuration file and reports every problem at once, each with its line and column and a plain
/// sentence. `switchboard validate` prints `ConfigValidator.validate(path:)`; `serve` calls
/// `SwitchboardConfig.load(path:)`, which refuses a file with problems the same way.
public enum ConfigValidator {
  /// The problems of a file, in file order; empty when the file is valid.
  public static func validate(
    path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> [ConfigProblem]
  {
    do {
      _ = try SwitchboardConfig.load(path: path, environment: environment)
      return []
    } catch {
      return error.problems
    }
  }

  /// The problems of YAML text, in file order; empty when it is valid.
  public static func validate(yaml: String, environment: [String: String] = [:]) -> [ConfigProblem] {
    check(yaml: yaml, environment: environment).problems
  }

  /// The keys the decoder reads in the mappings this YAML text has, as `services[].regions[].weight` (list
  /// indices dropped); a mapping the text leaves out contributes nothing.
  public static func readableKeys(yaml: String) -> Set<String> {
    guard let root = try? Yams.compose(yaml: yaml) else { return [] }
    let problems = ProblemList()
    _ = ConfigDecoder(problems: problems).decode(root)
    return problems.allowedKeys
  }

  /// Decodes and checks YAML text; the config is nil only when the text cannot be decoded at all.
  public static func check(yaml: String, environment: [String: String]) -> (
    config: SwitchboardConfig?, problems: [ConfigProblem]
  ) {
    let problems = ProblemList()
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
      for key in duplicates {
        let (line, column) =
          secondOccurrence(of: key, after: context.mark, in: yaml) ?? (context.mark.line, context.mark.column)
        problems.add(
          line: line, column: column, "The key `\(key)` appears twice in the same mapping; keep one.")
      }
      return (nil, problems.sorted)
    } catch let error as YamlError {
      let (mark, problem) = describe(error)
      problems.add(mark, "The file is not valid YAML: \(problem).")
      return (nil, problems.sorted)
    } catch {
      problems.add(nil, "The file is not valid YAML: \(error).")
      return (nil, problems.sorted)
    }
    guard let root else {
      problems.add(nil, "The file is empty; it needs at least `regions` and `services`.")
      return (nil, problems.sorted)
    }
    let decoder = ConfigDecoder(problems: problems)
    // Problems end up in audit events and logs: they never quote a secret-bearing value.
    let secrets = SecretKeys.values(in: root)
    guard let decoded = decoder.decode(root) else {
      return (nil, SecretKeys.redact(problems.sorted, secrets: secrets))
    }
    crossCheck(decoded, root: root, sources: decoder.sources, problems: problems)
    let applied = EnvironmentOverrides.apply(environment, to: decoded)
    DNSProviderCheck.check(applied, root: root, serviceNodes: decoder.sources.services, problems: problems)
    return (applied, SecretKeys.redact(problems.sorted, secrets: secrets))
  }

  // MARK: Cross-references

  static func crossCheck(
    _ config: SwitchboardConfig, root: Node, sources: ConfigDecoder.SourceMap, problems: ProblemList
  ) {
    let regionNodes = sources.regions
    let serviceNodes = sources.services
    func mark(_ nodes: [Node], _ index: Int, _ key: String? = nil) -> Mark? {
      guard index < nodes.count else { return nil }
      if let key, let pair = nodes[index].mapping?.first(where: { $0.key.string == key }) {
        return pair.value.mark
      }
      return nodes[index].mark
    }

    var regionIDs: Set<RegionID> = []
    for (index, region) in config.regions.enumerated() where !regionIDs.insert(region.id).inserted {
      problems.add(mark(regionNodes, index, "id"), "Region \(region.id) is declared twice.")
    }
    let declared = config.regions.map(\.rawID).joined(separator: ", ")
    var serviceIDs: Set<ServiceID> = []
    var names: Set<String> = []
    var zoneNames: [String: (domain: String, path: String)] = [:]
    for (index, service) in config.services.enumerated() {
      // One zone id, one zone: two services naming the same id must name the same domain.
      if let zoneID = service.hostedZoneID {
        let bare = zoneID.hasPrefix("/hostedzone/") ? String(zoneID.dropFirst("/hostedzone/".count)) : zoneID
        let domain = service.hostedZone.lowercased()
        if let first = zoneNames[bare], first.domain != domain {
          problems.add(
            mark(serviceNodes, index, "hosted_zone_id"),
            "Service \(service.id): hosted zone \(zoneID) is named \(first.domain) in \(first.path), not "
              + "\(service.hostedZone); `hosted_zone` and `hosted_zone_id` must name the same zone.")
        } else if zoneNames[bare] == nil {
          zoneNames[bare] = (domain, "services[\(index)]")
        }
      }
      if !serviceIDs.insert(service.id).inserted {
        problems.add(
          mark(serviceNodes, index, "id") ?? mark(serviceNodes, index),
          "Service id \(service.id) is used twice.")
      }
      if !names.insert(service.dnsName.lowercased()).inserted {
        problems.add(
          mark(serviceNodes, index, "dns_name"), "Two services manage the record \(service.dnsName).")
      }
      let name = service.dnsName.lowercased()
      let zone = service.hostedZone.lowercased()
      if name != zone && !name.hasSuffix("." + zone) {
        problems.add(
          mark(serviceNodes, index, "dns_name"),
          "Service \(service.id): \(service.dnsName) is not inside the hosted zone \(service.hostedZone).")
      }
      let placementNodes = index < sources.placements.count ? sources.placements[index] : []
      var seen: Set<RegionID> = []
      for (position, placement) in service.regions.enumerated() {
        let where_ = mark(placementNodes, position, "region")
        if !regionIDs.contains(placement.region) {
          let suggestion = MappingReader.closest(
            to: placement.region.rawValue, in: config.regions.map(\.rawID))
          problems.add(
            where_,
            "Service \(service.id) uses region \(placement.region), which is not declared under `regions`"
              + (suggestion.map { "; did you mean \($0)?" }
                ?? (declared.isEmpty ? "." : " (declared: \(declared))."))
          )
        }
        if !seen.insert(placement.region).inserted {
          problems.add(where_, "Service \(service.id) lists region \(placement.region) twice.")
        }
        let regionSignals = config.regions.first { $0.id == placement.region }?.signals.count ?? 0
        let signalCount = placement.signals.count + regionSignals
        if signalCount == 0 {
          problems.add(
            mark(placementNodes, position),
            "Service \(service.id) has no signal in \(placement.region) (neither its own nor the region's); "
              + "its health there would stay unknown.")
        }
        if case .quorum(let n) = service.healthRule, n > signalCount, signalCount > 0 {
          problems.add(
            mark(serviceNodes, index, "health_rule"),
            "Service \(service.id) asks for quorum \(n) but has only \(signalCount) signal(s) in \(placement.region)."
          )
        }
      }
      switch service.routingMode {
      case .failoverHealthCheck where service.regions.count != 2:
        problems.add(
          mark(serviceNodes, index, "routing"),
          "Service \(service.id) uses failover-health-check routing, which needs exactly two regions "
            + "(PRIMARY and SECONDARY); it has \(service.regions.count).")
      case .weighted where !service.regions.isEmpty && service.regions.allSatisfy({ $0.weight == 0 }):
        problems.add(
          mark(serviceNodes, index, "regions"),
          "Service \(service.id) uses weighted routing but every region has weight 0; no region would receive traffic."
        )
      default: break
      }
    }
    var tokenNames: Set<String> = []
    let tokenNodes = root.mapping?["auth"]?.mapping?["tokens"]?.sequence.map(Array.init) ?? []
    for (index, token) in config.tokens.enumerated() where !tokenNames.insert(token.name).inserted {
      problems.add(mark(tokenNodes, index, "name"), "Token name \(token.name) is used twice.")
    }
    if let tls = config.tls, tls.listen == config.listen {
      problems.add(
        root.mapping?["tls"]?.mapping?["listen"]?.mark,
        "`tls.listen` is the same address as `listen`; use another port.")
    }
  }

  /// Where a duplicated key is written again: the next line holding `key:` at the first one's column.
  static func secondOccurrence(of key: String, after first: Mark, in yaml: String) -> (
    line: Int, column: Int
  )? {
    let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    guard first.line >= 1 else { return nil }
    for index in first.line..<lines.count {
      let line = Array(lines[index].unicodeScalars)
      let start = first.column - 1
      guard start >= 0, start < line.count else { continue }
      let rest = String(String.UnicodeScalarView(line[start...]))
      if rest.hasPrefix("\(key):") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
        return (index + 1, first.column)
      }
    }
    return nil
  }

  static func describe(_ error: YamlError) -> (Mark?, String) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let text = context.map { "\(problem) \($0.text)" } ?? problem
      return (mark, text)
    case .reader(let problem, _, _, _):
      return (nil, problem)
    default:
      return (nil, "\(error)")
    }
  }
}

extension Region {
  fileprivate var rawID: String { id.rawValue }
}
