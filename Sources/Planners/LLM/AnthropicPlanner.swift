import AgentCore
import Foundation
import SkillCatalog

/// Plans with Anthropic's Messages API: `tools`, `tool_use` and `tool_result` blocks, streamed over SSE.
public struct AnthropicPlanner: Planner {
    public static let defaultBaseURL = "https://api.anthropic.com"
    public static let defaultModel = "claude-sonnet-4-5"
    public static let apiVersion = "2023-06-01"

    public let configuration: ProviderConfiguration
    let catalog: Catalog
    let prompt: SystemPrompt
    let transport: ProviderTransport

    public var name: String { "anthropic:\(configuration.model)" }

    public init(configuration: ProviderConfiguration, catalog: Catalog, prompt: SystemPrompt = .shipped,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.configuration = configuration
        self.catalog = catalog
        self.prompt = prompt
        transport = ProviderTransport(provider: "Anthropic (\(configuration.baseURL))", configuration: configuration, sleep: sleep)
    }

    public func next(_ context: PlanningContext) async throws -> PlannerStep { try await plan(context).step }

    public func plan(_ context: PlanningContext) async throws -> PlannerReply {
        var headers: [(String, String)] = [("anthropic-version", Self.apiVersion)]
        if let key = configuration.apiKey, !key.isEmpty { headers.append(("x-api-key", key)) }
        let provider = transport.provider
        let events = try await transport.send(path: "/v1/messages", headers: headers, body: requestBody(context),
                                              classify: Self.classify, inspect: { try Self.inspect($0, provider: provider) })
        return try Self.reply(from: events, provider: provider)
    }

    public func requestBody(_ context: PlanningContext) -> JSONValue {
        var body: JSONObject = [
            "model": .string(configuration.model),
            "max_tokens": .int(configuration.maxOutputTokens),
            "system": .string(prompt.render(context)),
            "messages": .array(messages(context)),
            "stream": true,
            "temperature": 0,
        ]
        let tools = catalog.anthropicTools(only: Set(context.tools))
        if case .array(let list) = tools, !list.isEmpty { body["tools"] = tools }
        return .object(body)
    }

