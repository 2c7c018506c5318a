import KonektorMCPCommands

@main
struct Entrypoint {
    static func main() async {
        await KonektorMcp.runMain()
    }
}
