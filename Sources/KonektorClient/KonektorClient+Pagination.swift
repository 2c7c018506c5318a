import AgentCore
import SkillCatalog

extension KonektorClient {
    /// The items of a list endpoint across pages, following `nextCursor`, at most `maxItems` and `maxPages`.
    public func items(of call: ValidatedCall, maxItems: Int = 500, maxPages: Int = 10) -> AsyncThrowingStream<JSONValue, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var current = call
                var delivered = 0
                var pages = 0
                do {
                    while pages < maxPages, delivered < maxItems {
                        let response = try await send(current)
                        pages += 1
                        for item in response.data.arrayValue ?? [] {
                            guard delivered < maxItems else { break }
                            continuation.yield(item)
                            delivered += 1
                        }
                        guard let cursor = response.body["pagination"]?["nextCursor"]?.stringValue, !cursor.isEmpty else { break }
                        var arguments = call.arguments
                        arguments["page"] = nil
                        arguments["cursor"] = .string(cursor)
                        current = try catalog.validate(tool: call.toolName, arguments: arguments).get()
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
