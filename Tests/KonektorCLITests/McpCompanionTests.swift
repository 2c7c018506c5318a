import ArgumentParser
import Foundation
@testable import KonektorCLI
import Testing
import TestSupport

/// `konektor mcp` runs `konektor-mcp` in its place, with the options it parsed.
@Suite struct McpCompanionTests {
    @Test func theOptionsGivenAgainParseToTheSameOptions() throws {
        let given = try McpOptions.parse(["--policy", "analyst", "--supervised", "--http", "--port", "0", "--token-file", "/tmp/t",
                                          "--turn-gap", "2.5", "--expires-in", "60", "--json", "--print-config", "cursor", "--command", "/opt/konektor"])
        let again = try McpOptions.parse(given.arguments)
        #expect(again.arguments == given.arguments)
        #expect(again.policy == "analyst")
        #expect(again.turnGap == 2.5)
        #expect(again.printConfig == .cursor)
    }

    @Test func theDefaultsGivenAgainStayTheDefaults() throws {
        let again = try McpOptions.parse(try McpOptions.parse([]).arguments)
        #expect(again.policy == nil)
        #expect(again.http == false)
        #expect(again.port == 8765)
    }

    /// A `konektor` copied somewhere without its companion says which program is missing and how to build it.
    @Test func aMissingCompanionIsNamed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let alone = directory.appending("konektor")
        // A hard link where the file system allows one (no copy of a large binary); a symbolic link would lead back.
        do {
            try FileManager.default.linkItem(atPath: CommandLineRunner.executable.path, toPath: alone.path)
        } catch {
            try FileManager.default.copyItem(atPath: CommandLineRunner.executable.path, toPath: alone.path)
        }
        let result = try await CommandLineRunner.offload { () -> (Int32, String) in
            let process = Process()
            process.executableURL = alone
            process.arguments = ["mcp", "--policy", "analyst"]
            process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.url.path]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(result.0 == 1)
        #expect(result.1.contains("konektor-mcp is not installed beside konektor"), "\(result.1)")
        #expect(result.1.contains("swift build --product konektor-mcp"), "\(result.1)")
    }
}
