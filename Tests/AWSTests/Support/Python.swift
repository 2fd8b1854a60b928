import Foundation

/// Runs an embedded Python script to completion with the given stdin; returns its stdout.
func runPython(_ script: String, stdin: Data, arguments: [String] = []) throws -> Data {
  let path = try ChildProcess.script("helper.py", script)
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", path] + arguments
  let input = Pipe()
  let output = Pipe()
  let errors = Pipe()
  process.standardInput = input
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  input.fileHandleForWriting.write(stdin)
  try input.fileHandleForWriting.close()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw HarnessError("python3 helper failed (\(process.terminationStatus)): \(errorText)")
  }
  return data
}
