import ArgumentParser
import Configuration
import Foundation
import Switchboard

/// `switchboard token ...`: API token management.
struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Manage API tokens.", subcommands: [TokenCreateCommand.self])
}

extension TokenRole: ExpressibleByArgument {}

/// `switchboard token create NAME --role viewer|operator|admin`: prints a new token and its `auth.tokens` line.
struct TokenCreateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create",
    abstract: "Print a new random token (32 bytes, base64url) and the auth.tokens line that admits it.")

  @Argument(help: "The token's name (shown as the actor in audit events).")
  var name: String

  @Option(help: "What the token may do: viewer, operator or admin.")
  var role: TokenRole

  func run() throws {
    guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw Terminal.failure(
        "token create", "The token name must not be empty; it names the actor in audit events.")
    }
    let created = TokenFactory.make(name: name, role: role)
    Terminal.error(
      "New \(role.rawValue) token \"\(name)\" (shown once; store it now). "
        + "Add the line after it to auth.tokens in the configuration:")
    print(created.token)
    print(created.yamlLine)
  }
}