    /// The conversation as Messages API turns: roles alternate, tool results go back in a user turn.
    func messages(_ context: PlanningContext) -> [JSONValue] {
        var turns: [(role: String, blocks: [JSONValue])] = []
        func add(_ role: String, _ block: JSONValue) {
            if turns.last?.role == role { turns[turns.count - 1].blocks.append(block) } else { turns.append((role, [block])) }
        }
        for entry in context.transcript {
            switch entry {
            case .user(let text): add("user", ["type": "text", "text": .string(text)])
            case .answer(let text): add("assistant", ["type": "text", "text": .string(text)])
            case .calls(let calls, let note):
                if let note, !note.isEmpty { add("assistant", ["type": "text", "text": .string(note)]) }
                for call in calls {
                    add("assistant", ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": .object(call.arguments)])
                }
            case .result(let call, let outcome):
                var block: JSONObject = ["type": "tool_result", "tool_use_id": .string(call.id), "content": .string(outcome.observation)]
                if outcome.isError { block["is_error"] = true }
                add("user", .object(block))
            }
        }
        return turns.map { ["role": .string($0.role), "content": .array($0.blocks)] }
    }

    static func classify(_ status: Int, _ body: JSONValue?) -> ProviderError.Kind? {
        let type = body?["error"]?["type"]?.stringValue ?? ""
        let message = (body?["error"]?["message"]?.stringValue ?? "").lowercased()
        if status == 413 || type == "request_too_large" || message.contains("prompt is too long") || message.contains("context") && message.contains("too long") {
            return .contextTooLong
        }
        return switch type {
        case "authentication_error", "permission_error": .unauthorized
        case "not_found_error": .notFound
        case "rate_limit_error": .rateLimited
        case "overloaded_error": .overloaded
        case "api_error": .server
        default: nil
        }
    }

    /// An `error` event mid-stream: overload and API errors are retried; a stream without `message_stop` was cut short.
    static func inspect(_ events: [ServerSentEvent], provider: String) throws {
        if events.count == 1, events[0].event == "json" { return }
        if let error = events.first(where: { $0.event == "error" }) {
            let body = try? JSONValue(parsing: error.data)
            let type = body?["error"]?["type"]?.stringValue ?? "error"
            let failure = ProviderError(classify(0, body) ?? .server, provider: provider, message: body?["error"]?["message"]?.stringValue ?? type)
            if type == "overloaded_error" || type == "api_error" { throw ProviderTransport.RetryableFailure(error: failure, retryAfter: nil) }
            throw failure
        }
        guard events.contains(where: { $0.event == "message_stop" }) else {
            throw ProviderTransport.RetryableFailure(error: ProviderError(.transport, provider: provider, message: "the stream ended before message_stop"), retryAfter: nil)
        }
    }

    static func reply(from events: [ServerSentEvent], provider: String) throws -> PlannerReply {
        var blocks: [Int: (type: String, id: String, name: String, text: String, input: JSONValue?)] = [:]
        var input = 0, output = 0
        var sawUsage = false
        func readUsage(_ usage: JSONValue?) {
            guard let usage else { return }
            sawUsage = true
            if let n = usage["input_tokens"]?.intValue {
                input = n + (usage["cache_creation_input_tokens"]?.intValue ?? 0) + (usage["cache_read_input_tokens"]?.intValue ?? 0)
            }
            if let n = usage["output_tokens"]?.intValue { output = n }
        }
        if events.count == 1, events[0].event == "json" {
            guard let message = try? JSONValue(parsing: events[0].data), let content = message["content"]?.arrayValue else {
                throw ProviderError(.badResponse, provider: provider, message: "no content in \(events[0].data.prefix(200))")
            }
            for (index, block) in content.enumerated() {
                blocks[index] = (block["type"]?.stringValue ?? "", block["id"]?.stringValue ?? "", block["name"]?.stringValue ?? "",
                                 block["text"]?.stringValue ?? "", block["input"])
            }
            readUsage(message["usage"])
        } else {
            for event in events {
                guard let data = try? JSONValue(parsing: event.data) else { continue }
                switch data["type"]?.stringValue ?? event.event {
                case "message_start": readUsage(data["message"]?["usage"])
                case "content_block_start":
                    let block = data["content_block"]
                    let index = data["index"]?.intValue ?? blocks.count
                    let start = block?["input"].flatMap { $0.objectValue?.isEmpty == false ? $0 : nil }
                    blocks[index] = (block?["type"]?.stringValue ?? "", block?["id"]?.stringValue ?? "", block?["name"]?.stringValue ?? "",
                                     block?["text"]?.stringValue ?? "", start)
                case "content_block_delta":
                    let index = data["index"]?.intValue ?? 0
                    guard var block = blocks[index] else { continue }
                    let delta = data["delta"]
                    switch delta?["type"]?.stringValue {
                    case "text_delta": block.text += delta?["text"]?.stringValue ?? ""
                    case "input_json_delta": block.text += delta?["partial_json"]?.stringValue ?? ""
                    default: break
                    }
                    blocks[index] = block
                case "message_delta": readUsage(data["usage"])
                default: break
                }
            }
        }
        let usage = sawUsage ? TokenUsage(inputTokens: input, outputTokens: output) : nil
        var text = ""
        var calls: [ToolCall] = []
        for (_, block) in blocks.sorted(by: { $0.key < $1.key }) {
            switch block.type {
            case "text": text += block.text
            case "tool_use":
                if let whole = block.input, block.text.isEmpty, case .object(let object) = whole {
                    calls.append(ToolCall(id: block.id, name: block.name, arguments: object))
                } else {
                    calls.append(ToolCall.fromModel(id: block.id, name: block.name, arguments: block.text))
                }
            default: break
            }
        }
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !calls.isEmpty { return PlannerReply(step: .calls(calls), usage: usage, note: note.isEmpty ? nil : note) }
        guard !note.isEmpty else { throw ProviderError(.badResponse, provider: provider, message: "the model answered with neither text nor a tool call") }
        return PlannerReply(step: .answer(note), usage: usage)
    }
}
