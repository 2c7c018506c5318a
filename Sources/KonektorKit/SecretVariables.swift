/// The environment variables that hold secrets: registered with every scrubber before anything is written.
public enum SecretVariables {
    public static let names = ["KONEKTOR_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"]
}
