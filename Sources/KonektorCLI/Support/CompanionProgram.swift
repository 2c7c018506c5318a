import Foundation
import KonektorKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program installed beside `konektor` that serves one of its commands (`konektor mcp` is `konektor-mcp`).
package struct CompanionProgram: Sendable {
    package let name: String

    package static let mcp = CompanionProgram(name: "konektor-mcp")

    /// Where it is: beside this executable, symbolic links followed (a `konektor` linked into ~/bin finds its companion).
    package var location: URL? {
        guard let own = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        return own.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs the companion in this process's place, with the same standard streams and environment; never returns.
    /// - Throws: a ``CommandFailure`` that names the missing program and how to build it.
    package func replaceThisProcess(arguments: [String]) throws -> Never {
        guard let location, FileManager.default.isExecutableFile(atPath: location.path) else {
            throw CommandFailure("\(name) is not installed beside konektor (\(location?.deletingLastPathComponent().path ?? "?")); "
                + "build it with `swift build --product \(name)` (scripts/run builds it)")
        }
        let argv = [name] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        execv(location.path, &cArguments)
        throw CommandFailure("cannot start \(location.path): \(String(cString: strerror(errno)))")
    }
}
