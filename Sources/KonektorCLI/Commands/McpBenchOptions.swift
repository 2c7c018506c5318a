import ArgumentParser

/// What `konektor bench mcp` is told: parsed by `konektor` and again by `konektor-mcp bench`, which runs it.
package struct McpBenchOptions: ParsableArguments {
    @Option(help: "How many calls of each kind to time.")
    package var calls = 500

    package init() {}

    package func validate() throws {
        guard calls > 0 else { throw ValidationError("--calls must be at least 1") }
    }
}
