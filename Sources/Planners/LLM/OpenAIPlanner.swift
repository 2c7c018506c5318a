import AgentCore
import Foundation
import SkillCatalog

/// Plans with an OpenAI-compatible Chat Completions endpoint: `tools` / `tool_calls`, streamed over SSE.
///
/// The same wire format serves OpenAI, Ollama, vLLM, llama.cpp's server, LM
/// Studio and OpenRouter: only the base URL, the model and the key differ.
/// The model sees the system prompt, the conversation and the tool
/// definitions of the tools the policy offers; never the Konektor API key.
public struct OpenAIPlanner: Planner {
    public static let defaultBaseURL = "https://api.openai.com/v1"
    public static let defaultModel = "gpt-4o-mini"

    public let configuration: ProviderConfiguration
    let catalog: Catalog
    let prompt: SystemPrompt
    let transport: ProviderTransport

    public var name: String { "openai:\(configuration.model)" }

    public init(configuration: ProviderConfiguration, catalog: Catalog, prompt: SystemPrompt = .shipped,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.configuration = configuration
        self.catalog = catalog
        self.prompt = prompt
        transport = ProviderTransport(provider: "the OpenAI-compatible server at \(configuration.baseURL)", configuration: configuration, sleep: sleep)
    }

    public func next(_ context: PlanningContext) async throws -> PlannerStep { try await plan(context).step }

    public func plan(_ context: PlanningContext) async throws -> PlannerReply {
        var headers: [(String, String)] = []
        if let key = configuration.apiKey, !key.isEmpty { headers.append(("Authorization", "Bearer \(key)")) }
        let provider = transport.provider
        let events = try await transport.send(path: "/chat/completions", headers: headers, body: requestBody(context),
                                              classify: Self.classify, inspect: { try Self.inspect($0, provider: provider) })
        return try Self.reply(from: events, provider: provider)
    }

    /// The request: system prompt, conversation, tool definitions of the offered tools, streaming with usage.
    public func requestBody(_ context: PlanningContext) -> JSONValue {
        var body: JSONObject = [
            "model": .string(configuration.model),
            "messages": .array(messages(context)),
            "stream": true,
            "stream_options": ["include_usage": true],
            "temperature": 0,
        ]
        let tools = catalog.openAITools(only: Set(context.tools))
        if case .array(let list) = tools, !list.isEmpty {
            body["tools"] = tools
            body["tool_choice"] = "auto"
        }
        return .object(body)
    }

    func messages(_ context: PlanningContext) -> [JSONValue] {
        var messages: [JSONValue] = [["role": "system", "content": .string(prompt.render(context))]]
        for entry in context.transcript {
            switch entry {
            case .user(let text): messages.append(["role": "user", "content": .string(text)])
            case .answer(let text): messages.append(["role": "assistant", "content": .string(text)])
            case .calls(let calls, let note):
                messages.append([
                    "role": "assistant",
                    "content": note.map(JSONValue.string) ?? .null,
                    "tool_calls": .array(calls.map { call in
                        ["id": .string(call.id), "type": "function",
                         "function": ["name": .string(call.name), "arguments": .string(call.malformedArguments ?? JSONValue.object(call.arguments).jsonString())]]
                    }),
                ])
            case .result(let call, let outcome):
                messages.append(["role": "tool", "tool_call_id": .string(call.id), "content": .string(outcome.observation)])
            }
        }
        return messages
    }

    static func classify(_ status: Int, _ body: JSONValue?) -> ProviderError.Kind? {
        let code = body?["error"]?["code"]?.stringValue ?? ""
        let message = (body?["error"]?["message"]?.stringValue ?? "").lowercased()
        if code == "context_length_exceeded" || message.contains("context length") || message.contains("context window") { return .contextTooLong }
        if code == "insufficient_quota" { return .badRequest }
        return nil
    }

    /// Refuses a stream that ended early (retried) or carried an error object.
    static func inspect(_ events: [ServerSentEvent], provider: String) throws {
        if events.count == 1, events[0].event == "json" { return }
        for event in events where event.data != "[DONE]" {
            if let error = (try? JSONValue(parsing: event.data))?["error"] {
                let failure = ProviderError(.server, provider: provider, message: error["message"]?.stringValue ?? error.jsonString())
                throw ProviderTransport.RetryableFailure(error: failure, retryAfter: nil)
            }
        }
        let finished = events.contains { $0.data == "[DONE]" } || events.contains { event in
            ((try? JSONValue(parsing: event.data))?["choices"]?.arrayValue ?? []).contains { $0["finish_reason"]?.stringValue != nil }
        }
        guard finished else {
            throw ProviderTransport.RetryableFailure(error: ProviderError(.transport, provider: provider, message: "the stream ended before the answer was complete"), retryAfter: nil)
        }
    }

    /// Assembles the streamed deltas (or a whole non-streamed completion) into calls or an answer.
    static func reply(from events: [ServerSentEvent], provider: String) throws -> PlannerReply {
        var text = ""
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        var usage: TokenUsage?
        func readUsage(_ value: JSONValue?) {
            guard let value, let input = value["prompt_tokens"]?.intValue else { return }
            usage = TokenUsage(inputTokens: input, outputTokens: value["completion_tokens"]?.intValue ?? 0)
        }
        if events.count == 1, events[0].event == "json" {
            guard let completion = try? JSONValue(parsing: events[0].data), let message = completion["choices"]?[0]?["message"] else {
                throw ProviderError(.badResponse, provider: provider, message: "no choices[0].message in \(events[0].data.prefix(200))")
            }
            text = message["content"]?.stringValue ?? ""
            for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
                calls[index] = (call["id"]?.stringValue ?? "call_\(index)", call["function"]?["name"]?.stringValue ?? "",
                                call["function"]?["arguments"]?.stringValue ?? "")
            }
            readUsage(completion["usage"])
        } else {
            for event in events where event.data != "[DONE]" {
                guard let chunk = try? JSONValue(parsing: event.data) else {
                    throw ProviderError(.badResponse, provider: provider, message: "a stream chunk is not JSON: \(event.data.prefix(200))")
                }
                readUsage(chunk["usage"])
                guard let delta = chunk["choices"]?[0]?["delta"] else { continue }
                text += delta["content"]?.stringValue ?? ""
                for (position, fragment) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
                    let index = fragment["index"]?.intValue ?? position
                    var call = calls[index] ?? ("", "", "")
                    if let id = fragment["id"]?.stringValue, !id.isEmpty { call.id = id }
                    if let name = fragment["function"]?["name"]?.stringValue { call.name += name }
                    call.arguments += fragment["function"]?["arguments"]?.stringValue ?? ""
                    calls[index] = call
                }
            }
        }
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !calls.isEmpty {
            let planned = calls.sorted { $0.key < $1.key }.map { index, call in
                ToolCall.fromModel(id: call.id.isEmpty ? "call_\(index)" : call.id, name: call.name, arguments: call.arguments)
            }
            return PlannerReply(step: .calls(planned), usage: usage, note: note.isEmpty ? nil : note)
        }
        guard !note.isEmpty else { throw ProviderError(.badResponse, provider: provider, message: "the model answered with neither text nor a tool call") }
        return PlannerReply(step: .answer(note), usage: usage)
    }
}
