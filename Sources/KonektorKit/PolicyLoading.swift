import AgentPolicy
import Foundation
import SkillCatalog

/// Builds the policy library from the shipped profiles and the user's `policies/*.yaml`.
public enum PolicyLoading {
    public static func library(catalog: Catalog, paths: KonektorPaths = KonektorPaths(), extra: [PolicyLibrary.Source] = []) -> PolicyLibrary {
        var files: [PolicyLibrary.Source] = []
        let directory = paths.policiesDirectory
        if let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) {
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let url = directory.appendingPathComponent(name)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                let policyName = String(name.prefix { $0 != "." })
                files.append(.init(name: policyName, file: url.path, text: text, shipped: false))
            }
        }
        return PolicyLibrary(catalog: catalog, userFiles: files + extra)
    }

    /// The names `--policy` completes: the shipped profiles and the user's, without parsing any of them.
    public static func completionNames(paths: KonektorPaths = KonektorPaths()) -> [String] {
        var names = Set(ShippedPolicies.all.map(\.name))
        for file in (try? FileManager.default.contentsOfDirectory(atPath: paths.policiesDirectory.path)) ?? [] where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            names.insert(String(file.prefix { $0 != "." }))
        }
        return names.sorted()
    }

    /// A policy file given by path, named after the file.
    public static func source(path: String) throws -> PolicyLibrary.Source {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read policy file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure("\(path) is not UTF-8 text") }
        let name = String(URL(fileURLWithPath: path).lastPathComponent.prefix { $0 != "." })
        return .init(name: name, file: path, text: text, shipped: false)
    }
}
