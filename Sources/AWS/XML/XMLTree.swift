import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A parsed XML element: the small tree the AWS answers are read from.
public struct XMLTree: Sendable, Hashable {
  /// Local name (any namespace prefix removed).
  public var name: String
  /// The element's attributes.
  public var attributes: [String: String]
  /// Child elements in document order.
  public var children: [XMLTree]
  /// The element's own character data, trimmed.
  public var text: String

  /// An element (parsing builds these).
  public init(name: String, attributes: [String: String] = [:], children: [XMLTree] = [], text: String = "") {
    self.name = name
    self.attributes = attributes
    self.children = children
    self.text = text
  }

  /// The first direct child with this name.
  public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

  /// All direct children with this name.
  public func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

  /// The text of the first direct child with this name.
  public func value(_ name: String) -> String? { child(name)?.text }

  /// Follows a path of child names (`["HealthCheck", "Id"]`).
  public func path(_ names: String...) -> XMLTree? {
    var node: XMLTree? = self
    for name in names { node = node?.child(name) }
    return node
  }

  /// The first element with this name anywhere below (depth first), or self.
  public func first(named name: String) -> XMLTree? {
    if self.name == name { return self }
    for child in children {
      if let found = child.first(named: name) { return found }
    }
    return nil
  }

  /// Parses a document; nil when it is not well-formed XML.
  public static func parse(_ data: Data) -> XMLTree? {
    let parser = XMLParser(data: data)
    let builder = XMLTreeBuilder()
    parser.delegate = builder
    parser.shouldProcessNamespaces = false
    guard parser.parse(), let root = builder.root else { return nil }
    return root
  }
}

private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
  var root: XMLTree?
  private var stack: [(tree: XMLTree, text: String)] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
    stack.append((XMLTree(name: local, attributes: attributes), ""))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    guard !stack.isEmpty else { return }
    stack[stack.count - 1].text += string
  }

  func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
    guard !stack.isEmpty else { return }
    stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
  ) {
    guard let popped = stack.popLast() else { return }
    var tree = popped.tree
    let text = popped.text
    tree.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if stack.isEmpty {
      root = tree
    } else {
      stack[stack.count - 1].tree.children.append(tree)
    }
  }
}
