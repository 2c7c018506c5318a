import KonektorCLI

@main
struct Entrypoint {
    static func main() async {
        await CommandRunner.main()
    }
}
